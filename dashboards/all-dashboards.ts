import { hyperparametersDashboard } from './hyperparameters';
import type { dashboard } from './sdk';
import { sweepOverviewDashboard } from './sweep-overview';
import { trialDetailDashboard } from './trial-detail';

/** Every dashboard we ship; dashboards/generate.ts writes each to dashboards/generated/<uid>.json. */
export function allDashboards(): dashboard.Dashboard[] {
  return [sweepOverviewDashboard(), trialDetailDashboard(), hyperparametersDashboard()];
}
