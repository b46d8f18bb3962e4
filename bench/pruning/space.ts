/**
 * The benchmark's search space: the narrow quick-sweep net with bad regions on purpose (max LR up
 * to 10, dropout up to 0.9), so that a good share of trials is not worth finishing.
 */
export interface Arm {
  name: 'unpruned' | 'pruned';
  /** What the arm adds to the space file. */
  stopping: object;
}

export const ARMS: readonly Arm[] = [
  { name: 'unpruned', stopping: { pruner: { type: 'none' }, health: { divergence: false, dead_activations: false } } },
  // Defaults otherwise: ASHA rungs after epochs 1 and 3, the health rules on.
  { name: 'pruned', stopping: { pruner: { type: 'asha', min_epochs: 1, reduction_factor: 3, min_peers: 3 } } },
];

/**
 * `tpe`: the default searcher, whose later suggestions follow what each arm's earlier trials did,
 * so the arms' trials part ways after the startup trials. `random`: both arms get the same trials
 * (suggestions hang on the sweep seed and trial number only), so any gap in best accuracy is the
 * pruner's alone.
 */
export const SEARCHERS = ['tpe', 'random'] as const;
export type BenchSearcher = (typeof SEARCHERS)[number];

export function benchSpace(arm: Arm, seed: number, trials: number, parallel: number, searcher: BenchSearcher): object {
  return {
    name: `bench-${arm.name}`,
    description: 'bench/pruning: a space with bad regions, with or without early stopping',
    seed,
    trials,
    parallel,
    ...(searcher === 'tpe' ? { tpe: { n_startup_trials: Math.min(8, trials) } } : { searcher }),
    ...arm.stopping,
    fixed: { epochs: 5, widths: [8, 16, 32], train_subset: 4000, stats_every: 10, log_every: 5 },
    params: {
      max_lr: { type: 'loguniform', low: 0.001, high: 10 },
      dropout: { type: 'uniform', low: 0, high: 0.9 },
      batch_size: { type: 'categorical', values: [32, 64, 128] },
      flip_p: { type: 'uniform', low: 0, high: 0.5 },
    },
  };
}
