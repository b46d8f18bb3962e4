/**
 * Metrics, dashboards and alert-driven stops against a real Prometheus (Debian's), scraping the
 * embedded stack's exporter while real sweeps run:
 * - a trial with a diverging learning rate is pruned by the worker's health rule, and the CLI says why;
 * - with that rule off, Prometheus evaluates deploy/'s alert rules, posts the firing alert to the
 *   exporter and the same kind of trial is pruned by the alert;
 * - every PromQL expression of every generated dashboard returns data through Prometheus's API.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { JsonSummary } from '../cli/summary';
import { promExpressions, substituteVariables } from '../dashboards/queries';
import { createTestStack, type TestStack } from './support/cli';
import { startPrometheus, type TestPrometheus } from './support/prometheus';

const GENERATED = path.resolve(__dirname, '..', 'dashboards', 'generated');

/** A narrow net on 3,000 images with batch 32: at max_lr 10 the loss climbs back above chance for many steps. */
const FIXED = { epochs: 4, widths: [8, 16, 32], train_subset: 3000, batch_size: 32, log_every: 5, stats_every: 5 };

describe('Prometheus, dashboards and alerts on a real sweep', () => {
  let stack: TestStack;
  let prometheus: TestPrometheus;
  let alertSweep: JsonSummary;

  const startSweep = async (name: string, space: object): Promise<{ summary: JsonSummary; stderr: string }> => {
    const file = path.join(stack.stateDir, `${name}.json`);
    await writeFile(file, JSON.stringify({ name, ...space }));
    const result = await stack.run(['start', file, '--json']);
    assert.equal(result.code, 0, result.stderr);
    return { summary: JSON.parse(result.stdout) as JsonSummary, stderr: result.stderr };
  };

  before(async () => {
    stack = await createTestStack();
    const up = await stack.run(['dev', 'up']);
    assert.equal(up.code, 0, up.stderr);
    const exporter = new URL(stack.metricsUrl).host;
    // The exporter is also the alert receiver: Prometheus posts firing alerts to its /api/v2/alerts.
    prometheus = await startPrometheus(exporter, exporter);
  });

  after(async () => {
    await prometheus?.stop();
    await stack.run(['dev', 'down']);
    await stack.remove();
  });

  it('prunes a diverging trial by the health rule and says why in the CLI', async () => {
    const { summary, stderr } = await startSweep('diverging', { trials: 1, fixed: { ...FIXED, max_lr: 10 }, params: {} });
    const [trial] = summary.trials;
    assert.equal(trial?.state, 'pruned', JSON.stringify(trial));
    assert.equal(trial?.rule, 'divergence');
    assert.match(trial?.reason ?? '', /^loss diverged at step \d+: [\d.]+ > 2 x its lowest [\d.]+ and > 2\.5$/);
    assert.ok(trial!.metrics!.epochs < 4, 'stopped before its last epoch');
    assert.match(stderr, /\[trial 0\] pruned \(divergence\) after \d\/4 epochs, val_acc=\S+: loss diverged at step/);
    assert.equal(summary.best, null);
  });

  it('prunes a diverging trial when Prometheus fires the divergence alert', async () => {
    // Grid: every max_lr once. The health rule is off, so only the alert can stop the diverging one;
    // ASHA's first rung is after epoch 2, which leaves the alert (scraped and evaluated every
    // second) two epochs to fire before ASHA could compare the diverging trial with its peer.
    const { summary } = await startSweep('alerts', {
      trials: 3,
      parallel: 2,
      searcher: 'grid',
      pruner: { type: 'asha', min_epochs: 2, min_peers: 1 },
      health: { divergence: false },
      fixed: FIXED,
      params: { max_lr: { type: 'categorical', values: [10, 0.01, 0.02] } },
    });
    alertSweep = summary;
    const diverging = summary.trials.find((t) => t.params.max_lr === 10)!;
    assert.equal(diverging.state, 'pruned', JSON.stringify(diverging));
    assert.equal(diverging.rule, 'alert');
    assert.match(diverging.reason ?? '', /^alert SweepTrialLossDiverging: Trial \d+ of alerts-\S+ is diverging: loss [\d.]+$/);
    const others = summary.trials.filter((t) => t !== diverging);
    assert.ok(others.some((t) => t.state === 'completed'), JSON.stringify(others));
    // The pruned-by-rule panel's query sees the alert's stop.
    const pruned = await prometheus.waitFor(`sweep_trials_pruned_total{sweep="${summary.sweep.id}",rule="alert"}`, 30_000);
    assert.equal(pruned[0]?.value[1], '1');
  });

  it('answers every dashboard query with data', async () => {
    assert.ok(alertSweep, 'needs the alert sweep');
    const completed = alertSweep.trials.find((t) => t.state === 'completed')!;
    const variables = {
      sweep: alertSweep.sweep.id,
      trial: String(completed.trial),
      layer: 'block0',
      param: 'max_lr',
      __rate_interval: '1m',
      __interval: '15s',
      __range: '1h',
    };
    const files = readdirSync(GENERATED).filter((f) => f.endsWith('.json'));
    assert.ok(files.length >= 3);
    const empty: string[] = [];
    let checked = 0;
    for (const file of files) {
      for (const { source, expr } of promExpressions(JSON.parse(readFileSync(path.join(GENERATED, file), 'utf8')))) {
        const query = substituteVariables(expr, variables);
        // Data scraped after the sweep's last events may be a second or two behind.
        const result = await prometheus.waitFor(query, 15_000);
        checked += 1;
        if (result.length === 0) empty.push(`${file} ${source}: ${query}`);
      }
    }
    assert.deepEqual(empty, [], `queries without data:\n${empty.join('\n')}`);
    assert.ok(checked > 20, `only ${checked} queries`);
  });
});
