/**
 * Folds sweep events and worker announcements into Prometheus series (docs/metrics.md), and drops
 * the series of trials, sweeps and workers that have been quiet past their retention. Pure apart
 * from the store: events in (with their own timestamps), series out, so a replay after a restart
 * rebuilds the same counts.
 */
import type { SweepEvent, TrialState, WorkerAnnouncement } from '../contracts/sweep-events';
import { TRIAL_STATES } from '../contracts/sweep-events';
import { HISTOGRAM_BIN_EDGES, METRICS, type MetricName } from './definitions';
import { SeriesStore, type Labels } from './series-store';

export interface RetentionOptions {
  /** How long a finished trial's series stay. */
  trialMs: number;
  /** How long a sweep's series stay after its last event. */
  sweepMs: number;
  /** A worker silent this long is dropped. */
  workerMs: number;
}

export const DEFAULT_RETENTION: RetentionOptions = { trialMs: 15 * 60_000, sweepMs: 24 * 3600_000, workerMs: 60_000 };

interface TrialInfo {
  state: TrialState;
  attempt: number;
  base: Labels;
  attemptStartedTs: number;
  endedTs: number | null;
  epochValues: Map<number, number | null>;
  best: number | null;
  /** A completed trial's result: its last epoch's accuracy, what the sweep ranks trials by. */
  result: number | null;
}

interface SweepInfo {
  trials: Map<number, TrialInfo>;
  lastEventTs: number;
  /** Seconds per epoch of completed trials, to estimate what pruning a first-epoch trial saved. */
  completedEpochSeconds: number;
  completedEpochs: number;
}

export class SweepMetrics {
  readonly store = new SeriesStore(METRICS);
  private readonly sweeps = new Map<string, SweepInfo>();
  private readonly workers = new Map<string, { labels: Labels; lastSeenTs: number }>();

  constructor(private readonly retention: RetentionOptions = DEFAULT_RETENTION) {}

  private set(name: MetricName, labels: Labels, value: number | null): void {
    // A non-finite value arrives as null; the series keeps its last finite value.
    if (value !== null) this.store.set(name, labels, value);
  }

  private inc(name: MetricName, labels: Labels, by = 1): void {
    this.store.inc(name, labels, by);
  }

  rejected(): void {
    this.inc('sweep_exporter_rejected_messages_total', {});
  }

  apply(message: SweepEvent): void {
    const { sweep, trial: n, attempt, node, ts, data } = message;
    this.inc('sweep_exporter_events_total', { event: data.event });
    let info = this.sweeps.get(sweep);
    if (!info) {
      info = { trials: new Map(), lastEventTs: ts, completedEpochSeconds: 0, completedEpochs: 0 };
      this.sweeps.set(sweep, info);
    }
    info.lastEventTs = Math.max(info.lastEventTs, ts);

    if (data.event === 'trial_started') {
      const previous = info.trials.get(n);
      if (previous && attempt < previous.attempt) return;
      const base = { sweep, trial: String(n), queue: data.queue, node };
      // Another attempt may run on another node: its series carry the new node label.
      if (previous) this.store.remove({ sweep, trial: String(n) });
      const t: TrialInfo = {
        state: 'running', attempt, base, attemptStartedTs: ts, endedTs: null,
        epochValues: previous?.epochValues ?? new Map(), best: previous?.best ?? null, result: null,
      };
      info.trials.set(n, t);
      this.set('sweep_trials_budget', { sweep }, data.budget);
      this.set('sweep_trial_running', base, 1);
      for (const [param, value] of Object.entries(data.params)) {
        // Each trial's own seed is not a hyperparameter anyone plots accuracy against.
        if (param === 'seed') continue;
        const numeric = typeof value === 'number' ? value : typeof value === 'boolean' ? Number(value) : null;
        if (numeric !== null) this.set('sweep_trial_param', { ...base, param }, numeric);
      }
      for (const [epoch, value] of t.epochValues) this.set('sweep_trial_epoch_val_accuracy', { ...base, epoch: String(epoch) }, value);
      this.set('sweep_trial_best_val_accuracy', base, t.best);
      this.countStates(sweep, info);
      return;
    }

    const t = info.trials.get(n);
    // Events of an attempt superseded by a later one (or whose start was never seen) are ignored.
    if (!t || attempt !== t.attempt) return;
    const base = t.base;
    switch (data.event) {
      case 'step':
        this.set('sweep_trial_loss', base, data.loss);
        this.set('sweep_trial_learning_rate', base, data.lr);
        this.set('sweep_trial_momentum', base, data.mom);
        this.set('sweep_trial_images_per_second', base, data.images_per_s);
        this.set('sweep_trial_step', base, data.step);
        return;
      case 'stats':
        for (const layer of data.layers) {
          const labels = { ...base, layer: layer.name };
          this.set('sweep_trial_layer_mean', labels, layer.mean);
          this.set('sweep_trial_layer_std', labels, layer.std);
          this.set('sweep_trial_layer_dead_ratio', labels, layer.dead);
          layer.hist.forEach((count, i) => this.set('sweep_trial_layer_activation_count', { ...labels, bin: HISTOGRAM_BIN_EDGES[i]! }, count));
        }
        return;
      case 'epoch':
        t.epochValues.set(data.epoch, data.val_acc);
        if (data.val_acc !== null && (t.best === null || data.val_acc > t.best)) t.best = data.val_acc;
        this.set('sweep_trial_epochs_done', base, data.epoch + 1);
        this.set('sweep_trial_train_loss', base, data.train_loss);
        this.set('sweep_trial_val_loss', base, data.val_loss);
        this.set('sweep_trial_val_accuracy', base, data.val_acc);
        this.set('sweep_trial_best_val_accuracy', base, t.best);
        this.set('sweep_trial_epoch_val_accuracy', { ...base, epoch: String(data.epoch) }, data.val_acc);
        return;
      case 'trial_ended': {
        this.inc('sweep_trainer_seconds_total', { sweep, queue: base.queue!, node }, Math.max(0, (ts - t.attemptStartedTs) / 1000));
        if (!data.final) return; // another attempt follows: still running
        t.state = data.state;
        t.endedTs = ts;
        this.set('sweep_trial_running', base, 0);
        this.set('sweep_trial_ended', { ...base, state: data.state, rule: data.rule ?? '' }, 1);
        const m = data.metrics;
        if (data.state === 'completed' && m) {
          t.result = m.val_acc;
          if (m.epochs > 0) {
            info.completedEpochSeconds += m.seconds;
            info.completedEpochs += m.epochs;
          }
        }
        if (data.state === 'pruned') {
          this.inc('sweep_trials_pruned_total', { sweep, rule: data.rule ?? 'alert' });
          this.inc('sweep_pruning_saved_trainer_seconds_total', { sweep }, this.savedSeconds(info, data.planned_epochs, m));
        }
        this.countStates(sweep, info);
        return;
      }
      default:
        return;
    }
  }

  /** What the unrun epochs would have cost, at the trial's own pace (or the sweep's, before its first epoch). */
  private savedSeconds(info: SweepInfo, planned: number, m: { epochs: number; seconds: number } | null): number {
    if (!m) return 0;
    const perEpoch = m.epochs > 0 ? m.seconds / m.epochs : info.completedEpochs > 0 ? info.completedEpochSeconds / info.completedEpochs : 0;
    return Math.max(0, perEpoch * planned - m.seconds);
  }

  private countStates(sweep: string, info: SweepInfo): void {
    const counts = new Map<TrialState, number>(TRIAL_STATES.map((s) => [s, 0]));
    let best: number | null = null;
    for (const t of info.trials.values()) {
      counts.set(t.state, counts.get(t.state)! + 1);
      if (t.result !== null && (best === null || t.result > best)) best = t.result;
    }
    for (const [state, count] of counts) this.set('sweep_trials', { sweep, state }, count);
    this.set('sweep_best_val_accuracy', { sweep }, best);
  }

  applyWorker(a: WorkerAnnouncement): void {
    const labels = { node: a.node, queue: a.queue };
    this.workers.set(a.node, { labels, lastSeenTs: a.ts });
    this.set('sweep_worker_slots', labels, a.slots);
    this.set('sweep_worker_busy_slots', labels, a.busy);
    this.set('sweep_worker_last_seen_timestamp_seconds', labels, a.ts / 1000);
    this.set('sweep_worker_quarantined', labels, a.quarantined ? 1 : 0);
  }

  /** Drops what has been quiet past its retention; returns the number of series removed. */
  expire(now: number): number {
    let removed = 0;
    for (const [sweep, info] of this.sweeps) {
      if (info.lastEventTs < now - this.retention.sweepMs) {
        removed += this.store.remove({ sweep });
        this.sweeps.delete(sweep);
        continue;
      }
      for (const [n, t] of info.trials) {
        if (t.endedTs !== null && t.endedTs < now - this.retention.trialMs) {
          // The trial still counts in its sweep's states; only its own series go.
          removed += this.store.remove({ sweep, trial: String(n) });
          t.epochValues.clear();
        }
      }
    }
    for (const [node, w] of this.workers) {
      if (w.lastSeenTs < now - this.retention.workerMs) {
        removed += this.store.remove(w.labels);
        this.workers.delete(node);
      }
    }
    return removed;
  }
}
