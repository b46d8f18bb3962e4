/**
 * The pruner a space file names. Pure and deterministic: the sweep workflow calls it.
 */
import { KEEP, type PrunerOptions } from '../contracts/pruning';
import { createAshaPruner } from './asha';
import { createMedianPruner } from './median';
import type { Pruner } from './pruner';

export type { Pruner, TrialCurve } from './pruner';

const noPruner: Pruner = { decide: () => KEEP };

export function createPruner(options: PrunerOptions): Pruner {
  switch (options.type) {
    case 'asha':
      return createAshaPruner(options);
    case 'median':
      return createMedianPruner(options);
    case 'none':
      return noPruner;
  }
}
