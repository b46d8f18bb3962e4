// The Grafana foundation SDK modules the dashboards use, imported in one place.
export * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
export * as common from '@grafana/grafana-foundation-sdk/common';
export * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
export * as heatmap from '@grafana/grafana-foundation-sdk/heatmap';
export * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
export * as stat from '@grafana/grafana-foundation-sdk/stat';
export * as table from '@grafana/grafana-foundation-sdk/table';
export * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
export * as xychart from '@grafana/grafana-foundation-sdk/xychart';
