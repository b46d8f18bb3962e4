import { dashboard, prometheus } from './sdk';

// The uid the Grafana provisioning file gives the Prometheus datasource
// (deploy/grafana/provisioning/datasources/sweep.yml): dashboards refer to it by uid, not by name.
export const sweepPrometheus: dashboard.DataSourceRef = { type: 'prometheus', uid: 'sweep-prometheus' };

function promQuery(refId: string, expr: string): prometheus.DataqueryBuilder {
  return new prometheus.DataqueryBuilder()
    .datasource(sweepPrometheus)
    .refId(refId)
    .expr(expr)
    .editorMode(prometheus.QueryEditorMode.Code);
}

/** A range query drawn over time; `legend` is Grafana's legendFormat (`{{label}}` placeholders). */
export function rangeQuery(refId: string, expr: string, legend: string): prometheus.DataqueryBuilder {
  return promQuery(refId, expr).legendFormat(legend).range();
}

/** An instant query: only the latest value of each series, for stats and bar gauges. */
export function instantQuery(refId: string, expr: string, legend: string): prometheus.DataqueryBuilder {
  return promQuery(refId, expr).legendFormat(legend).instant();
}

/**
 * An instant query returned as a table: one row per series, a column per label, and the value in
 * `Value` (or `Value #<refId>` when the panel has several table queries).
 */
export function instantTableQuery(refId: string, expr: string): prometheus.DataqueryBuilder {
  return promQuery(refId, expr).format(prometheus.PromQueryFormat.Table).instant();
}
