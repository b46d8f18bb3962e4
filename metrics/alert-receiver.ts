/**
 * Turns alerts into early stops. Accepts the three shapes alerts arrive in:
 * - Prometheus pushing to the Alertmanager API (`POST /api/v2/alerts`): an array of alerts, firing
 *   while `endsAt` is in the future;
 * - an Alertmanager webhook and Grafana's webhook contact point (`POST /alerts`): an object whose
 *   `alerts` each carry `status` "firing" or "resolved".
 * A firing alert labelled `sweep_action="prune"` with `sweep` and `trial` labels becomes a prune
 * request on that trial's control subject; everything else is counted and ignored.
 */
import { z } from 'zod';
import { SWEEP_ID_PATTERN } from '../contracts/sweep-events';

const alertSchema = z.object({
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()).optional(),
  status: z.enum(['firing', 'resolved']).optional(),
  endsAt: z.string().optional(),
});
const prometheusPushSchema = z.array(alertSchema);
const webhookSchema = z.object({ alerts: z.array(alertSchema) });

export interface PruneRequest {
  sweep: string;
  trial: number;
  reason: string;
}

export type AlertParse = { ok: true; requests: PruneRequest[]; ignored: number } | { ok: false; error: string };

/** Prometheus sets endsAt ahead of now while an alert fires, and to the resolve time after. */
function isFiring(alert: z.infer<typeof alertSchema>, now: number): boolean {
  if (alert.status !== undefined) return alert.status === 'firing';
  if (alert.endsAt === undefined || alert.endsAt.startsWith('0001-')) return true;
  const ends = Date.parse(alert.endsAt);
  return Number.isNaN(ends) || ends > now;
}

export function parseAlerts(body: unknown, now: number): AlertParse {
  const push = prometheusPushSchema.safeParse(body);
  const hook = push.success ? null : webhookSchema.safeParse(body);
  const alerts = push.success ? push.data : hook?.success ? hook.data.alerts : null;
  if (alerts === null) {
    return { ok: false, error: 'expected an Alertmanager webhook ({"alerts": [...]}) or a Prometheus alert list ([{"labels": {...}}])' };
  }
  const requests: PruneRequest[] = [];
  let ignored = 0;
  for (const alert of alerts) {
    const { sweep, trial, sweep_action: action, alertname } = alert.labels;
    // Label values come from the network: only a well-formed sweep id and trial number reach a subject.
    const valid = action === 'prune' && sweep !== undefined && SWEEP_ID_PATTERN.test(sweep) && trial !== undefined && /^\d{1,6}$/.test(trial);
    if (!valid || !isFiring(alert, now)) {
      ignored += 1;
      continue;
    }
    const summary = alert.annotations?.summary ?? '';
    requests.push({ sweep: sweep!, trial: Number(trial), reason: `alert ${alertname ?? 'unnamed'}${summary ? `: ${summary}` : ''}`.slice(0, 500) });
  }
  return { ok: true, requests, ignored };
}
