/**
 * Early stopping, as the space file states it: a pruner that compares a trial's validation
 * accuracy with its peers' at epoch boundaries (ASHA or median), and health rules that watch one
 * trial's own loss and activations between them. See docs/pruning.md.
 */
import { z } from 'zod';

/** Why a trial was pruned; bounded, so it can be a metric label. */
export const PRUNE_RULES = ['asha', 'median', 'nan_loss', 'dead_activations', 'divergence', 'alert'] as const;
export type PruneRule = (typeof PRUNE_RULES)[number];

const ashaPruner = z.strictObject({
  type: z.literal('asha'),
  /** Epochs every trial gets before its first comparison (the first rung). */
  min_epochs: z.number().int().min(1).max(100).default(1),
  /** Rungs sit at min_epochs * reduction_factor^k epochs; the top 1/reduction_factor of a rung go on. */
  reduction_factor: z.number().int().min(2).max(10).default(3),
  /** Other trials that must have reached a rung before a trial there can be pruned. */
  min_peers: z.number().int().min(1).max(1000).default(3),
});

const medianPruner = z.strictObject({
  type: z.literal('median'),
  /** Completed trials needed before any pruning. */
  startup_trials: z.number().int().min(0).max(1000).default(5),
  /** Epochs a trial runs before it can be pruned. */
  warmup_epochs: z.number().int().min(0).max(100).default(1),
  /** Completed trials that must have a value at the epoch being compared. */
  min_peers: z.number().int().min(1).max(1000).default(1),
});

const noPruner = z.strictObject({ type: z.literal('none') });

export const prunerSchema = z.discriminatedUnion('type', [ashaPruner, medianPruner, noPruner]);
export type PrunerOptions = z.infer<typeof prunerSchema>;
export type AshaOptions = z.infer<typeof ashaPruner>;
export type MedianOptions = z.infer<typeof medianPruner>;

const deadActivationsRule = z.strictObject({
  /** A stats window is unhealthy when any layer's dead ratio is above this. */
  max_ratio: z.number().gt(0).max(1).default(0.9),
  /** Consecutive unhealthy stats windows before the trial is pruned. */
  windows: z.number().int().min(1).max(1000).default(3),
  /** Optimizer steps before the rule applies (activations settle after initialisation). */
  warmup_steps: z.number().int().min(0).default(100),
});

const divergenceRule = z.strictObject({
  /** Pruned when the smoothed training loss exceeds factor x its lowest value so far... */
  factor: z.number().gt(1).max(1000).default(2),
  /** ...and exceeds this loss (above chance level, ln 10 = 2.3, a net has learnt nothing). */
  min_loss: z.number().gt(0).default(2.5),
  /** Optimizer steps before the rule applies. */
  warmup_steps: z.number().int().min(0).default(20),
});

/** A rule is on with its defaults unless the space file sets it to false. */
export const healthSchema = z.strictObject({
  dead_activations: z.union([z.literal(false), deadActivationsRule]).default(deadActivationsRule.parse({})),
  divergence: z.union([z.literal(false), divergenceRule]).default(divergenceRule.parse({})),
});
export type HealthOptions = z.infer<typeof healthSchema>;
export type DeadActivationsRule = z.infer<typeof deadActivationsRule>;
export type DivergenceRule = z.infer<typeof divergenceRule>;
export const HEALTH_DEFAULTS: HealthOptions = healthSchema.parse({});

/** What a trial tells its sweep after each epoch. */
export interface EpochReport {
  trial: number;
  /** 0-based; the report follows that epoch's validation pass. */
  epoch: number;
  valAcc: number | null;
}

export type PruneDecision = { prune: false } | { prune: true; rule: PruneRule; reason: string };
export const KEEP: PruneDecision = { prune: false };
