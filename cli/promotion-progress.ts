/**
 * Folds a promotion's NATS events (one run per seed, as the trials of a sweep) into the live view:
 * each seed's epoch and its test accuracy at the end. Pure: events in, state and lines out.
 */
import type { LeaderboardEntry } from '../contracts/promotion';
import type { SweepEvent } from '../contracts/sweep-events';
import type { EventFold } from './live-view';

type SeedState = 'starting' | 'training' | 'done' | 'failed' | 'retrying' | 'stopped';

interface SeedRun {
  seed: number | null;
  attempt: number;
  state: SeedState;
  epochs: number;
  epochsDone: number;
  trainLoss: number | null;
  testAcc: number | null;
  ttaAcc: number | null;
}

const acc = (v: number | null | undefined) => (v == null ? '-' : v.toFixed(4));

export class PromotionProgress implements EventFold<LeaderboardEntry> {
  readonly runs = new Map<number, SeedRun>();

  constructor(private readonly seeds: readonly number[]) {}

  apply({ data, trial: index, attempt }: SweepEvent): string | null {
    const seed = this.seeds[index] ?? null;
    const label = `[seed ${seed ?? `#${index}`}]`;
    if (data.event === 'trial_started') {
      const epochs = typeof data.params.epochs === 'number' ? data.params.epochs : 5;
      this.runs.set(index, { seed, attempt, state: 'starting', epochs, epochsDone: 0, trainLoss: null, testAcc: null, ttaAcc: null });
      return `${label} started${attempt > 1 ? ` (attempt ${attempt}${data.resume_from ? ', from its checkpoint' : ''})` : ''}`;
    }
    const run = this.runs.get(index);
    if (!run || attempt !== run.attempt) return null; // an attempt a later one superseded
    switch (data.event) {
      case 'ready':
        run.state = 'training';
        run.epochsDone = data.start_epoch;
        return `${label} training on ${data.train_size} images (${data.hardware ?? data.device})`;
      case 'step':
        run.trainLoss = data.loss;
        return null;
      case 'epoch':
        run.epochsDone = data.epoch + 1;
        run.trainLoss = data.train_loss;
        return `${label} epoch ${data.epoch + 1}/${run.epochs} train_loss=${data.train_loss?.toFixed(4) ?? '-'} (${data.seconds.toFixed(1)} s)`;
      case 'trial_ended':
        if (data.state === 'completed') {
          Object.assign(run, { state: 'done', testAcc: data.metrics?.test_acc ?? null, ttaAcc: data.metrics?.tta_acc ?? null });
          return `${label} test_acc=${acc(run.testAcc)} tta_acc=${acc(run.ttaAcc)}  | ${this.summaryLine()}`;
        }
        if (data.state === 'failed' || data.state === 'pruned') {
          run.state = data.final ? 'failed' : 'retrying';
          return `${label} ${data.final ? 'failed' : 'attempt failed, will retry'}: ${data.reason ?? 'unknown reason'}`;
        }
        run.state = 'stopped';
        return `${label} stopped`;
      default:
        return null;
    }
  }

  summaryLine(): string {
    const done = [...this.runs.values()].filter((r) => r.state === 'done');
    const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
    const test = mean(done.flatMap((r) => (r.testAcc === null ? [] : [r.testAcc])));
    const tta = mean(done.flatMap((r) => (r.ttaAcc === null ? [] : [r.ttaAcc])));
    return `${done.length}/${this.seeds.length} seeds done${done.length ? `, mean test_acc ${acc(test)}, tta_acc ${acc(tta)}` : ''}`;
  }

  /** Every seed in order: where it is, and its test accuracy once it has one. */
  render(id: string): string[] {
    const lines = [`promotion ${id}: ${this.summaryLine()}`];
    for (const [, run] of [...this.runs.entries()].sort((a, b) => a[0] - b[0])) {
      const where = run.state === 'training' ? `epoch ${Math.min(run.epochsDone + 1, run.epochs)}/${run.epochs}` : run.state;
      const detail = run.state === 'done' ? `test_acc ${acc(run.testAcc)}  tta_acc ${acc(run.ttaAcc)}` : `train_loss ${run.trainLoss?.toFixed(3) ?? '-'}`;
      lines.push(`  seed ${String(run.seed ?? '?').padStart(3)}  ${where.padEnd(11)} ${detail}`);
    }
    return lines;
  }

  hasSeenEnds(entry: LeaderboardEntry): boolean {
    return entry.seeds.every((_, index) => this.runs.get(index)?.state === 'done');
  }
}
