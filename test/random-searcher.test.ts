import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSpace, type Space } from '../contracts/space';
import { suggestTrialParams } from '../searcher';
import { createRandomSearcher } from '../searcher/random';
import { trialSeed } from '../searcher/rng';

function space(extra: Partial<Record<string, unknown>> = {}): Space {
  const result = parseSpace({
    name: 's',
    seed: 7,
    trials: 200,
    fixed: { epochs: 2 },
    params: {
      max_lr: { type: 'loguniform', low: 0.001, high: 0.1 },
      dropout: { type: 'uniform', low: 0.1, high: 0.3 },
      crop_pad: { type: 'int', low: 0, high: 6, step: 2 },
      batch_size: { type: 'categorical', values: [64, 128, 256] },
    },
    ...extra,
  });
  assert.ok(result.ok);
  return result.space;
}

describe('random searcher', () => {
  it('stays within bounds, on the step grid and among the choices', () => {
    const searcher = createRandomSearcher(space());
    for (let trial = 0; trial < 200; trial++) {
      const p = searcher.suggest(trial, []);
      assert.ok((p.max_lr as number) >= 0.001 && (p.max_lr as number) <= 0.1);
      assert.ok((p.dropout as number) >= 0.1 && (p.dropout as number) < 0.3);
      assert.ok([0, 2, 4, 6].includes(p.crop_pad as number), `crop_pad ${p.crop_pad}`);
      assert.ok([64, 128, 256].includes(p.batch_size as number));
    }
  });

  it('samples log parameters uniformly in log space', () => {
    const searcher = createRandomSearcher(space());
    const below = Array.from({ length: 200 }, (_, t) => searcher.suggest(t, [])).filter((p) => (p.max_lr as number) < 0.01).length;
    // Half the log range lies below 0.01; a linear sampler would put about 9% there.
    assert.ok(below > 70 && below < 130, `${below} of 200 below 0.01`);
  });

  it('is deterministic in (sweep seed, trial) and differs across trials and seeds', () => {
    const a = createRandomSearcher(space()).suggest(3, []);
    assert.deepEqual(createRandomSearcher(space()).suggest(3, []), a);
    assert.notDeepEqual(createRandomSearcher(space()).suggest(4, []), a);
    assert.notDeepEqual(createRandomSearcher(space({ seed: 8 })).suggest(3, []), a);
  });

  it('builds full trial params: fixed values, suggestion and a derived training seed', () => {
    const s = space();
    const params = suggestTrialParams(s, 5, []);
    assert.equal(params.epochs, 2);
    assert.equal(params.seed, trialSeed(7, 5));
    assert.notEqual(trialSeed(7, 5), trialSeed(7, 6));
    assert.ok(Number.isInteger(params.seed) && (params.seed as number) >= 0 && (params.seed as number) < 2 ** 31);
  });
});
