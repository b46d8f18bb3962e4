/**
 * The TPE searcher (after Optuna's TPESampler): random suggestions until n_startup_trials have
 * completed, then per group of params, split good from bad trials, fit two Parzen estimators,
 * draw candidates from the good one and keep the one with the largest log l - log g.
 *
 * Groups: each param alone (independent), or all unconditional params together (multivariate);
 * a conditional param is always its own group, sampled when its parent took the gating value.
 * Each suggestion's randomness derives from (sweep seed, trial), so the same history always
 * gives the same suggestion.
 */
import { TPE_DEFAULTS, type ParamSpec, type Space } from '../../contracts/space';
import type { HyperValue } from '../../contracts/trial-config';
import { randomPoint } from '../random';
import { createRng, deriveSeed } from '../rng';
import type { Observation, Searcher } from '../searcher';
import { isActive, sampleOrder } from '../space-points';
import { isSeen, seenPoints, unseenPoint } from './avoid-repeats';
import { rankCandidates, type GroupOptions, type Ranked } from './sampler';
import { countsForModel, splitTrials, type Split } from './split-trials';

/** Optuna's default: the prior counts as much as one observation. */
const PRIOR_WEIGHT = 1;

interface Scored {
  values: Record<string, HyperValue>;
  score: number;
}

export function createTpeSearcher(space: Space): Searcher {
  const options = space.tpe ?? TPE_DEFAULTS;
  const order = sampleOrder(space.params);
  const unconditional = order.filter((n) => space.params[n]!.condition === undefined);
  const conditional = order.filter((n) => space.params[n]!.condition !== undefined);
  const groups = options.multivariate && unconditional.length > 0 ? [unconditional] : unconditional.map((n) => [n]);
  const groupOptions: GroupOptions = { priorWeight: PRIOR_WEIGHT, candidates: options.n_ei_candidates };
  const specsOf = (names: readonly string[]): Record<string, ParamSpec> => Object.fromEntries(names.map((n) => [n, space.params[n]!]));

  function suggestWithModel(trial: number, history: readonly Observation[], seen: Set<string> | null): Record<string, HyperValue> {
    const rng = createRng(deriveSeed(space.seed, trial, 0x79e));
    const split: Split = splitTrials(history, options.constant_liar);
    const lists = groups.map((group) => rankCandidates(specsOf(group), split, rng, groupOptions));
    // A conditional param is ranked the first time some choice of its parent activates it.
    const childLists = new Map<string, Ranked[]>();
    const childList = (name: string): Ranked[] => {
      if (!childLists.has(name)) childLists.set(name, rankCandidates(specsOf([name]), split, rng, groupOptions));
      return childLists.get(name)!;
    };
    // The acquisition is a sum over groups (their estimators are independent), so a point's score
    // is the sum of its choices' scores.
    const assemble = (choices: readonly Ranked[]): Scored => {
      const values: Record<string, HyperValue> = Object.assign({}, ...choices.map((c) => c.values));
      let score = choices.reduce((sum, c) => sum + c.score, 0);
      for (const name of conditional) {
        if (!isActive(space.params[name]!, values)) continue;
        const top = childList(name)[0]!;
        values[name] = top.values[name]!;
        score += top.score;
      }
      return { values, score };
    };
    const tops = lists.map((list) => list[0]!);
    const best = assemble(tops);
    if (!isSeen(space, seen, best.values)) return best.values;
    return bestUnseen(best, lists, tops, assemble, childList, seen) ?? unseenPoint(space, seen!, rng) ?? best.values;
  }

  /** The best-scoring unseen point that differs from the best in one group's choice. */
  function bestUnseen(
    best: Scored,
    lists: readonly Ranked[][],
    tops: readonly Ranked[],
    assemble: (choices: readonly Ranked[]) => Scored,
    childList: (name: string) => Ranked[],
    seen: Set<string> | null,
  ): Record<string, HyperValue> | null {
    const alternatives: Scored[] = [];
    lists.forEach((list, g) =>
      list.slice(1).forEach((choice) => alternatives.push(assemble(tops.map((top, i) => (i === g ? choice : top))))),
    );
    for (const name of conditional) {
      if (!(name in best.values)) continue;
      const [top, ...rest] = childList(name);
      for (const choice of rest) {
        alternatives.push({ values: { ...best.values, [name]: choice.values[name]! }, score: best.score - top!.score + choice.score });
      }
    }
    // `|| 0`: two -Infinity scores compare as equal, not NaN.
    alternatives.sort((a, b) => b.score - a.score || 0);
    return alternatives.find((a) => !isSeen(space, seen, a.values))?.values ?? null;
  }

  return {
    suggest(trial, history) {
      const seen = seenPoints(space, history);
      if (history.filter(countsForModel).length >= options.n_startup_trials) return suggestWithModel(trial, history, seen);
      const point = randomPoint(space, trial);
      if (!isSeen(space, seen, point)) return point;
      return unseenPoint(space, seen!, createRng(deriveSeed(space.seed, trial, 0xd0d))) ?? point;
    },
  };
}
