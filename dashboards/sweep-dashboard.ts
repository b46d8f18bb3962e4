import { dashboard } from './sdk';

/** What every sweep dashboard shares: tag, time window, refresh, shared crosshair. */
export function sweepDashboard(uid: string, title: string, description: string): dashboard.DashboardBuilder {
  return new dashboard.DashboardBuilder(title)
    .uid(uid)
    .description(description)
    .tags(['sweep'])
    .time({ from: 'now-1h', to: 'now' })
    // The exporter is scraped every 5 s; refreshing faster would only redraw the same samples.
    .refresh('10s')
    .tooltip(dashboard.DashboardCursorSync.Crosshair);
}

/**
 * Numbers panels 1..n in layout order, rows and the panels inside collapsed rows included. The SDK
 * leaves panel ids unset (and rows at 0), and Grafana needs them unique to link to a panel.
 */
export function numberPanels(built: dashboard.Dashboard): dashboard.Dashboard {
  let next = 1;
  for (const panel of built.panels ?? []) {
    panel.id = next++;
    if ('panels' in panel) for (const inner of panel.panels) inner.id = next++;
  }
  return built;
}
