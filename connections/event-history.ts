/**
 * Every stored event of one sweep (or promotion), read once from the start of the stream: for
 * reports and anything else that looks back rather than follows.
 */
import { DeliverPolicy, type JetStreamClient } from '@nats-io/jetstream';
import { decodeJson } from '../contracts/decode-json';
import { EVENTS_STREAM, sweepEventSchema, sweepEventsFilter, type SweepEvent } from '../contracts/sweep-events';

/** Events that fail the envelope schema (foreign, malformed, newer) are counted, not returned. */
export async function storedEvents(js: JetStreamClient, sweepId: string): Promise<{ events: SweepEvent[]; rejected: number }> {
  const consumer = await js.consumers.get(EVENTS_STREAM, { filter_subjects: sweepEventsFilter(sweepId), deliver_policy: DeliverPolicy.All });
  const events: SweepEvent[] = [];
  let rejected = 0;
  if ((await consumer.info(true)).num_pending === 0) return { events, rejected };
  const messages = await consumer.consume();
  for await (const m of messages) {
    const parsed = sweepEventSchema.safeParse(decodeJson(m.data));
    if (parsed.success) events.push(parsed.data);
    else rejected += 1;
    // pending counts what the stream holds after this message for the filter: 0 is the end.
    if (m.info.pending === 0) break;
  }
  await messages.close();
  return { events, rejected };
}
