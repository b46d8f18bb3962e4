/**
 * Messages that are malformed or from a newer version, on every subject and bucket sweep reads,
 * while a real sweep runs: each reader rejects them with a log line or a counted metric, nothing
 * crashes, and the sweep completes as if they had not been sent.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect } from '@nats-io/transport-node';
import type { JsonSummary } from '../cli/summary';
import { RESULTS_BUCKET } from '../connections/results-store';
import { WORKERS_BUCKET } from '../connections/worker-registry';
import { trialControlSubject, trialEventSubject, workerSubject } from '../contracts/sweep-events';
import { startDetached, useTestStack } from './support/cli';
import { firstEvent } from './support/events';

async function metricValue(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(name))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

describe('malformed and newer-version messages', () => {
  const stack = useTestStack();

  it('are rejected by every reader with a log line, and the sweep completes untouched', async () => {
    const sweepId = await startDetached(stack, 'test/fixtures/tiny.json');
    // Wait for trial 0 to train, so that its worker listens for control messages.
    assert.ok(await firstEvent(() => stack.natsOptions(), sweepId, 3, (e) => e.trial === 0 && e.data.event === 'step'));
    const rejectedBefore = await metricValue(stack.metricsUrl, 'sweep_exporter_rejected_messages_total');

    const nc = await connect(stack.natsOptions());
    try {
      const js = jetstream(nc);
      const future = { v: 2, sweep: sweepId, trial: 0, attempt: 1, node: 'n', ts: Date.now(), data: { event: 'step', hologram: true } };
      await js.publish(trialEventSubject(sweepId, 0, 'step'), 'not json {');
      await js.publish(trialEventSubject(sweepId, 0, 'step'), JSON.stringify(future));
      await js.publish(trialEventSubject(sweepId, 0, 'epoch'), JSON.stringify({ ...future, v: 1, data: { event: 'epoch', val_acc: 'high' } }));
      // A prune order from a newer version, and garbage: neither may stop trial 0.
      nc.publish(trialControlSubject(sweepId, 0), JSON.stringify({ v: 2, action: 'prune', rule: 'alert', reason: 'from the future' }));
      nc.publish(trialControlSubject(sweepId, 0), '\u0000\u0001garbage');
      nc.publish(workerSubject('evil'), 'not json');
      nc.publish(workerSubject('evil-v2'), JSON.stringify({ v: 2, node: 'evil-v2' }));
      const workers = await new Kvm(nc).open(WORKERS_BUCKET);
      await workers.put('evil', 'not json');
      await workers.put('evil-v2', JSON.stringify({ v: 2, node: 'evil-v2', ts: Date.now() }));
      const results = await new Kvm(nc).open(RESULTS_BUCKET);
      await results.put('sweeps.from-the-future', JSON.stringify({ v: 2, status: {} }));
      await nc.flush();
    } finally {
      await nc.close();
    }

    // The live view skips what it cannot read and follows the sweep to its end.
    const watched = await stack.run(['watch', sweepId, '--json']);
    assert.equal(watched.code, 0, watched.stderr);
    const summary = JSON.parse(watched.stdout) as JsonSummary;
    assert.deepEqual(summary.trials.map((t) => t.state), ['completed', 'completed', 'completed']);

    // The worker said why it ignored the control messages, and is still the one serving.
    const workerLog = readFileSync(path.join(stack.stateDir, 'worker.log'), 'utf8');
    assert.match(workerLog, /rejected a malformed control message/);
    assert.match(workerLog, /rejected a control message that is not JSON/);
    const workers = await stack.run(['workers', '--json']);
    assert.equal(workers.code, 0, workers.stderr);
    assert.deepEqual((JSON.parse(workers.stdout) as { workers: Array<{ node: string }> }).workers.map((w) => w.node).filter((n) => n.startsWith('evil')), []);

    // The exporter counted each message it could not read and still serves.
    assert.ok((await metricValue(stack.metricsUrl, 'sweep_exporter_rejected_messages_total')) >= rejectedBefore + 5);
    assert.equal((await fetch(`${stack.metricsUrl}/healthz`)).status, 200);

    // A stored result from a newer version: left out of the list, named when asked for.
    const list = await stack.run(['status', '--json']);
    assert.equal(list.code, 0, list.stderr);
    assert.ok(!list.stdout.includes('from-the-future'));
    const future = await stack.run(['status', 'from-the-future']);
    assert.equal(future.code, 1);
    assert.match(future.stderr, /the stored result of from-the-future is not a version-1 sweep record \(written by a newer sweep\?\)/);
  });
});
