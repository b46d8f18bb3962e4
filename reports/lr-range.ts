/**
 * Reading the learning-rate range test (trainer: `--lr-find`): smooth the loss as fastai does, then
 * suggest where a one-cycle schedule's max LR should lie.
 *
 * The rule, after Smith and the fast.ai course: the loss falls fastest at `steepest`; it bottoms
 * out at `minimum`, where training is about to become unstable. A max LR a few times below the
 * minimum is still on the descending part: the suggested value is minimum / 10 (fastai's
 * `lr_min`), and the range for a search space spans from the steepest descent up to minimum / 3.
 */

export interface LrSuggestion {
  /** The lr of the lowest smoothed loss. */
  minimum: number;
  /** The lr where the smoothed loss fell fastest (per unit of log lr), before the minimum. */
  steepest: number;
  /** minimum / 10: one max LR to use. */
  suggested: number;
  /** Bounds for a loguniform `max_lr` in a space file. */
  range: [number, number];
}

/**
 * The smoothing factor for a test of `steps` steps: an average over about a tenth of the test
 * (at least 5 steps), so the smoothed curve lags the raw one by the same share of the lr range
 * however many steps the test has (fastai's fixed 0.98 averages over 50 steps: half of a
 * 100-step test, which moves the minimum far to the right). The trainer stops by the same rule.
 */
export function smoothingBeta(steps: number): number {
  return 1 - 2 / (Math.max(5, steps / 10) + 1);
}

/** A debiased exponential moving average of the raw losses, as fastai's; a non-finite loss ends it. */
export function smoothLosses(losses: ReadonlyArray<number | null>, beta = smoothingBeta(losses.length)): number[] {
  const out: number[] = [];
  let avg = 0;
  for (const loss of losses) {
    if (loss === null || !Number.isFinite(loss)) break;
    avg = beta * avg + (1 - beta) * loss;
    out.push(avg / (1 - beta ** (out.length + 1)));
  }
  return out;
}

export class LrFindError extends Error {
  override name = 'LrFindError';
}

export function suggestLrRange(lrs: readonly number[], losses: ReadonlyArray<number | null>): LrSuggestion {
  const smoothed = smoothLosses(losses);
  if (smoothed.length < 10) throw new LrFindError(`the range test gave only ${smoothed.length} finite losses; at least 10 are needed (start lower with --start)`);
  // The first steps say more about the initialisation than about the learning rate.
  const skip = Math.floor(smoothed.length * 0.1);
  let iMin = skip;
  for (let i = skip; i < smoothed.length; i++) if (smoothed[i]! < smoothed[iMin]!) iMin = i;
  let iSteep = skip;
  let steepest = Infinity;
  for (let i = Math.max(skip, 1); i <= iMin; i++) {
    const slope = (smoothed[i]! - smoothed[i - 1]!) / (Math.log(lrs[i]!) - Math.log(lrs[i - 1]!));
    if (slope < steepest) [steepest, iSteep] = [slope, i];
  }
  const minimum = lrs[iMin]!;
  const high = minimum / 3;
  const low = Math.min(lrs[iSteep]!, high / 10);
  return { minimum, steepest: lrs[iSteep]!, suggested: minimum / 10, range: [low, high] };
}
