/**
 * `sweep metrics`: the Prometheus exporter and alert receiver, until SIGINT/SIGTERM.
 */
import { NatsUnavailableError } from '../../connections/nats';
import { SecurityConfigError } from '../../connections/security';
import { DEFAULT_RETENTION } from '../../metrics/sweep-metrics';
import { runMetricsExporter } from '../../metrics/exporter';
import { failure } from '../errors';
import { createLogger } from '../logger';
import { connectionConfig, type GlobalOptions } from '../stack-context';

export interface MetricsCommandOptions extends GlobalOptions {
  host: string;
  port?: number;
  retentionMinutes: number;
}

export async function metricsCommand(options: MetricsCommandOptions): Promise<void> {
  const config = connectionConfig(options);
  const logger = createLogger('sweep-metrics');
  try {
    await runMetricsExporter({
      nats: config,
      host: options.host,
      port: options.port ?? config.metricsPort,
      retention: { ...DEFAULT_RETENTION, trialMs: options.retentionMinutes * 60_000 },
      // A secret: read from the environment only, never logged.
      alertToken: process.env.SWEEP_ALERT_TOKEN || null,
      logger,
    });
  } catch (error) {
    if (error instanceof NatsUnavailableError || error instanceof SecurityConfigError) throw failure(error.message);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      throw failure(`cannot listen on ${options.host}:${options.port ?? config.metricsPort} (${code}); pass --port or set SWEEP_METRICS_PORT to a free port`);
    }
    throw error;
  }
}
