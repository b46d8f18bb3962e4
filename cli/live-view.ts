/**
 * Shows a sweep's (or a promotion's) progress from NATS until its workflow ends: a redrawn view on a terminal, one
 * line per notable event otherwise. The workflow's own result is the final word.
 */
import type { Client } from '@temporalio/client';
import { DeliverPolicy } from '@nats-io/jetstream';
import { decodeJson } from '../contracts/decode-json';
import type { ConnectionConfig } from '../connections/config';
import { connectNats, ensureEventsStream } from '../connections/nats';
import { EVENTS_STREAM, sweepEventSchema, sweepEventsFilter, type SweepEvent } from '../contracts/sweep-events';
import type { SweepStatus } from '../contracts/sweep-workflow';
import { statusQuery } from '../workflows/definitions';
import { EXIT_INTERRUPTED, ExitError } from './errors';
import { SweepProgress } from './progress';

export interface LiveViewOptions {
  /** Where the view goes: stdout normally, stderr when stdout carries --json. */
  out: NodeJS.WriteStream;
  /** Redraw in place (a terminal) or print plain lines. */
  tty: boolean;
}

const REDRAW_EVERY_MS = 1000;
/** Upper bound on waiting for the last events after the workflow has ended. */
const CATCH_UP_MS = 3000;

/** Ctrl-C leaves the view, not the run: it goes on in the workers. */
function interrupted(message: string): Promise<never> {
  return new Promise((_, reject) => {
    process.once('SIGINT', () => reject(new ExitError(EXIT_INTERRUPTED, message)));
  });
}

/** What a live view folds events into: a line per notable event, and a frame to redraw. */
export interface EventFold<R> {
  apply(event: SweepEvent): string | null;
  render(id: string): string[];
  /** Whether every run the final result names has shown its last event. */
  hasSeenEnds(result: R): boolean;
}

/** A sweep-shaped run followed on NATS: a sweep (trials) or a promotion (one run per seed). */
export interface FollowTarget<R> {
  /** The `sweep` token of its events' subjects. */
  id: string;
  fold: EventFold<R>;
  /** The workflow's result: the final word. */
  result: Promise<R>;
  /** What Ctrl-C prints: the run goes on, and how to get back to it. */
  leaveMessage: string;
}

function sweepFold(progress: SweepProgress): EventFold<SweepStatus> {
  return {
    apply: (event) => progress.apply(event),
    render: (id) => progress.render(id),
    hasSeenEnds: (status) =>
      status.trials.every((t) => {
        if (t.state === 'stopped' || t.state === 'paused') return true;
        const live = progress.trials.get(t.trial)?.state;
        return live === 'completed' || live === 'pruned' || live === 'failed';
      }),
  };
}

export async function followSweep(client: Client, config: ConnectionConfig, sweepId: string, options: LiveViewOptions): Promise<SweepStatus> {
  const handle = client.workflow.getHandle(sweepId);
  const { budget } = await handle.query(statusQuery);
  return followEvents(config, {
    id: sweepId,
    fold: sweepFold(new SweepProgress(budget)),
    result: handle.result(),
    leaveMessage: `left the live view; the sweep goes on: follow it with \`npx sweep watch ${sweepId}\`, stop it with \`npx sweep stop ${sweepId}\``,
  }, options);
}

export async function followEvents<R>(config: ConnectionConfig, target: FollowTarget<R>, options: LiveViewOptions): Promise<R> {
  const { id, fold } = target;
  const nc = await connectNats(config, `sweep-cli watch ${id}`);
  let drawn = 0;
  const redraw = () => {
    // Cut to the terminal's width: a line that wraps takes more rows than the cursor moves back up.
    const width = Math.max(20, (options.out.columns ?? 120) - 1);
    const lines = fold.render(id).map((line) => (line.length > width ? `${line.slice(0, width - 1)}…` : line));
    // Move up over the last frame and clear it, then draw the new one.
    options.out.write(`${drawn > 0 ? `\x1b[${drawn}F\x1b[J` : ''}${lines.join('\n')}\n`);
    drawn = lines.length;
  };
  const timer = options.tty ? setInterval(redraw, REDRAW_EVERY_MS) : undefined;
  try {
    const js = await ensureEventsStream(nc);
    const consumer = await js.consumers.get(EVENTS_STREAM, { filter_subjects: sweepEventsFilter(id), deliver_policy: DeliverPolicy.All });
    const messages = await consumer.consume();
    let caughtUp: (() => void) | undefined;
    let final: { result: R } | undefined;
    const consuming = (async () => {
      for await (const m of messages) {
        const parsed = sweepEventSchema.safeParse(decodeJson(m.data));
        if (!parsed.success) continue; // malformed, newer or foreign: the view skips it
        const line = fold.apply(parsed.data);
        if (line && !options.tty) options.out.write(`${line}\n`);
        if (final && fold.hasSeenEnds(final.result)) caughtUp?.();
      }
    })();
    const result: R = await Promise.race([target.result, interrupted(target.leaveMessage)]);
    final = { result };
    // Each run's last event reached the stream before its activity returned; show it before closing.
    if (!fold.hasSeenEnds(result)) {
      await new Promise<void>((resolve) => {
        caughtUp = resolve;
        setTimeout(resolve, CATCH_UP_MS);
      });
    }
    await messages.close();
    await consuming;
    if (options.tty) redraw();
    return result;
  } finally {
    if (timer) clearInterval(timer);
    await nc.drain();
  }
}
