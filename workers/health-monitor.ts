/**
 * The health rules of one trial, fed with its trainer's events as they arrive. They look at the
 * trial alone (no peers), so they can stop it mid-epoch, within one stats or step window of the
 * evidence. A NaN or infinite loss is the trainer's own check (exit 4): see trainer-outcome.ts.
 */
import { KEEP, type HealthOptions, type PruneDecision } from '../contracts/pruning';
import type { TrainerEvent } from '../contracts/trainer-events';

export interface HealthMonitor {
  /** The first unhealthy verdict, once; KEEP otherwise. */
  observe(event: TrainerEvent): PruneDecision;
}

export function createHealthMonitor(options: HealthOptions): HealthMonitor {
  let lowestLoss = Infinity;
  let deadStreak = 0;
  let decided = false;

  const divergence = (step: number, loss: number): PruneDecision => {
    const rule = options.divergence;
    lowestLoss = Math.min(lowestLoss, loss);
    if (rule === false || step < rule.warmup_steps) return KEEP;
    if (loss > rule.factor * lowestLoss && loss > rule.min_loss) {
      return {
        prune: true,
        rule: 'divergence',
        reason: `loss diverged at step ${step}: ${loss.toPrecision(4)} > ${rule.factor} x its lowest ${lowestLoss.toPrecision(4)} and > ${rule.min_loss}`,
      };
    }
    return KEEP;
  };

  const deadActivations = (step: number, layers: ReadonlyArray<{ name: string; dead: number | null }>): PruneDecision => {
    const rule = options.dead_activations;
    if (rule === false || step < rule.warmup_steps) return KEEP;
    const worst = layers.reduce<{ name: string; dead: number } | null>(
      (w, l) => (l.dead !== null && (w === null || l.dead > w.dead) ? { name: l.name, dead: l.dead } : w),
      null,
    );
    deadStreak = worst !== null && worst.dead > rule.max_ratio ? deadStreak + 1 : 0;
    if (deadStreak < rule.windows || worst === null) return KEEP;
    return {
      prune: true,
      rule: 'dead_activations',
      reason: `${worst.name} dead ratio ${worst.dead.toFixed(3)} > ${rule.max_ratio} for ${deadStreak} stats windows (step ${step})`,
    };
  };

  return {
    observe(event) {
      if (decided) return KEEP;
      let decision = KEEP;
      if (event.event === 'step' && event.loss !== null) decision = divergence(event.step, event.loss);
      if (event.event === 'stats') decision = deadActivations(event.step, event.layers);
      decided = decision.prune;
      return decision;
    },
  };
}
