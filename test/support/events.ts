/**
 * Reading a sweep's events from JetStream in tests: all of them after the fact, or as they come
 * with a follower that survives nats-server restarts.
 */
import { DeliverPolicy, jetstream, type Consumer, type ConsumerMessages } from '@nats-io/jetstream';
import type { ConnectionOptions, NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { EVENTS_STREAM, sweepEventSchema, sweepEventsFilter, type SweepEvent } from '../../contracts/sweep-events';

/**
 * Every event of one sweep in order, from the first, as they arrive. After a nats-server restart,
 * `reconnect` picks up after the last event seen.
 */
export class SweepFollower {
  readonly events: SweepEvent[] = [];
  private nc: NatsConnection | null = null;
  private messages: ConsumerMessages | null = null;
  private lastSeq = 0;
  private waiters: Array<{ match: (e: SweepEvent) => boolean; resolve: (e: SweepEvent | null) => void }> = [];
  /** Trials with a final trial_ended: when all `budget` have one, the sweep is over. */
  private readonly ended = new Set<number>();
  private pump: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: () => ConnectionOptions,
    private readonly sweepId: string,
    private readonly budget: number,
  ) {}

  async start(): Promise<void> {
    this.nc = await connect({ ...this.options(), maxReconnectAttempts: -1 });
    const consumer: Consumer = await jetstream(this.nc).consumers.get(EVENTS_STREAM, {
      filter_subjects: sweepEventsFilter(this.sweepId),
      ...(this.lastSeq > 0 ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: this.lastSeq + 1 } : { deliver_policy: DeliverPolicy.All }),
    });
    const messages = await consumer.consume();
    this.messages = messages;
    this.pump = (async () => {
      for await (const m of messages) {
        this.lastSeq = m.seq;
        const event = sweepEventSchema.parse(m.json());
        this.events.push(event);
        if (event.data.event === 'trial_ended' && event.data.final) this.ended.add(event.trial);
        const over = this.ended.size >= this.budget;
        this.waiters = this.waiters.filter((w) => {
          if (w.match(event)) w.resolve(event);
          else if (over) w.resolve(null);
          else return true;
          return false;
        });
      }
    })();
  }

  /** The first event from now on that matches, or null once every trial has ended. */
  next(match: (e: SweepEvent) => boolean): Promise<SweepEvent | null> {
    if (this.ended.size >= this.budget) return Promise.resolve(null);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  async stop(): Promise<void> {
    this.messages?.stop();
    await this.pump.catch(() => undefined);
    await this.nc?.close().catch(() => undefined);
    this.nc = null;
  }

  /** After nats-server came back: a new connection, from the event after the last one seen. */
  async reconnect(): Promise<void> {
    await this.stop();
    await this.start();
  }
}

/** Reads every stored event of a sweep (after it ended). */
export async function allSweepEvents(options: ConnectionOptions, sweepId: string): Promise<SweepEvent[]> {
  const nc = await connect(options);
  try {
    const consumer = await jetstream(nc).consumers.get(EVENTS_STREAM, { filter_subjects: sweepEventsFilter(sweepId), deliver_policy: DeliverPolicy.All });
    const events: SweepEvent[] = [];
    for (;;) {
      const m = await consumer.next({ expires: 2000 });
      if (!m) return events;
      events.push(sweepEventSchema.parse(m.json()));
    }
  } finally {
    await nc.close();
  }
}

/** The first event of a sweep that matches (replaying from its start), or null if the sweep ends first. */
export async function firstEvent(options: () => ConnectionOptions, sweepId: string, budget: number, match: (e: SweepEvent) => boolean): Promise<SweepEvent | null> {
  const follower = new SweepFollower(options, sweepId, budget);
  await follower.start();
  try {
    return follower.events.find(match) ?? (await follower.next(match));
  } finally {
    await follower.stop();
  }
}
