import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createQuarantine } from '../workers/quarantine';

let trials = 0;
/** A node failure of a new trial each time. */
const crash = () => ({ ok: false as const, type: 'TrainerCrashed', reason: 'trainer was killed by SIGSEGV', trial: `s/${trials++}` });

describe('worker quarantine', () => {
  it('quarantines after 3 node failures in a row, once, with the last reason', () => {
    const q = createQuarantine(3);
    assert.equal(q.record(crash()), false);
    assert.equal(q.record({ ok: false, type: 'OutOfMemory', reason: 'CUDA out of memory', trial: 's/a' }), false);
    assert.equal(q.reason, null);
    assert.equal(q.record({ ok: false, type: 'DataUnavailable', reason: 'SHA-256 mismatch', trial: 's/b' }), true);
    assert.match(q.reason ?? '', /^3 trial attempts in a row failed here; last: SHA-256 mismatch$/);
    assert.equal(q.record(crash()), false, 'a quarantined node is quarantined once');
    assert.equal(q.record({ ok: true }), false);
    assert.notEqual(q.reason, null, 'a success after quarantine does not lift it');
  });

  it('resets on a trial that ends well, and ignores failures that are the trial’s own', () => {
    const q = createQuarantine(3);
    q.record(crash());
    q.record(crash());
    q.record({ ok: true });
    q.record(crash());
    q.record({ ok: false, type: 'BadTrialConfig', reason: 'batch_size too big', trial: 's/c' });
    assert.equal(q.record(crash()), false);
    assert.equal(q.reason, null);
    assert.equal(q.record(crash()), true);
  });

  it('counts one trial crashing or out of memory here again and again once: its config may be at fault', () => {
    const q = createQuarantine(3);
    const oom = { ok: false as const, type: 'OutOfMemory', reason: 'can\'t allocate memory', trial: 's/big' };
    for (let attempt = 0; attempt < 5; attempt++) assert.equal(q.record(oom), false);
    assert.equal(q.record({ ...crash(), trial: 's/big' }), false);
    assert.equal(q.reason, null);
  });

  it('counts every attempt that finds this node\'s data unreadable, whichever trial it is', () => {
    const q = createQuarantine(3);
    const data = { ok: false as const, type: 'DataUnavailable', reason: 'SHA-256 mismatch', trial: 's/0' };
    assert.equal(q.record(data), false);
    assert.equal(q.record(data), false);
    assert.equal(q.record(data), true);
  });
});
