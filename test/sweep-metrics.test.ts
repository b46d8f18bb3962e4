import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { SweepEvent, SweepEventData } from '../contracts/sweep-events';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { parseAlerts, type PruneRequest } from '../metrics/alert-receiver';
import { createMetricsServer } from '../metrics/http-server';
import { METRICS } from '../metrics/definitions';
import { SweepMetrics } from '../metrics/sweep-metrics';

const T0 = 1_700_000_000_000;
const event = (trial: number, ts: number, data: SweepEventData, attempt = 1, node = 'n1'): SweepEvent => ({ v: 1, sweep: 's1', trial, attempt, node, ts: T0 + ts, data });
const started = (trial: number, ts: number, attempt = 1, node = 'n1') =>
  event(trial, ts, { event: 'trial_started', params: { epochs: 4, max_lr: 0.01, widths: [8, 16], erase: true }, budget: 5, queue: 'cpu', resume_from: null }, attempt, node);
const epoch = (trial: number, ts: number, e: number, valAcc: number, attempt = 1, node = 'n1') =>
  event(trial, ts, { event: 'epoch', epoch: e, train_loss: 0.5, val_loss: 0.4, val_acc: valAcc, seconds: 10, images_per_s: 100 }, attempt, node);
const base = { sweep: 's1', trial: '0', queue: 'cpu', node: 'n1' };

describe('metrics from sweep events', () => {
  it('tracks a trial\'s curves, params, layers and histogram bins', () => {
    const m = new SweepMetrics();
    m.apply(started(0, 0));
    m.apply(event(0, 1000, { event: 'step', epoch: 0, step: 10, loss: 1.5, lr: 0.004, mom: 0.93, images_per_s: 250 }));
    const hist = Array.from({ length: 40 }, (_, i) => i);
    m.apply(event(0, 1500, { event: 'stats', epoch: 0, step: 10, layers: [{ name: 'block0', mean: 0.2, std: 0.9, hist, dead: 0.31 }] }));
    m.apply(epoch(0, 10_000, 0, 0.8));
    m.apply(epoch(0, 20_000, 1, 0.78));
    const s = m.store;
    assert.equal(s.get('sweep_trial_loss', base), 1.5);
    assert.equal(s.get('sweep_trial_learning_rate', base), 0.004);
    assert.equal(s.get('sweep_trial_param', { ...base, param: 'max_lr' }), 0.01);
    assert.equal(s.get('sweep_trial_param', { ...base, param: 'erase' }), 1);
    assert.equal(s.get('sweep_trial_param', { ...base, param: 'widths' }), undefined);
    assert.equal(s.get('sweep_trial_layer_dead_ratio', { ...base, layer: 'block0' }), 0.31);
    assert.equal(s.get('sweep_trial_layer_activation_count', { ...base, layer: 'block0', bin: '0.25' }), 0);
    assert.equal(s.get('sweep_trial_layer_activation_count', { ...base, layer: 'block0', bin: '10' }), 39);
    assert.equal(s.get('sweep_trial_val_accuracy', base), 0.78);
    assert.equal(s.get('sweep_trial_best_val_accuracy', base), 0.8);
    assert.equal(s.get('sweep_trial_epoch_val_accuracy', { ...base, epoch: '0' }), 0.8);
    assert.equal(s.get('sweep_trials', { sweep: 's1', state: 'running' }), 1);
    assert.equal(s.get('sweep_trials_budget', { sweep: 's1' }), 5);
  });

  it('counts states, the best result, pruning by rule, trainer seconds and what pruning saved', () => {
    const m = new SweepMetrics();
    m.apply(started(0, 0));
    m.apply(started(1, 0));
    m.apply(event(0, 40_000, { event: 'trial_ended', state: 'completed', reason: null, rule: null, planned_epochs: 4, metrics: { val_acc: 0.9, val_loss: 0.3, epochs: 4, seconds: 40 }, final: true }));
    // Pruned after 1 of 4 epochs at 12 s per epoch: 3 unrun epochs = 36 s saved.
    m.apply(event(1, 12_000, { event: 'trial_ended', state: 'pruned', reason: 'rung 0', rule: 'asha', planned_epochs: 4, metrics: { val_acc: 0.5, val_loss: 1, epochs: 1, seconds: 12 }, final: true }));
    const s = m.store;
    assert.equal(s.get('sweep_trials', { sweep: 's1', state: 'completed' }), 1);
    assert.equal(s.get('sweep_trials', { sweep: 's1', state: 'pruned' }), 1);
    assert.equal(s.get('sweep_trials', { sweep: 's1', state: 'running' }), 0);
    assert.equal(s.get('sweep_best_val_accuracy', { sweep: 's1' }), 0.9);
    assert.equal(s.get('sweep_trials_pruned_total', { sweep: 's1', rule: 'asha' }), 1);
    assert.equal(s.get('sweep_pruning_saved_trainer_seconds_total', { sweep: 's1' }), 36);
    assert.equal(s.get('sweep_trainer_seconds_total', { sweep: 's1', queue: 'cpu', node: 'n1' }), 52);
    assert.equal(s.get('sweep_trial_running', { ...base, trial: '1' }), 0);
    assert.equal(s.get('sweep_trial_ended', { ...base, trial: '1', state: 'pruned', rule: 'asha' }), 1);
    assert.equal(s.get('sweep_trial_ended', { ...base, state: 'completed', rule: '' }), 1);
  });

  it('moves a retried trial to its new node, keeps its epoch values and ignores the old attempt', () => {
    const m = new SweepMetrics();
    m.apply(started(0, 0));
    m.apply(epoch(0, 10_000, 0, 0.7));
    m.apply(event(0, 15_000, { event: 'trial_ended', state: 'failed', reason: 'TrainerCrashed', rule: null, planned_epochs: 4, metrics: null, final: false }));
    m.apply(started(0, 20_000, 2, 'n2'));
    m.apply(epoch(0, 21_000, 1, 0.99)); // attempt 1's late event
    const moved = { ...base, node: 'n2' };
    assert.equal(m.store.get('sweep_trial_running', base), undefined);
    assert.equal(m.store.get('sweep_trial_epoch_val_accuracy', { ...moved, epoch: '0' }), 0.7);
    assert.equal(m.store.get('sweep_trial_best_val_accuracy', moved), 0.7);
    assert.equal(m.store.get('sweep_trials', { sweep: 's1', state: 'running' }), 1);
  });

  it('drops a finished trial\'s series after the retention, keeps its sweep\'s counts, and drops silent workers', () => {
    const m = new SweepMetrics({ trialMs: 60_000, sweepMs: 3600_000, workerMs: 30_000 });
    m.apply(started(0, 0));
    m.apply(epoch(0, 10_000, 0, 0.7));
    m.apply(event(0, 20_000, { event: 'trial_ended', state: 'completed', reason: null, rule: null, planned_epochs: 1, metrics: { val_acc: 0.7, val_loss: 0.4, epochs: 1, seconds: 10 }, final: true }));
    m.applyWorker({ v: 1, node: 'w1', host: 'h', queue: 'cpu', slots: 2, busy: 1, ts: T0 + 40_000 });
    assert.equal(m.store.get('sweep_worker_busy_slots', { node: 'w1', queue: 'cpu' }), 1);
    assert.equal(m.expire(T0 + 50_000), 0);
    assert.ok(m.expire(T0 + 81_000) > 0);
    assert.equal(m.store.get('sweep_trial_val_accuracy', base), undefined);
    assert.equal(m.store.get('sweep_worker_slots', { node: 'w1', queue: 'cpu' }), undefined);
    assert.equal(m.store.get('sweep_trials', { sweep: 's1', state: 'completed' }), 1);
    assert.equal(m.store.get('sweep_best_val_accuracy', { sweep: 's1' }), 0.7);
    m.expire(T0 + 20_000 + 3600_001);
    // Only the exporter's own counters are left: events read, one series per event kind.
    assert.equal(m.store.seriesCount(), 3);
  });

  it('writes the Prometheus text format, escaping label values', () => {
    const m = new SweepMetrics();
    m.store.set('sweep_trials_budget', { sweep: 'a"b\\c\nd' }, 3);
    const text = m.store.exposition();
    assert.match(text, /^# HELP sweep_trials_budget .+\n# TYPE sweep_trials_budget gauge\nsweep_trials_budget\{sweep="a\\"b\\\\c\\nd"\} 3$/m);
  });

  it('documents every metric it serves in docs/metrics.md, and serves every documented one', () => {
    const doc = readFileSync(path.join(__dirname, '..', 'docs', 'metrics.md'), 'utf8');
    const documented = new Set([...doc.matchAll(/^\| `(sweep_[a-z_]+)` \|/gm)].map((match) => match[1]!));
    assert.deepEqual([...documented].sort(), METRICS.map((d) => d.name).sort());
  });
});

describe('alert receiver', () => {
  const labels = { alertname: 'SweepTrialLossDiverging', sweep: 'quick-20261203-101010-ab12', trial: '3', sweep_action: 'prune' };
  it('takes firing prune alerts from Prometheus\'s push and from Alertmanager/Grafana webhooks', () => {
    const now = Date.parse('2026-12-03T10:00:00Z');
    const push = [
      { labels, annotations: { summary: 'loss 3.1 > 2 x min' }, endsAt: '2026-12-03T10:04:00Z' },
      { labels: { ...labels, trial: '4' }, endsAt: '2026-12-03T09:59:00Z' }, // resolved
    ];
    assert.deepEqual(parseAlerts(push, now), { ok: true, requests: [{ sweep: labels.sweep, trial: 3, reason: 'alert SweepTrialLossDiverging: loss 3.1 > 2 x min' }], ignored: 1 });
    const hook = { version: '4', status: 'firing', alerts: [{ status: 'firing', labels }, { status: 'resolved', labels }] };
    const parsed = parseAlerts(hook, now);
    assert.ok(parsed.ok);
    assert.equal(parsed.requests.length, 1);
    assert.equal(parsed.ignored, 1);
  });

  it('ignores alerts without sweep_action=prune or with labels that are not a sweep id and trial number', () => {
    const now = Date.now();
    const bad = [
      { labels: { ...labels, sweep_action: 'page' } },
      { labels: { ...labels, sweep: 'x.>' } },
      { labels: { ...labels, trial: '1.5' } },
      { labels: { alertname: 'Other' } },
    ];
    assert.deepEqual(parseAlerts(bad, now), { ok: true, requests: [], ignored: 4 });
    assert.equal(parseAlerts({ hello: 1 }, now).ok, false);
  });
});

describe('metrics HTTP server', () => {
  it('serves /metrics, takes alerts only with the bearer token, and rejects bodies that are not alerts', async () => {
    const pruned: PruneRequest[] = [];
    const logger = pino({ level: 'silent' });
    const server = createMetricsServer({ exposition: () => 'sweep_trials_budget{sweep="s"} 3\n', onPrune: (r) => pruned.push(r), logger, alertToken: 's3cret' });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const metrics = await fetch(`${url}/metrics`);
      assert.equal(metrics.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
      assert.equal(await metrics.text(), 'sweep_trials_budget{sweep="s"} 3\n');
      const alert = JSON.stringify([{ labels: { alertname: 'A', sweep: 's-1', trial: '2', sweep_action: 'prune' } }]);
      const post = (body: string, token?: string) =>
        fetch(`${url}/api/v2/alerts`, { method: 'POST', body, headers: token ? { authorization: `Bearer ${token}` } : {} });
      assert.equal((await post(alert)).status, 401);
      assert.equal((await post(alert, 'wrong!')).status, 401);
      assert.deepEqual(pruned, []);
      const ok = await post(alert, 's3cret');
      assert.equal(ok.status, 200);
      assert.deepEqual(await ok.json(), { pruned: 1, ignored: 0 });
      assert.deepEqual(pruned, [{ sweep: 's-1', trial: 2, reason: 'alert A' }]);
      assert.equal((await post('{not json', 's3cret')).status, 400);
      assert.equal((await post('{"alerts": 3}', 's3cret')).status, 400);
      assert.equal((await post(`"${'x'.repeat(2 * 1024 * 1024)}"`, 's3cret').catch(() => ({ status: 413 }))).status, 413);
      assert.equal((await fetch(`${url}/nope`)).status, 404);
    } finally {
      server.close();
    }
  });
});
