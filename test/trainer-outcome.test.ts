import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyTrainerExit } from '../workers/trainer-outcome';

const exit = (code: number | null, stderrTail = '', signal: NodeJS.Signals | null = null) => ({ code, signal, stderrTail });
const result = { event: 'result', val_acc: 0.9, val_loss: 0.3, test_acc: null, tta_acc: null, epochs: 2, seconds: 10 } as const;

describe('trainer exit codes', () => {
  it('a clean exit with a result completes the trial', () => {
    assert.deepEqual(classifyTrainerExit(exit(0), result, null), { kind: 'completed', result });
  });
  it('bad config and data are final; out of memory and crashes are retried', () => {
    const err = (kind: 'bad_config' | 'data' | 'nan_loss' | 'oom') => ({ event: 'error', kind, message: `${kind} happened` }) as const;
    assert.deepEqual(classifyTrainerExit(exit(2), err('bad_config'), null), { kind: 'failed', type: 'BadTrialConfig', message: 'bad_config happened', retryable: false });
    assert.equal(classifyTrainerExit(exit(3), err('data'), null).kind, 'failed');
    assert.deepEqual(classifyTrainerExit(exit(5), err('oom'), null), { kind: 'failed', type: 'OutOfMemory', message: 'oom happened', retryable: true });
    const crash = classifyTrainerExit(exit(1, 'Traceback...\nRuntimeError: boom'), undefined, null);
    assert.deepEqual(crash, { kind: 'failed', type: 'TrainerCrashed', message: 'trainer exited with code 1: Traceback...\nRuntimeError: boom', retryable: true });
    assert.match(classifyTrainerExit(exit(null, '', 'SIGKILL'), undefined, null).kind === 'failed' ? 'ok' : '', /ok/);
  });
  it('a stop the sweep asked for is a stop, a worker shutdown is retried elsewhere', () => {
    assert.deepEqual(classifyTrainerExit(exit(143), undefined, { kind: 'requested' }), { kind: 'stopped' });
    assert.equal(classifyTrainerExit(exit(143), undefined, { kind: 'interrupted' }).kind, 'interrupted');
  });
  it('a NaN loss prunes the trial with the trainer\'s message; a pruning stop keeps its rule and reason', () => {
    const nan = { event: 'error', kind: 'nan_loss', message: 'loss is nan at step 40' } as const;
    assert.deepEqual(classifyTrainerExit(exit(4), nan, null), { kind: 'pruned', rule: 'nan_loss', reason: 'loss is nan at step 40' });
    const pruned = { kind: 'pruned', rule: 'asha', reason: 'rung 0' } as const;
    assert.deepEqual(classifyTrainerExit(exit(143), undefined, pruned), pruned);
    // A trainer that finished before the stop reached it keeps its result.
    assert.deepEqual(classifyTrainerExit(exit(0), result, pruned), { kind: 'completed', result });
  });
});
