import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createGridSearcher, shuffledIndex } from '../searcher/grid';
import { gridSize, pointAt, pointKey } from '../searcher/space-points';
import { assertFits, paramsArb, parsed } from './support/spaces';

describe('grid searcher', () => {
  it('counts points with conditional params only under their parent value', () => {
    const space = parsed({ searcher: 'grid', params: {
      crop_pad: { type: 'int', low: 0, high: 6, step: 3 },
      erase_p: { type: 'categorical', values: [0, 0.5, 1] },
      erase_count: { type: 'int', low: 1, high: 4, condition: { param: 'erase_p', equals: 0.5 } },
      erase_size: { type: 'categorical', values: [0.1, 0.2], condition: { param: 'erase_p', equals: 0.5 } },
    } });
    // crop_pad: 0, 3, 6; erase_p 0 or 1 alone, or 0.5 with 4 x 2 children: 3 x (1 + 8 + 1).
    assert.equal(gridSize(space.params), 30);
  });

  it('visits every point of any discrete space exactly once', () => {
    fc.assert(fc.property(paramsArb(true), fc.integer({ min: 0, max: 1000 }), (params, seed) => {
      const space = parsed({ searcher: 'grid', seed, params });
      const size = gridSize(space.params);
      fc.pre(size <= 3000);
      const searcher = createGridSearcher(space);
      const keys = new Set<string>();
      for (let t = 0; t < size; t++) {
        const p = searcher.suggest(t, []);
        assertFits(space, p);
        keys.add(pointKey(space.params, p));
      }
      assert.equal(keys.size, size);
    }), { numRuns: 25 });
  });

  it('decodes every index to a distinct point', () => {
    const space = parsed({ searcher: 'grid', params: { batch_size: { type: 'categorical', values: [32, 64] }, crop_pad: { type: 'int', low: 0, high: 2 } } });
    const keys = Array.from({ length: 6 }, (_, i) => pointKey(space.params, pointAt(space.params, i)));
    assert.equal(new Set(keys).size, 6);
  });

  it('shuffles the order by seed and is a permutation prefix for any grid size', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 500 }), fc.integer(), (size, seed) => {
      const order = Array.from({ length: size }, (_, n) => shuffledIndex(seed >>> 0, size, n));
      assert.deepEqual([...order].sort((a, b) => a - b), Array.from({ length: size }, (_, i) => i));
    }), { numRuns: 50 });
    const huge = 2 ** 40;
    const first = shuffledIndex(1, huge, 0);
    assert.ok(first >= 0 && first < huge && Number.isInteger(first));
    const a = Array.from({ length: 20 }, (_, n) => shuffledIndex(1, 20, n));
    const b = Array.from({ length: 20 }, (_, n) => shuffledIndex(2, 20, n));
    assert.notDeepEqual(a, b);
  });

  it('refuses a trial past the end of the grid', () => {
    const space = parsed({ searcher: 'grid', params: { batch_size: { type: 'categorical', values: [32, 64] } } });
    assert.throws(() => createGridSearcher(space).suggest(2, []), /grid search has 2 points; trial 2 is past the end/);
  });
});
