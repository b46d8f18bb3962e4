/**
 * The end of a sweep, for people (a table and the best config) and for programs (one JSON object).
 */
import type { SweepStatus, TrialRecord } from '../contracts/sweep-workflow';
import { formatParams } from './progress';

export interface JsonSummary {
  sweep: { id: string; name: string; state: SweepStatus['state']; budget: number; parallel: number; queue: string };
  trials: Array<Pick<TrialRecord, 'trial' | 'state' | 'params' | 'metrics' | 'reason' | 'rule' | 'values'>>;
  best: { trial: number; val_acc: number | null; params: TrialRecord['params'] } | null;
}

export function jsonSummary(status: SweepStatus): JsonSummary {
  return {
    sweep: { id: status.sweepId, name: status.name, state: status.state, budget: status.budget, parallel: status.parallel, queue: status.queue },
    trials: status.trials.map(({ trial, state, params, metrics, reason, rule, values }) => ({ trial, state, params, metrics, reason, rule, values })),
    best: status.best ? { trial: status.best.trial, val_acc: status.best.metrics?.val_acc ?? null, params: status.best.params } : null,
  };
}

/** Trials that have ended (completed, pruned, failed or stopped); paused ones will run again. */
export function trialsDone(status: SweepStatus): number {
  return status.trials.filter((t) => t.state !== 'running' && t.state !== 'paused').length;
}

export function formatTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

export function textSummary(status: SweepStatus): string {
  const fmt = (v: number | null | undefined, digits: number) => (v == null ? '-' : v.toFixed(digits));
  const rows = [['trial', 'state', 'val_acc', 'val_loss', 'epochs', 'seconds', 'searched params']];
  const fixed = Object.keys(status.trials[0]?.params ?? {}).filter((k) => !status.searched.includes(k));
  for (const t of status.trials) {
    rows.push([
      String(t.trial), t.state, fmt(t.metrics?.val_acc, 4), fmt(t.metrics?.val_loss, 4),
      t.metrics ? String(t.metrics.epochs) : '-', fmt(t.metrics?.seconds, 1),
      t.state === 'failed' || t.state === 'pruned' ? `${formatParams(t.params, fixed)}  (${t.rule ? `${t.rule}: ` : ''}${t.reason ?? ''})` : formatParams(t.params, fixed),
    ]);
  }
  const done = trialsDone(status);
  const pausedTrials = status.trials.filter((t) => t.state === 'paused').length;
  const header =
    `sweep ${status.sweepId} (${status.name}): ${status.state}, ${done}/${status.budget} trials done, ` +
    `${status.trials.length - done - pausedTrials} running${pausedTrials > 0 ? `, ${pausedTrials} paused` : ''}`;
  const lines = [header, '', formatTable(rows), ''];
  if (status.best) {
    lines.push(`best: trial ${status.best.trial}, val_acc ${fmt(status.best.metrics?.val_acc, 4)}`);
    lines.push(`best config: ${JSON.stringify(status.best.params)}`);
    if (status.state === 'completed') {
      lines.push('', `next: \`npx sweep promote ${status.sweepId}\` scores it on the test set over 3 seeds for the leaderboard; \`npx sweep report ${status.sweepId}\` writes an HTML report`);
    }
  } else {
    lines.push('best: none (no trial completed)');
  }
  return lines.join('\n');
}
