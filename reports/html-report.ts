/**
 * `sweep report`: one self-contained HTML file (inline CSS and SVG, images as data URLs, no
 * scripts, nothing fetched) about one sweep: optimisation history, parallel coordinates,
 * hyperparameter importance, every trial's learning curves, and for chosen trials the per-layer
 * "colorful dimension" (log1p of the |activation| histogram over steps) and dead ratios.
 */
import type { Space } from '../contracts/space';
import type { SweepStatus, TrialRecord } from '../contracts/sweep-workflow';
import type { HyperValue } from '../contracts/trial-config';
import { seriesColor } from './colors';
import { barChart, escapeXml, heatmap, lineChart, parallelCoordinates, type ParallelAxis, type Series } from './charts';
import { MIN_TRIALS_FOR_IMPORTANCE, paramImportance } from './importance';
import type { TrialCurves } from './trial-curves';

export interface ReportInput {
  status: SweepStatus;
  space: Space;
  curves: Map<number, TrialCurves>;
  /** Trials that get activation charts. */
  chosen: number[];
  generatedAt: Date;
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:820px;color:#222;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}h3{font-size:15px;margin:20px 0 6px}
.meta{color:#555}.note{color:#666;font-size:13px}code{background:#f4f4f4;padding:1px 4px;border-radius:3px;font-size:12px;overflow-wrap:anywhere}
svg.chart{display:block;margin:8px 0;border:1px solid #eee}
table{border-collapse:collapse;font-size:12px;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 6px;text-align:left}th{background:#f6f6f6}
.layers{display:grid;grid-template-columns:1fr;gap:4px}`;

const fmt = (v: number | null | undefined, digits = 4) => (v == null ? '-' : v.toFixed(digits));
const paramText = (params: Record<string, HyperValue>, keys: readonly string[]) =>
  keys.filter((k) => params[k] !== undefined).map((k) => `${k}=${typeof params[k] === 'number' ? Number((params[k] as number).toPrecision(4)) : JSON.stringify(params[k])}`).join(' ');

/** The value a trial is ranked by: completed trials' result, pruned trials' last epoch. */
const shownValue = (t: TrialRecord) => (t.state === 'completed' || t.state === 'pruned' ? (t.metrics?.val_acc ?? null) : null);

function historyChart(status: SweepStatus): string {
  const completed = status.trials.filter((t) => t.state === 'completed' && t.metrics?.val_acc != null);
  const pruned = status.trials.filter((t) => t.state === 'pruned' && t.metrics?.val_acc != null);
  let best = -Infinity;
  const bestSoFar: Array<[number, number]> = [];
  for (const t of [...completed].sort((a, b) => a.trial - b.trial)) {
    best = Math.max(best, t.metrics!.val_acc!);
    bestSoFar.push([t.trial, best]);
  }
  const series: Series[] = [
    { name: 'completed trial', points: completed.map((t) => [t.trial, t.metrics!.val_acc!]), style: 'dots', color: seriesColor(0) },
    { name: 'pruned (last epoch)', points: pruned.map((t) => [t.trial, t.metrics!.val_acc!]), style: 'dots', color: '#bbb' },
    { name: 'best so far', points: bestSoFar, style: 'step', color: seriesColor(2) },
  ];
  return lineChart({ id: 'history', title: 'Optimisation history', xLabel: 'trial', yLabel: 'validation accuracy', series, legend: true, xInteger: true });
}

function parallelChart(status: SweepStatus, space: Space): string {
  const params = status.searched;
  const axes: ParallelAxis[] = params.map((name) => {
    const spec = space.params[name];
    if (spec?.type === 'categorical') return { name, kind: 'categorical', categories: spec.values.map((v) => JSON.stringify(v)) };
    return { name, kind: spec?.type === 'loguniform' || (spec?.type === 'int' && spec.log) ? 'log' : 'linear' };
  });
  axes.push({ name: 'val_acc', kind: 'linear' });
  const rated = status.trials.filter((t) => t.state === 'completed' && t.metrics?.val_acc != null);
  const [lo, hi] = [Math.min(...rated.map((t) => t.metrics!.val_acc!)), Math.max(...rated.map((t) => t.metrics!.val_acc!))];
  const lines = rated.map((t) => ({
    label: `trial ${t.trial}: val_acc ${fmt(t.metrics!.val_acc)} ${paramText(t.params, params)}`,
    values: [...params.map((p, i) => (t.params[p] === undefined ? null : axes[i]!.kind === 'categorical' ? JSON.stringify(t.params[p]) : (t.params[p] as number))), t.metrics!.val_acc!],
    shade: hi > lo ? (t.metrics!.val_acc! - lo) / (hi - lo) : 1,
  }));
  return parallelCoordinates({ id: 'parallel', title: 'Parallel coordinates (completed trials; brighter = higher accuracy)', axes, lines });
}

function importanceSection(status: SweepStatus): string {
  const rated = status.trials.flatMap((t) => (t.state === 'completed' && t.metrics?.val_acc != null ? [{ params: t.params, value: t.metrics.val_acc }] : []));
  const importance = paramImportance(status.searched, rated);
  const chart = barChart({
    id: 'importance',
    title: 'Hyperparameter importance (share of explained variance of val_acc)',
    xLabel: 'share (ε², normalised to sum 1)',
    bars: importance.map((i) => ({ label: i.param, value: i.share, note: `${(100 * i.share).toFixed(0)}% (ε² ${i.epsilon2.toFixed(2)}, ${i.trials} trials)` })),
  });
  const caveat =
    rated.length < MIN_TRIALS_FOR_IMPORTANCE
      ? `<p class="note">Only ${rated.length} completed trials: these shares are rough (each param's main effect alone, corrected for chance; interactions are not counted).</p>`
      : `<p class="note">Each param's main effect on its own: trials grouped by value (numbers in quantile bins), between-group variance over total variance corrected for the number of groups (ε²), over ${rated.length} completed trials. Interactions are not counted.</p>`;
  return chart + caveat;
}

function learningCurves(status: SweepStatus, curves: Map<number, TrialCurves>): string {
  const trials = status.trials.map((t) => t.trial).filter((n) => curves.has(n));
  const legend = trials.length <= 10;
  const acc = lineChart({
    id: 'curves-val-acc',
    title: 'Validation accuracy per epoch, every trial',
    xLabel: 'epoch',
    yLabel: 'validation accuracy',
    xInteger: true,
    legend,
    series: trials.map((n, i) => ({ name: `trial ${n}`, color: seriesColor(i), style: 'both', points: curves.get(n)!.epochs.flatMap((e) => (e.valAcc === null ? [] : [[e.epoch + 1, e.valAcc] as [number, number]])) })),
  });
  const loss = lineChart({
    id: 'curves-train-loss',
    title: 'Training loss per logged step, every trial',
    xLabel: 'optimizer step',
    yLabel: 'training loss',
    legend,
    series: trials.map((n, i) => ({ name: `trial ${n}`, color: seriesColor(i), points: curves.get(n)!.steps.flatMap((s) => (s.loss === null ? [] : [[s.step, s.loss] as [number, number]])) })),
  });
  return acc + loss;
}

function activationSection(trial: TrialRecord, curves: TrialCurves | undefined, searched: readonly string[]): string {
  const head = `<h3>Trial ${trial.trial}: ${trial.state}, val_acc ${fmt(trial.metrics?.val_acc)}</h3><p><code>${escapeXml(paramText(trial.params, searched))}</code></p>`;
  if (!curves || curves.stats.length === 0) return `${head}<p class="note">No activation stats were recorded for this trial.</p>`;
  const names = curves.stats[0]!.layers.map((l) => l.name);
  const steps = curves.stats.map((s) => s.step);
  const dead = lineChart({
    id: `dead-${trial.trial}`,
    title: `Trial ${trial.trial}: dead ratio per layer (share of |activation| < 0.25)`,
    xLabel: 'optimizer step',
    yLabel: 'dead ratio',
    legend: true,
    series: names.map((name, i) => ({ name, color: seriesColor(i), points: curves.stats.flatMap((s) => { const d = s.layers[i]?.dead; return d == null ? [] : [[s.step, d] as [number, number]]; }) })),
  });
  const heatmaps = names.map((name, i) =>
    heatmap({
      id: `colorful-${trial.trial}-${name}`,
      title: `Trial ${trial.trial}, ${name}: log(1 + count) of |activation| per bin over steps`,
      xLabel: 'optimizer step',
      yLabel: '|activation|',
      columns: steps,
      cells: curves.stats.map((s) => (s.layers[i]?.hist ?? []).map((c) => Math.log1p(c))),
      rowRange: [0, 10],
    }),
  );
  return `${head}${dead}<div class="layers">${heatmaps.join('')}</div>`;
}

function trialsTable(status: SweepStatus): string {
  const rows = status.trials.map(
    (t) =>
      `<tr><td>${t.trial}</td><td>${t.state}</td><td>${fmt(shownValue(t))}</td><td>${t.metrics?.epochs ?? '-'}</td><td>${fmt(t.metrics?.seconds, 1)}</td><td><code>${escapeXml(paramText(t.params, status.searched))}</code></td><td>${escapeXml(t.rule ? `${t.rule}: ${t.reason ?? ''}` : (t.reason ?? ''))}</td></tr>`,
  );
  return `<table><thead><tr><th>trial</th><th>state</th><th>val_acc</th><th>epochs</th><th>seconds</th><th>searched params</th><th>reason</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

export function buildReport({ status, space, curves, chosen, generatedAt }: ReportInput): string {
  const best = status.best;
  const done = status.trials.filter((t) => t.state !== 'running' && t.state !== 'paused').length;
  const chosenTrials = chosen.map((n) => status.trials.find((t) => t.trial === n)).filter((t): t is TrialRecord => t !== undefined);
  const body = [
    `<h1>Sweep ${escapeXml(status.sweepId)}</h1>`,
    `<p class="meta">${escapeXml(status.name)}${space.description ? ` — ${escapeXml(space.description)}` : ''}<br>${status.state}, ${done}/${status.budget} trials done, ${status.parallel} at a time on ${escapeXml(status.queue)}; searcher ${space.searcher}${space.pruner && space.pruner.type !== 'none' ? `, pruner ${space.pruner.type}` : ''}; report written ${generatedAt.toISOString()}</p>`,
    best
      ? `<p>Best: trial ${best.trial}, validation accuracy <b>${fmt(best.metrics?.val_acc)}</b><br><code>${escapeXml(JSON.stringify(best.params))}</code></p>`
      : '<p>No trial has completed yet.</p>',
    '<h2>Optimisation history</h2>',
    historyChart(status),
    '<h2>Parallel coordinates</h2>',
    parallelChart(status, space),
    '<h2>Hyperparameter importance</h2>',
    importanceSection(status),
    '<h2>Learning curves</h2>',
    learningCurves(status, curves),
    '<h2>Activations of chosen trials</h2>',
    '<p class="note">The "colorful dimension" of the fast.ai course: for each residual block, the histogram of |activation| (40 bins over [0, 10]) at every stats window, brighter for more values; a healthy layer spreads upwards early and stays spread, a dying one collapses into the lowest bin.</p>',
    ...chosenTrials.map((t) => activationSection(t, curves.get(t.trial), status.searched)),
    '<h2>Trials</h2>',
    trialsTable(status),
  ];
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>sweep report: ${escapeXml(status.sweepId)}</title><style>${CSS}</style></head><body>${body.join('\n')}</body></html>\n`;
}
