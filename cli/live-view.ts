/**
 * Shows a sweep's progress from NATS until its workflow ends: a redrawn view on a terminal, one
 * line per notable event otherwise. The workflow's own result is the final word.
 */
import type { Client } from '@temporalio/client';
import { DeliverPolicy } from '@nats-io/jetstream';
import { decodeJson } from '../contracts/decode-json';
import type { ConnectionConfig } from '../connections/config';
import { connectNats, ensureEventsStream } from '../connections/nats';
import { EVENTS_STREAM, sweepEventSchema, sweepEventsFilter } from '../contracts/sweep-events';
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

/** Ctrl-C leaves the view, not the sweep: it runs on in the workers. */
function interrupted(sweepId: string): Promise<never> {
  return new Promise((_, reject) => {
    process.once('SIGINT', () =>
      reject(new ExitError(EXIT_INTERRUPTED, `left the live view; the sweep goes on: follow it with \`npx sweep watch ${sweepId}\`, stop it with \`npx sweep stop ${sweepId}\``)),
    );
  });
}

function hasSeenEnds(progress: SweepProgress, status: SweepStatus): boolean {
  return status.trials.every((t) => {
    if (t.state === 'stopped' || t.state === 'paused') return true;
    const live = progress.trials.get(t.trial)?.state;
    return live === 'completed' || live === 'pruned' || live === 'failed';
  });
}

export async function followSweep(client: Client, config: ConnectionConfig, sweepId: string, options: LiveViewOptions): Promise<SweepStatus> {
  const handle = client.workflow.getHandle(sweepId);
  const { budget } = await handle.query(statusQuery);
  const progress = new SweepProgress(budget);
  const nc = await connectNats(config, `sweep-cli watch ${sweepId}`);
  let drawn = 0;
  const redraw = () => {
    const lines = progress.render(sweepId);
    // Move up over the last frame and clear it, then draw the new one.
    options.out.write(`${drawn > 0 ? `\x1b[${drawn}F\x1b[J` : ''}${lines.join('\n')}\n`);
    drawn = lines.length;
  };
  const timer = options.tty ? setInterval(redraw, REDRAW_EVERY_MS) : undefined;
  try {
    const js = await ensureEventsStream(nc);
    const consumer = await js.consumers.get(EVENTS_STREAM, { filter_subjects: sweepEventsFilter(sweepId), deliver_policy: DeliverPolicy.All });
    const messages = await consumer.consume();
    let caughtUp: (() => void) | undefined;
    let final: SweepStatus | undefined;
    const consuming = (async () => {
      for await (const m of messages) {
        const parsed = sweepEventSchema.safeParse(decodeJson(m.data));
        if (!parsed.success) continue; // malformed, newer or foreign: the view skips it
        const line = progress.apply(parsed.data);
        if (line && !options.tty) options.out.write(`${line}\n`);
        if (final && hasSeenEnds(progress, final)) caughtUp?.();
      }
    })();
    const status: SweepStatus = await Promise.race([handle.result(), interrupted(sweepId)]);
    final = status;
    // Each trial's last event reached the stream before its activity returned; show it before closing.
    if (!hasSeenEnds(progress, status)) {
      await new Promise<void>((resolve) => {
        caughtUp = resolve;
        setTimeout(resolve, CATCH_UP_MS);
      });
    }
    await messages.close();
    await consuming;
    if (options.tty) redraw();
    return status;
  } finally {
    if (timer) clearInterval(timer);
    await nc.drain();
  }
}
