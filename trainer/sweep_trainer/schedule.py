"""The one-cycle policy as a pure function of the step (Smith; torch's OneCycleLR, cos annealing).

The learning rate warms up from max_lr/DIV to max_lr over the first PCT_START of the steps, then
anneals to max_lr/(DIV*FINAL_DIV); momentum (AdamW's beta1) moves the opposite way, MOM_MAX ->
MOM_MIN -> MOM_MAX. A function of the step alone, so a resumed run gets the same values.
"""
from __future__ import annotations

import math
from typing import Tuple

PCT_START = 0.3
DIV, FINAL_DIV = 25.0, 1e4
MOM_MAX, MOM_MIN = 0.95, 0.85


def _cos(start: float, end: float, pct: float) -> float:
    return end + (start - end) / 2 * (math.cos(math.pi * pct) + 1)


def one_cycle(step: int, total_steps: int, max_lr: float) -> Tuple[float, float]:
    """(lr, momentum) for optimizer step `step` (0-based) of `total_steps`.

    Phase boundaries are the ones torch.optim.lr_scheduler.OneCycleLR uses, so the two agree step
    for step; runs too short for a warm-up (under 4 steps) start at the peak instead of dividing
    by zero.
    """
    start_lr, end_lr = max_lr / DIV, max_lr / (DIV * FINAL_DIV)
    peak = PCT_START * total_steps - 1  # the step at which lr == max_lr
    last = total_steps - 1
    step = min(max(step, 0), last)
    if peak > 0 and step <= peak:
        pct = step / peak
        return _cos(start_lr, max_lr, pct), _cos(MOM_MAX, MOM_MIN, pct)
    peak = max(peak, 0.0)
    pct = (step - peak) / (last - peak) if last > peak else 0.0
    return _cos(max_lr, end_lr, pct), _cos(MOM_MIN, MOM_MAX, pct)
