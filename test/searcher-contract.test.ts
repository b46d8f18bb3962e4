/**
 * The contract every searcher keeps, run against each: suggestions fit the space whatever the
 * history holds, and the same (space, trial, history) always gives the same suggestion.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Space } from '../contracts/space';
import { createSearcher } from '../searcher';
import type { Observation } from '../searcher/searcher';
import { gridSize } from '../searcher/space-points';
import { assertFits, historyArb, paramsArb, parsed } from './support/spaces';

interface Subject {
  searcher: 'random' | 'grid' | 'tpe';
  discrete: boolean;
  /** Extra space keys, e.g. TPE options that make the model phase start early. */
  extra: fc.Arbitrary<Record<string, unknown>>;
}

const SUBJECTS: Subject[] = [
  { searcher: 'random', discrete: false, extra: fc.constant({}) },
  { searcher: 'grid', discrete: true, extra: fc.constant({}) },
  {
    searcher: 'tpe',
    discrete: false,
    extra: fc.record({ tpe: fc.record({ n_startup_trials: fc.integer({ min: 0, max: 6 }), multivariate: fc.boolean(), constant_liar: fc.boolean() }) }),
  },
];

/** A space with its history; trial numbers stay inside the grid for grid search. */
function caseArb(subject: Subject): fc.Arbitrary<{ space: Space; history: Observation[]; trial: number }> {
  return fc
    .record({ params: paramsArb(subject.discrete), extra: subject.extra, seed: fc.integer({ min: 0, max: 1000 }) })
    .map(({ params, extra, seed }) => parsed({ searcher: subject.searcher, seed, params, ...extra }))
    .chain((space) =>
      historyArb(space).map((history) => ({ space, history, trial: Math.min(history.length, gridSize(space.params) - 1) })),
    );
}

for (const subject of SUBJECTS) {
  describe(`searcher contract: ${subject.searcher}`, () => {
    it('suggests values inside the space for any history, with conditional params only when active', () => {
      fc.assert(
        fc.property(caseArb(subject), ({ space, history, trial }) => assertFits(space, createSearcher(space).suggest(trial, history))),
        { numRuns: 60 },
      );
    });

    it('gives the same suggestion for the same space, trial and history', () => {
      fc.assert(
        fc.property(caseArb(subject), ({ space, history, trial }) => {
          assert.deepEqual(createSearcher(space).suggest(trial, history), createSearcher(space).suggest(trial, structuredClone(history)));
        }),
        { numRuns: 30 },
      );
    });

    it('handles degenerate histories: empty, one trial, all equal, all NaN, all failed or running', () => {
      const space = parsed({ searcher: subject.searcher, params: subject.discrete ? { crop_pad: { type: 'int', low: 0, high: 8 }, batch_size: { type: 'categorical', values: [64, 128] } } : { dropout: { type: 'uniform', low: 0, high: 0.5 }, max_lr: { type: 'loguniform', low: 1e-4, high: 1 } } });
      const point = createSearcher(space).suggest(0, []);
      const history = (n: number, state: Observation['state'], value: (i: number) => number | null): Observation[] =>
        Array.from({ length: n }, (_, trial) => ({ trial, params: { ...point }, state, value: value(trial) }));
      const cases: Observation[][] = [
        [],
        history(1, 'completed', () => 0.9),
        history(15, 'completed', () => 0.5),
        history(15, 'completed', () => Number.NaN),
        history(15, 'completed', () => null),
        history(15, 'failed', () => null),
        history(15, 'running', () => null),
        history(15, 'stopped', () => null),
      ];
      for (const h of cases) assertFits(space, createSearcher(space).suggest(h.length, h));
    });
  });
}
