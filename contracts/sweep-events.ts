/**
 * What crosses NATS: subjects, the stream that keeps them, and the envelope every message carries.
 * See docs/nats-subjects.md.
 */
import { z } from 'zod';
import { trainerEventSchema } from './trainer-events';

/** The JetStream stream holding every sweep's events, so a late `sweep watch` can replay them. */
export const EVENTS_STREAM = 'SWEEP_EVENTS';
export const EVENTS_SUBJECTS = 'sweep.events.>';

/** Sweep ids and event names are restricted to subject-safe characters by their schemas. */
export function trialEventSubject(sweepId: string, trial: number, event: string): string {
  return `sweep.events.${sweepId}.${trial}.${event}`;
}
export function sweepEventsFilter(sweepId: string): string {
  return `sweep.events.${sweepId}.>`;
}

export const TRIAL_STATES = ['running', 'completed', 'failed', 'stopped'] as const;
export type TrialState = (typeof TRIAL_STATES)[number];

export const trialMetricsSchema = z.object({
  val_acc: z.number().nullable(),
  val_loss: z.number().nullable(),
  epochs: z.number().int(),
  seconds: z.number(),
});
export type TrialMetrics = z.infer<typeof trialMetricsSchema>;

export const trialStartedSchema = z.object({
  event: z.literal('trial_started'),
  params: z.record(z.string(), z.unknown()),
  queue: z.string(),
  resume_from: z.string().nullable(),
});
export const trialEndedSchema = z.object({
  event: z.literal('trial_ended'),
  state: z.enum(['completed', 'failed', 'stopped']),
  reason: z.string().nullable(),
  metrics: trialMetricsSchema.nullable(),
  /** False when Temporal will retry this trial (a crash, out of memory): another attempt follows. */
  final: z.boolean(),
});

export const ENVELOPE_VERSION = 1;
export const sweepEventSchema = z.object({
  v: z.literal(ENVELOPE_VERSION),
  sweep: z.string(),
  trial: z.number().int().min(0),
  attempt: z.number().int().min(1),
  node: z.string(),
  ts: z.number(),
  data: z.union([trialStartedSchema, trialEndedSchema, trainerEventSchema]),
});
export type SweepEvent = z.infer<typeof sweepEventSchema>;
export type SweepEventData = SweepEvent['data'];
