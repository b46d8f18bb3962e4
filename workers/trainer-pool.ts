/**
 * The worker's trainers: one warm trainer per slot, reused trial after trial, replaced when it
 * died or retired. A slot's trainer keeps the slot's environment (its GPU) for its whole life.
 */
import type { TrainerConfig } from '../contracts/trial-config';
import type { Slot } from './slots';
import type { TrainerHandlers, TrainerRun } from './trainer-process';
import { WarmTrainer } from './warm-trainer';

export class TrainerPool {
  private readonly bySlot = new Map<number, WarmTrainer>();
  private readonly closing = new Set<Promise<void>>();

  constructor(
    private readonly python: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** Runs `config` on `slot`'s trainer, started now if the slot has none that is free. */
  run(slot: Slot, config: TrainerConfig, handlers: TrainerHandlers): TrainerRun {
    let trainer = this.bySlot.get(slot.id);
    if (trainer !== undefined && !trainer.idle) {
      this.retire(trainer);
      trainer = undefined;
    }
    if (trainer === undefined) {
      trainer = new WarmTrainer(this.python, { ...this.env, ...slot.env });
      this.bySlot.set(slot.id, trainer);
    }
    return trainer.run(config, handlers);
  }

  /** Ends every trainer and waits until each process is gone. */
  async close(): Promise<void> {
    for (const trainer of this.bySlot.values()) this.retire(trainer);
    this.bySlot.clear();
    await Promise.all(this.closing);
  }

  private retire(trainer: WarmTrainer): void {
    const closed = trainer.close().finally(() => this.closing.delete(closed));
    this.closing.add(closed);
  }
}
