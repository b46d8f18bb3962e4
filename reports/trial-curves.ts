/**
 * Each trial's curves from its stored NATS events: validation accuracy and losses per epoch, the
 * training loss per logged step, and the activation stats windows. A retried attempt replays the
 * epochs after its checkpoint; the latest attempt's value of an epoch or step wins, so the curves
 * are those of the run that produced the result.
 */
import type { SweepEvent } from '../contracts/sweep-events';

export interface LayerWindow {
  name: string;
  mean: number | null;
  std: number | null;
  hist: number[];
  dead: number | null;
}

export interface TrialCurves {
  trial: number;
  epochs: Array<{ epoch: number; valAcc: number | null; valLoss: number | null; trainLoss: number | null }>;
  steps: Array<{ step: number; loss: number | null; lr: number | null }>;
  stats: Array<{ step: number; layers: LayerWindow[] }>;
}

export function trialCurves(events: readonly SweepEvent[]): Map<number, TrialCurves> {
  const byTrial = new Map<number, { epochs: Map<number, TrialCurves['epochs'][number]>; steps: Map<number, TrialCurves['steps'][number]>; stats: Map<number, TrialCurves['stats'][number]> }>();
  const sorted = [...events].sort((a, b) => a.attempt - b.attempt || a.ts - b.ts);
  for (const { trial, data } of sorted) {
    let t = byTrial.get(trial);
    if (!t) byTrial.set(trial, (t = { epochs: new Map(), steps: new Map(), stats: new Map() }));
    if (data.event === 'epoch') t.epochs.set(data.epoch, { epoch: data.epoch, valAcc: data.val_acc, valLoss: data.val_loss, trainLoss: data.train_loss });
    if (data.event === 'step') t.steps.set(data.step, { step: data.step, loss: data.loss, lr: data.lr });
    if (data.event === 'stats') t.stats.set(data.step, { step: data.step, layers: data.layers });
  }
  const byKey = <T>(m: Map<number, T>) => [...m.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
  return new Map(
    [...byTrial.entries()].map(([trial, t]) => [trial, { trial, epochs: byKey(t.epochs), steps: byKey(t.steps), stats: byKey(t.stats) }]),
  );
}
