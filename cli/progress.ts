/**
 * Folds a sweep's NATS events into what the live view shows: each trial's state, epoch and
 * accuracy, the counts, and the best so far. Pure: events in, state and text lines out.
 */
import type { SweepEvent } from '../contracts/sweep-events';
import { plannedEpochs, type TrialParams } from '../contracts/trial-config';

export type LiveState = 'starting' | 'training' | 'completed' | 'pruned' | 'failed' | 'retrying' | 'stopped';

export interface LiveTrial {
  trial: number;
  attempt: number;
  params: TrialParams;
  state: LiveState;
  epochs: number;
  /** Epochs finished so far. */
  epochsDone: number;
  valAcc: number | null;
  loss: number | null;
  seconds: number | null;
  reason: string | null;
}

export function formatParams(params: TrialParams, skip: readonly string[] = ['seed']): string {
  return Object.entries(params)
    .filter(([k]) => !skip.includes(k))
    .map(([k, v]) => `${k}=${typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(3)) : JSON.stringify(v)}`)
    .join(' ');
}

const acc = (v: number | null) => (v === null ? '-' : v.toFixed(4));

export class SweepProgress {
  readonly trials = new Map<number, LiveTrial>();

  constructor(private readonly budget: number) {}

  /** Applies one event; returns a line worth printing in plain mode, or null. */
  apply(message: SweepEvent): string | null {
    const { data, trial: n, attempt } = message;
    if (data.event === 'trial_started') {
      const epochs = plannedEpochs(data.params as TrialParams);
      this.trials.set(n, {
        trial: n, attempt, params: data.params as TrialParams, state: 'starting', epochs, epochsDone: 0,
        valAcc: null, loss: null, seconds: null, reason: null,
      });
      const resumed = data.resume_from ? ` (attempt ${attempt}, resuming from ${data.resume_from})` : attempt > 1 ? ` (attempt ${attempt})` : '';
      return `[trial ${n}] started${resumed}: ${formatParams(data.params as TrialParams)}`;
    }
    const t = this.trials.get(n);
    // Events of an attempt superseded by a later one (or seen before its start) change nothing.
    if (!t || attempt !== t.attempt) return null;
    switch (data.event) {
      case 'ready':
        t.state = 'training';
        t.epochsDone = data.start_epoch;
        return null;
      case 'step':
        t.loss = data.loss;
        return null;
      case 'epoch':
        t.epochsDone = data.epoch + 1;
        t.valAcc = data.val_acc;
        return `[trial ${n}] epoch ${data.epoch + 1}/${t.epochs} val_acc=${acc(data.val_acc)} val_loss=${data.val_loss?.toFixed(4) ?? '-'} (${data.seconds.toFixed(1)} s)`;
      case 'trial_ended':
        t.reason = data.reason;
        if (data.state === 'completed') {
          t.state = 'completed';
          t.valAcc = data.metrics?.val_acc ?? t.valAcc;
          t.seconds = data.metrics?.seconds ?? null;
          return `[trial ${n}] completed val_acc=${acc(t.valAcc)} in ${t.seconds?.toFixed(1) ?? '?'} s  | ${this.summaryLine()}`;
        }
        if (data.state === 'pruned') {
          t.state = 'pruned';
          return `[trial ${n}] pruned (${data.rule ?? 'unknown rule'}) after ${t.epochsDone}/${t.epochs} epochs, val_acc=${acc(t.valAcc)}: ${data.reason ?? ''}  | ${this.summaryLine()}`;
        }
        if (data.state === 'failed') {
          t.state = data.final ? 'failed' : 'retrying';
          return `[trial ${n}] ${data.final ? 'failed' : 'attempt failed, will retry'}: ${data.reason ?? 'unknown reason'}  | ${this.summaryLine()}`;
        }
        t.state = 'stopped';
        return `[trial ${n}] stopped`;
      default:
        return null;
    }
  }

  counts(): Record<'done' | 'pruned' | 'running' | 'failed' | 'stopped', number> {
    const c = { done: 0, pruned: 0, running: 0, failed: 0, stopped: 0 };
    for (const t of this.trials.values()) {
      if (t.state === 'completed') c.done += 1;
      else if (t.state === 'pruned') c.pruned += 1;
      else if (t.state === 'failed') c.failed += 1;
      else if (t.state === 'stopped') c.stopped += 1;
      else c.running += 1;
    }
    return c;
  }

  best(): LiveTrial | null {
    let best: LiveTrial | null = null;
    for (const t of this.trials.values()) {
      if (t.state === 'completed' && t.valAcc !== null && (best === null || t.valAcc > (best.valAcc ?? -1))) best = t;
    }
    return best;
  }

  summaryLine(): string {
    const c = this.counts();
    const best = this.best();
    const done = `${c.done + c.pruned}/${this.budget} done${c.pruned ? ` (${c.pruned} pruned)` : ''}`;
    const bestText = best ? `best val_acc ${acc(best.valAcc)} (trial ${best.trial})` : 'no result yet';
    return `${done}, ${c.running} running, ${c.failed} failed${c.stopped ? `, ${c.stopped} stopped` : ''}; ${bestText}`;
  }

  /** The multi-line view a terminal redraws. */
  render(sweepId: string): string[] {
    const lines = [`sweep ${sweepId}: ${this.summaryLine()}`];
    for (const t of this.trials.values()) {
      if (t.state !== 'starting' && t.state !== 'training' && t.state !== 'retrying') continue;
      const where = t.state === 'training' ? `epoch ${Math.min(t.epochsDone + 1, t.epochs)}/${t.epochs}` : t.state;
      lines.push(`  trial ${String(t.trial).padStart(3)}  ${where.padEnd(11)} val_acc ${acc(t.valAcc)}  loss ${t.loss?.toFixed(3) ?? '-'}  ${formatParams(t.params)}`);
    }
    return lines;
  }
}
