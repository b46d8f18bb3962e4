/**
 * Promotion: a sweep's chosen config trained again on all 60,000 training images with several
 * seeds and scored once on the 10,000 test images; the result is a leaderboard entry. The
 * workflow's input and the entry's schema (validated when read back from the store).
 */
import { z } from 'zod';
import { hyperValueSchema, type TrialParams } from './trial-config';

export interface PromoteInput {
  /** The workflow id, and the `sweep` of the runs' NATS events (one "trial" per seed). */
  promotionId: string;
  sweep: { id: string; name: string };
  trial: number;
  /** The trial's params without its seed: each run gets its own. */
  params: TrialParams;
  /** The sweep's validation accuracy of the trial, kept beside the test result. */
  valAcc: number | null;
  seeds: number[];
  /** The trial queue, `sweep-cpu` or `sweep-gpu`. */
  taskQueue: string;
  /** Runs at once. */
  parallel: number;
  /** Train on only this many training images (tests, quick looks); null trains on all 60,000. */
  trainSubset: number | null;
}

export const seedResultSchema = z.object({
  seed: z.number().int(),
  test_acc: z.number(),
  tta_acc: z.number(),
  /** Training time of the run (the trainer's epochs), start-up excluded. */
  seconds: z.number(),
  node: z.string(),
  hardware: z.string(),
});
export type SeedResult = z.infer<typeof seedResultSchema>;

/** Mean and sample standard deviation (n - 1); std is null for a single seed. */
export const meanStdSchema = z.object({ mean: z.number(), std: z.number().nullable() });
export type MeanStd = z.infer<typeof meanStdSchema>;

export const LEADERBOARD_ENTRY_VERSION = 1;
export const leaderboardEntrySchema = z.object({
  v: z.literal(LEADERBOARD_ENTRY_VERSION),
  id: z.string(),
  sweep: z.object({ id: z.string(), name: z.string() }),
  trial: z.number().int().min(0),
  val_acc: z.number().nullable(),
  params: z.record(z.string(), hyperValueSchema),
  epochs: z.number().int().min(1),
  /** Images trained on: 60,000 for a real promotion, fewer when a subset was asked for. */
  train_images: z.number().int().min(1),
  test_images: z.number().int().min(1),
  seeds: z.array(seedResultSchema).min(1),
  test_acc: meanStdSchema,
  tta_acc: meanStdSchema,
  /** The trainer's version and the git commit of the worker's code (null outside a checkout). */
  trainer: z.string(),
  commit: z.string().nullable(),
  hardware: z.array(z.string()),
  torch: z.array(z.string()),
  /** From the promotion's start to its last run's end. */
  wall_seconds: z.number(),
  promoted_at: z.string(),
});
export type LeaderboardEntry = z.infer<typeof leaderboardEntrySchema>;

export function meanStd(values: readonly number[]): MeanStd {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  if (values.length < 2) return { mean, std: null };
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1);
  return { mean, std: Math.sqrt(variance) };
}

/** The full training set: promotion holds nothing out. */
export const ALL_TRAINING_IMAGES = 60_000;
export const TEST_IMAGES = 10_000;
