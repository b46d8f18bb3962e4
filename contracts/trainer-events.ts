/**
 * The trainer's JSON-lines events (docs/trainer-protocol.md). Every line the worker reads from a
 * trainer is parsed here; a line that does not match is reported, never trusted.
 */
import { z } from 'zod';

/** Non-finite numbers arrive as null (JSON has no NaN). */
const num = z.number().nullable();

export const readyEvent = z.object({
  event: z.literal('ready'),
  protocol: z.literal(1),
  /** The trainer's version (trainer/sweep_trainer/__init__.py); absent from trainers before 1.1. */
  trainer: z.string().optional(),
  torch: z.string(),
  device: z.string(),
  /** The GPU's name, or the CPU's model and threads. */
  hardware: z.string().optional(),
  threads: z.number().int(),
  /** `bf16` when the forward passes run under bf16 autocast (config `precision`), else `fp32`. */
  precision: z.enum(['fp32', 'bf16']).optional(),
  /** `test` for a promotion run, which trains on all training images and reads the test set. */
  evaluate: z.enum(['validation', 'test']).optional(),
  train_size: z.number().int(),
  val_size: z.number().int(),
  test_size: z.number().int().optional(),
  params: z.number().int(),
  start_epoch: z.number().int(),
  /** True when a warm trainer (`--serve`) ran a trial before this one; absent from older trainers. */
  warm: z.boolean().optional(),
});
export const stepEvent = z.object({
  event: z.literal('step'),
  epoch: z.number().int(),
  step: z.number().int(),
  loss: num,
  lr: num,
  mom: num,
  images_per_s: num,
});
export const layerStats = z.object({
  name: z.string(),
  mean: num,
  std: num,
  hist: z.array(z.number()).length(40),
  dead: num,
});
export const statsEvent = z.object({
  event: z.literal('stats'),
  epoch: z.number().int(),
  step: z.number().int(),
  layers: z.array(layerStats),
});
export const epochEvent = z.object({
  event: z.literal('epoch'),
  epoch: z.number().int(),
  train_loss: num,
  val_loss: num,
  val_acc: num,
  seconds: z.number(),
  images_per_s: num,
});
export const checkpointEvent = z.object({
  event: z.literal('checkpoint'),
  epoch: z.number().int(),
  path: z.string(),
});
export const resultEvent = z.object({
  event: z.literal('result'),
  val_acc: num,
  val_loss: num,
  test_acc: num,
  tta_acc: num,
  test_loss: num.optional(),
  epochs: z.number().int(),
  seconds: z.number(),
});
/** The learning-rate range test's measurements (`run_trial.py --lr-find`): each step's lr and loss. */
export const lrFindEvent = z.object({
  event: z.literal('lr_find'),
  lrs: z.array(z.number()),
  losses: z.array(num),
  seconds: z.number(),
});
export const stoppedEvent = z.object({
  event: z.literal('stopped'),
  reason: z.string(),
  epoch: z.number().int(),
  step: z.number().int(),
});
export const TRAINER_ERROR_KINDS = ['bad_config', 'data', 'nan_loss', 'oom'] as const;
export const errorEvent = z.object({
  event: z.literal('error'),
  kind: z.enum(TRAINER_ERROR_KINDS),
  message: z.string(),
});

export const trainerEventSchema = z.discriminatedUnion('event', [
  readyEvent,
  stepEvent,
  statsEvent,
  epochEvent,
  checkpointEvent,
  resultEvent,
  stoppedEvent,
  errorEvent,
  lrFindEvent,
]);
export type TrainerEvent = z.infer<typeof trainerEventSchema>;
export type ResultEvent = z.infer<typeof resultEvent>;
export type EpochEvent = z.infer<typeof epochEvent>;
export type ReadyEvent = z.infer<typeof readyEvent>;
export type LrFindEvent = z.infer<typeof lrFindEvent>;

/**
 * A warm trainer's (`--serve`) end of one trial: the exit code a one-trial process would have had,
 * and whether the process takes another trial. The worker keeps it to itself (never relayed).
 */
export const doneEvent = z.object({
  event: z.literal('done'),
  run: z.string(),
  exit_code: z.number().int(),
  reusable: z.boolean(),
});
export type DoneEvent = z.infer<typeof doneEvent>;

export type ParsedLine = { ok: true; event: TrainerEvent } | { ok: false; reason: string };
export type ParsedServeLine = ParsedLine | { ok: true; done: DoneEvent };

function parseLine<T>(line: string, schema: z.ZodType<T>): { ok: true; value: T } | { ok: false; reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, reason: `not JSON: ${line.slice(0, 120)}` };
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) return { ok: false, reason: `not a protocol-1 event: ${z.prettifyError(parsed.error).slice(0, 300)}` };
  return { ok: true, value: parsed.data };
}

export function parseTrainerLine(line: string): ParsedLine {
  const parsed = parseLine(line, trainerEventSchema);
  return parsed.ok ? { ok: true, event: parsed.value } : parsed;
}

/** A line of a warm trainer: a trial's event, or the `done` that ends the trial. */
export function parseServeLine(line: string): ParsedServeLine {
  const parsed = parseLine(line, z.union([doneEvent, trainerEventSchema]));
  if (!parsed.ok) return parsed;
  return parsed.value.event === 'done' ? { ok: true, done: parsed.value } : { ok: true, event: parsed.value };
}
