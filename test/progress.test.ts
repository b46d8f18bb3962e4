import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SweepEvent, SweepEventData } from '../contracts/sweep-events';
import { SweepProgress } from '../cli/progress';

const event = (trial: number, data: SweepEventData, attempt = 1): SweepEvent => ({ v: 1, sweep: 's', trial, attempt, node: 'n', ts: 0, data });
const started = (trial: number, attempt = 1) => event(trial, { event: 'trial_started', params: { epochs: 3, max_lr: 0.01 }, budget: 4, queue: 'sweep-cpu', resume_from: null }, attempt);
const ended = (trial: number, state: 'completed' | 'failed', valAcc: number | null, final = true, attempt = 1) =>
  event(trial, { event: 'trial_ended', state, reason: state === 'failed' ? 'TrainerCrashed: boom' : null, rule: null, planned_epochs: 3, metrics: valAcc === null ? null : { val_acc: valAcc, val_loss: 0.4, epochs: 3, seconds: 12 }, final }, attempt);

describe('live progress', () => {
  it('counts trials by state and tracks the best completed one', () => {
    const p = new SweepProgress(4);
    [started(0), started(1), started(2)].forEach((e) => p.apply(e));
    p.apply(event(0, { event: 'epoch', epoch: 0, train_loss: 1, val_loss: 0.9, val_acc: 0.95, seconds: 3, images_per_s: 100 }));
    p.apply(ended(1, 'completed', 0.81));
    p.apply(ended(2, 'failed', null));
    assert.deepEqual(p.counts(), { done: 1, pruned: 0, running: 1, failed: 1, stopped: 0 });
    // A running trial's epoch accuracy is not a result yet.
    assert.equal(p.best()?.trial, 1);
    assert.equal(p.summaryLine(), '1/4 done, 1 running, 1 failed; best val_acc 0.8100 (trial 1)');
  });

  it('prints epoch lines with the trial\'s own epoch count', () => {
    const p = new SweepProgress(1);
    p.apply(started(0));
    const line = p.apply(event(0, { event: 'epoch', epoch: 1, train_loss: 1, val_loss: 0.5, val_acc: 0.8, seconds: 2.04, images_per_s: 100 }));
    assert.equal(line, '[trial 0] epoch 2/3 val_acc=0.8000 val_loss=0.5000 (2.0 s)');
  });

  it('shows a retried attempt as retrying, and ignores a superseded attempt\'s late events', () => {
    const p = new SweepProgress(1);
    p.apply(started(0));
    assert.match(p.apply(ended(0, 'failed', null, false)) ?? '', /attempt failed, will retry: TrainerCrashed: boom/);
    assert.equal(p.trials.get(0)?.state, 'retrying');
    p.apply(started(0, 2));
    assert.equal(p.apply(ended(0, 'completed', 0.9, true, 1)), null);
    assert.equal(p.trials.get(0)?.state, 'starting');
    p.apply(ended(0, 'completed', 0.88, true, 2));
    assert.equal(p.best()?.valAcc, 0.88);
  });

  it('shows a pruned trial with its rule, reason and last accuracy, and counts it as done but never best', () => {
    const p = new SweepProgress(2);
    p.apply(started(0));
    p.apply(event(0, { event: 'epoch', epoch: 0, train_loss: 1, val_loss: 0.9, val_acc: 0.91, seconds: 3, images_per_s: 100 }));
    const line = p.apply(event(0, { event: 'trial_ended', state: 'pruned', reason: 'rung 0 (epoch 1): below the top 1 of 4', rule: 'asha', planned_epochs: 3, metrics: { val_acc: 0.91, val_loss: 0.9, epochs: 1, seconds: 4 }, final: true }));
    assert.equal(line, '[trial 0] pruned (asha) after 1/3 epochs, val_acc=0.9100: rung 0 (epoch 1): below the top 1 of 4  | 1/2 done (1 pruned), 0 running, 0 failed; no result yet');
    assert.equal(p.best(), null);
  });
});
