"""The learning-rate range test (Smith 2015, as the fast.ai course's LRFinderCB): train with a
learning rate that rises exponentially every step, and stop once the loss blows up.

The trainer only measures: it emits every step's learning rate and raw loss in one `lr_find`
event. Reading a suggested range off the curve is the caller's job (the `sweep lr-find` command),
so the rule can change without retraining.
"""
from __future__ import annotations

import math
import time
from typing import List

from . import data
from .callbacks import Progress, StopOnRequest
from .config import TrialConfig
from .learner import CancelFit, Callback, Learner
from .protocol import Emit
from .stop import StopRequest
from .train import build_learner, emit_ready, setup_device

# The test ends when the smoothed loss exceeds this many times its lowest value.
STOP_FACTOR = 4.0


def smoothing_beta(steps: int) -> float:
    """A debiased moving average over about a tenth of the test (at least 5 steps): the same rule
    as the suggestion's (reports/lr-range.ts), so both see the same curve."""
    return 1 - 2 / (max(5, steps / 10) + 1)


class LRFinder(Callback):
    """Sets lr = start * (end / start) ** (i / (steps - 1)) before training step i; records the loss;
    ends the fit after `steps` steps, at a non-finite loss, or when the loss has diverged."""

    def __init__(self, start_lr: float, end_lr: float, steps: int) -> None:
        self.start_lr, self.steps = start_lr, steps
        self.mult = (end_lr / start_lr) ** (1 / max(steps - 1, 1))
        self.lrs: List[float] = []
        self.losses: List[float] = []
        self.beta = smoothing_beta(steps)
        self.avg = 0.0
        self.best = math.inf
        self.started = time.perf_counter()
        self.seconds = 0.0

    def before_fit(self, learn: Learner) -> None:
        self.started = time.perf_counter()

    def before_batch(self, learn: Learner) -> None:
        if not learn.training:
            return
        lr = self.start_lr * self.mult ** len(self.lrs)
        for group in learn.opt.param_groups:
            group["lr"] = lr

    def after_batch(self, learn: Learner) -> None:
        if not learn.training:
            return
        loss = learn.loss.item()  # a host sync every step: the test is short and needs each value
        self.lrs.append(learn.opt.param_groups[0]["lr"])
        self.losses.append(loss)
        if not math.isfinite(loss):
            raise CancelFit()
        self.seconds = time.perf_counter() - self.started
        self.avg = self.beta * self.avg + (1 - self.beta) * loss
        smoothed = self.avg / (1 - self.beta ** len(self.losses))
        self.best = min(self.best, smoothed)
        if smoothed > STOP_FACTOR * self.best or len(self.lrs) >= self.steps:
            raise CancelFit()


def run_lr_find(cfg: TrialConfig, emit: Emit, stop: StopRequest, start_lr: float, end_lr: float, steps: int) -> None:
    device, threads = setup_device(cfg)
    train, _ = data.split(data.load(data.locate(cfg.data_dir)), cfg.split_seed, cfg.train_subset)
    finder = LRFinder(start_lr, end_lr, steps)
    learn = build_learner(cfg, train, None, device, [StopOnRequest(stop), finder, Progress(emit, cfg.log_every)])
    emit_ready(emit, cfg, learn, device, threads, valid=None, test=None, start_epoch=0, warm=False)
    # Enough epochs for every step; the finder ends the fit sooner.
    learn.fit(math.ceil(steps / learn.steps_per_epoch))
    emit("lr_find", lrs=finder.lrs, losses=finder.losses, seconds=finder.seconds)
