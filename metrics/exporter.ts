/**
 * `sweep metrics`: reads every sweep event from JetStream and every worker announcement, serves them
 * to Prometheus, and turns prune alerts into control messages to the trials' workers.
 */
import { DeliverPolicy } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { once } from 'node:events';
import type { Logger } from 'pino';
import { decodeJson } from '../contracts/decode-json';
import type { ConnectionConfig } from '../connections/config';
import { connectNats, ensureEventsStream } from '../connections/nats';
import {
  ENVELOPE_VERSION,
  EVENTS_STREAM,
  EVENTS_SUBJECTS,
  WORKERS_SUBJECTS,
  sweepEventSchema,
  trialControlSubject,
  workerAnnouncementSchema,
  type TrialControl,
} from '../contracts/sweep-events';
import { createMetricsServer } from './http-server';
import { SweepMetrics, type RetentionOptions } from './sweep-metrics';

export interface ExporterOptions {
  nats: Pick<ConnectionConfig, 'natsUrl' | 'natsSecurity'>;
  host: string;
  port: number;
  retention: RetentionOptions;
  alertToken: string | null;
  logger: Logger;
}

const EXPIRE_EVERY_MS = 30_000;

async function consumeEvents(nc: NatsConnection, metrics: SweepMetrics, lookbackMs: number, logger: Logger): Promise<() => Promise<void>> {
  const js = await ensureEventsStream(nc);
  // Replaying the recent past rebuilds the counts of sweeps that were running before a restart.
  const consumer = await js.consumers.get(EVENTS_STREAM, {
    filter_subjects: EVENTS_SUBJECTS,
    deliver_policy: DeliverPolicy.StartTime,
    opt_start_time: new Date(Date.now() - lookbackMs).toISOString(),
  });
  const messages = await consumer.consume();
  void (async () => {
    for await (const m of messages) {
      const parsed = sweepEventSchema.safeParse(decodeJson(m.data));
      if (parsed.success) {
        metrics.apply(parsed.data);
        continue;
      }
      metrics.rejected();
      logger.warn({ subject: m.subject, issues: parsed.error.issues.slice(0, 3) }, 'skipped a sweep event that fails its schema (malformed, or from a newer version)');
    }
  })();
  return async () => {
    await messages.close();
  };
}

export async function runMetricsExporter(options: ExporterOptions): Promise<void> {
  const { logger } = options;
  const metrics = new SweepMetrics(options.retention);
  const nc = await connectNats(options.nats, 'sweep-metrics');
  try {
    const stopEvents = await consumeEvents(nc, metrics, options.retention.sweepMs, logger);
    const workers = nc.subscribe(WORKERS_SUBJECTS, {
      callback(error, msg) {
        if (error) return logger.warn({ err: error }, 'worker announcements subscription failed');
        const parsed = workerAnnouncementSchema.safeParse(decodeJson(msg.data));
        if (parsed.success) return metrics.applyWorker(parsed.data);
        metrics.rejected();
        logger.warn({ subject: msg.subject }, 'skipped a malformed worker announcement');
      },
    });
    const server = createMetricsServer({
      exposition: () => metrics.store.exposition(),
      alertToken: options.alertToken,
      logger,
      onPrune(request) {
        const message: TrialControl = { v: ENVELOPE_VERSION, action: 'prune', rule: 'alert', reason: request.reason };
        nc.publish(trialControlSubject(request.sweep, request.trial), JSON.stringify(message));
        logger.info(request, 'alert: asked the trial to stop');
      },
    });
    server.listen(options.port, options.host);
    await once(server, 'listening');
    logger.info({ host: options.host, port: options.port }, 'metrics exporter ready');
    const expiry = setInterval(() => metrics.expire(Date.now()), EXPIRE_EVERY_MS);
    await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
    clearInterval(expiry);
    server.close();
    workers.unsubscribe();
    await stopEvents();
  } finally {
    await nc.drain();
  }
}

