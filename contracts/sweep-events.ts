/**
 * What crosses NATS: subjects, the stream that keeps them, and the envelope every message carries.
 * See docs/nats-subjects.md.
 */
import { z } from 'zod';
import { PRUNE_RULES } from './pruning';
import { trainerEventSchema } from './trainer-events';

/** The JetStream stream holding every sweep's events, so a late `sweep watch` can replay them. */
export const EVENTS_STREAM = 'SWEEP_EVENTS';
export const EVENTS_SUBJECTS = 'sweep.events.>';

/** What a sweep id looks like (name, UTC time, random hex): subject-safe, no '.', '*' or '>'. */
export const SWEEP_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,127}$/;

/** Sweep ids and event names are restricted to subject-safe characters by their schemas. */
export function trialEventSubject(sweepId: string, trial: number, event: string): string {
  return `sweep.events.${sweepId}.${trial}.${event}`;
}
export function sweepEventsFilter(sweepId: string): string {
  return `sweep.events.${sweepId}.>`;
}

/** `paused`: stopped by `sweep pause`, run again from its checkpoint by `sweep resume`. */
export const TRIAL_STATES = ['running', 'paused', 'completed', 'pruned', 'failed', 'stopped'] as const;
export type TrialState = (typeof TRIAL_STATES)[number];

export const trialMetricsSchema = z.object({
  val_acc: z.number().nullable(),
  val_loss: z.number().nullable(),
  epochs: z.number().int(),
  seconds: z.number(),
  /** A promotion run's test-set accuracy, plain and with flip TTA; trials have none. */
  test_acc: z.number().nullable().optional(),
  tta_acc: z.number().nullable().optional(),
});
export type TrialMetrics = z.infer<typeof trialMetricsSchema>;

export const trialStartedSchema = z.object({
  event: z.literal('trial_started'),
  params: z.record(z.string(), z.unknown()),
  /** The sweep's trial budget, so that a reader of the stream alone can show progress. */
  budget: z.number().int().min(1),
  queue: z.string(),
  resume_from: z.string().nullable(),
});
export const trialEndedSchema = z.object({
  event: z.literal('trial_ended'),
  state: z.enum(['completed', 'pruned', 'failed', 'stopped']),
  reason: z.string().nullable(),
  /** Which rule pruned the trial; set when state is pruned. */
  rule: z.enum(PRUNE_RULES).nullable().default(null),
  metrics: trialMetricsSchema.nullable(),
  /** Epochs the trial was meant to run, so that a reader can tell what pruning saved. */
  planned_epochs: z.number().int().min(1),
  /** False when Temporal will retry this trial (a crash, out of memory): another attempt follows. */
  final: z.boolean(),
});

export type TrialEnded = z.infer<typeof trialEndedSchema>;

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

/**
 * Control messages to a running trial's worker (core NATS, not kept): today only "stop it as
 * pruned", sent by the alert receiver. Subject: sweep.control.<sweep>.<trial>.
 */
export function trialControlSubject(sweepId: string, trial: number): string {
  return `sweep.control.${sweepId}.${trial}`;
}
export const trialControlSchema = z.object({
  v: z.literal(ENVELOPE_VERSION),
  action: z.literal('prune'),
  rule: z.enum(PRUNE_RULES),
  reason: z.string().min(1).max(500),
});
export type TrialControl = z.infer<typeof trialControlSchema>;

/** What a worker announces every WORKER_ANNOUNCE_EVERY_MS on sweep.workers.<node> (core NATS). */
export const WORKERS_SUBJECTS = 'sweep.workers.>';
export const WORKER_ANNOUNCE_EVERY_MS = 10_000;
export function workerSubject(node: string): string {
  // Node ids hold ':' and '.', which a subject token cannot; the payload keeps the real id.
  return `sweep.workers.${node.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}
export const workerAnnouncementSchema = z.object({
  v: z.literal(ENVELOPE_VERSION),
  node: z.string(),
  host: z.string(),
  queue: z.string(),
  slots: z.number().int().min(0),
  busy: z.number().int().min(0),
  /** GPUs the node's slots are pinned to (0 on a CPU node), and torch threads per slot. */
  gpus: z.number().int().min(0).optional(),
  threads: z.number().int().min(1).optional(),
  /** Why the worker took itself out of its trial queue (workers/quarantine.ts); absent or null: it serves. */
  quarantined: z.string().nullable().optional(),
  ts: z.number(),
});
export type WorkerAnnouncement = z.infer<typeof workerAnnouncementSchema>;
