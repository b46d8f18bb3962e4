import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createQuarantine } from '../workers/quarantine';

const crash = { ok: false as const, type: 'TrainerCrashed', reason: 'trainer was killed by SIGSEGV' };

describe('worker quarantine', () => {
  it('quarantines after 3 node failures in a row, once, with the last reason', () => {
    const q = createQuarantine(3);
    assert.equal(q.record(crash), false);
    assert.equal(q.record({ ok: false, type: 'OutOfMemory', reason: 'CUDA out of memory' }), false);
    assert.equal(q.reason, null);
    assert.equal(q.record({ ok: false, type: 'DataUnavailable', reason: 'SHA-256 mismatch' }), true);
    assert.match(q.reason ?? '', /^3 trials in a row failed here; last: SHA-256 mismatch$/);
    assert.equal(q.record(crash), false, 'a quarantined node is quarantined once');
    assert.equal(q.record({ ok: true }), false);
    assert.notEqual(q.reason, null, 'a success after quarantine does not lift it');
  });

  it('resets on a trial that ends well, and ignores failures that are the trial’s own', () => {
    const q = createQuarantine(3);
    q.record(crash);
    q.record(crash);
    q.record({ ok: true });
    q.record(crash);
    q.record({ ok: false, type: 'BadTrialConfig', reason: 'batch_size too big' });
    assert.equal(q.record(crash), false);
    assert.equal(q.reason, null);
    assert.equal(q.record(crash), true);
  });
});
