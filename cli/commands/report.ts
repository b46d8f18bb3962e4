/**
 * `sweep report ID`: writes one self-contained HTML report of a sweep (reports/html-report.ts)
 * from its status (Temporal, or the kept result) and its events (JetStream).
 */
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { storedEvents } from '../../connections/event-history';
import { connectNats, ensureEventsStream } from '../../connections/nats';
import { buildReport } from '../../reports/html-report';
import { trialCurves } from '../../reports/trial-curves';
import { badInput, failure } from '../errors';
import { connectionConfig, orFail, requireStack, temporalClient, type GlobalOptions } from '../stack-context';
import { loadSweepRecord } from '../sweep-record';

export interface ReportOptions extends GlobalOptions {
  out?: string;
  /** Trials that get activation charts; default the best. */
  trials?: number[];
}

export async function reportCommand(sweepId: string, options: ReportOptions): Promise<void> {
  const config = connectionConfig(options);
  await requireStack(config);
  const client = await temporalClient(config);
  const record = await loadSweepRecord(client, config, sweepId);
  if (record === null) throw failure(`no sweep with id "${sweepId}" (see \`sweep status\` for the list)`);
  const { status, space } = record;
  const known = new Set(status.trials.map((t) => t.trial));
  const unknown = (options.trials ?? []).filter((n) => !known.has(n));
  if (unknown.length > 0) throw badInput(`--trials: sweep ${sweepId} has no trial ${unknown.join(', ')} (it has trials 0..${status.trials.length - 1})`);
  const chosen = options.trials ?? (status.best ? [status.best.trial] : []);

  const nc = await orFail(connectNats(config, `sweep-cli report ${sweepId}`));
  let events;
  try {
    events = await storedEvents(await ensureEventsStream(nc), sweepId);
  } finally {
    await nc.close();
  }
  const html = buildReport({ status, space, curves: trialCurves(events.events), chosen, generatedAt: new Date() });
  const file = path.resolve(options.out ?? `sweep-report-${sweepId}.html`);
  try {
    await writeFile(file, html);
  } catch (error) {
    throw failure(`cannot write the report to ${file}: ${(error as NodeJS.ErrnoException).message}`);
  }
  const skipped = events.rejected > 0 ? ` (${events.rejected} malformed or newer events skipped)` : '';
  process.stdout.write(`report of ${sweepId} written to ${file}: ${status.trials.length} trials, ${events.events.length} events${skipped}, activation charts for trial${chosen.length === 1 ? '' : 's'} ${chosen.join(', ') || 'none'}\n`);
}
