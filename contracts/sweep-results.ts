/**
 * A finished sweep as it is kept after Temporal's retention has dropped its workflow: the sweep's
 * final status, validated when read back (a record from a newer version is refused, not trusted).
 */
import { z } from 'zod';
import { PRUNE_RULES } from './pruning';
import { TRIAL_STATES, trialMetricsSchema } from './sweep-events';
import type { Space } from './space';
import { hyperValueSchema } from './trial-config';
import { SWEEP_STATES, type SweepStatus } from './sweep-workflow';

const trialRecordSchema = z.object({
  trial: z.number().int().min(0),
  params: z.record(z.string(), hyperValueSchema),
  state: z.enum(TRIAL_STATES),
  metrics: trialMetricsSchema.nullable(),
  reason: z.string().nullable(),
  rule: z.enum(PRUNE_RULES).nullable(),
  values: z.array(z.number().nullable()),
});
const sweepStatusSchema = z.object({
  sweepId: z.string(),
  name: z.string(),
  state: z.enum(SWEEP_STATES),
  budget: z.number().int(),
  parallel: z.number().int(),
  queue: z.string(),
  searched: z.array(z.string()),
  trials: z.array(trialRecordSchema),
  best: trialRecordSchema.nullable(),
});

export const STORED_SWEEP_VERSION = 1;
export const storedSweepSchema = z.object({
  v: z.literal(STORED_SWEEP_VERSION),
  startedAt: z.string(),
  savedAt: z.string(),
  /** The sweep's validated space, for `sweep resume` (checked again with parseSpace when used). */
  space: z.record(z.string(), z.unknown()),
  status: sweepStatusSchema,
});
export type StoredSweep = Omit<z.infer<typeof storedSweepSchema>, 'status' | 'space'> & { status: SweepStatus; space: Space };
