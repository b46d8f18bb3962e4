"""The loop's standard callbacks: stopping on request, the one-cycle schedule, progress events."""
from __future__ import annotations

import dataclasses
import math
import time

import torch

from .errors import NanLossError
from .learner import Callback, Learner
from .protocol import Emit
from .schedule import one_cycle
from .stop import StopRequest, StopTraining


class StopOnRequest(Callback):
    """Raises StopTraining before the fit and before every batch once a stop was requested, so the
    step in progress completes and none starts after it."""

    def __init__(self, request: StopRequest) -> None:
        self.request = request

    def _check(self, learn: Learner) -> None:
        if self.request.requested:
            raise StopTraining("signal", learn.epoch, learn.step)

    def before_fit(self, learn: Learner) -> None:
        self._check(learn)

    def before_batch(self, learn: Learner) -> None:
        self._check(learn)


class OneCycle(Callback):
    """Sets every param group's lr and AdamW beta1 from schedule.one_cycle before each step."""

    def __init__(self, max_lr: float) -> None:
        self.max_lr = max_lr

    def before_batch(self, learn: Learner) -> None:
        if not learn.training:
            return
        lr, mom = one_cycle(learn.step, learn.total_steps, self.max_lr)
        for group in learn.opt.param_groups:
            group["lr"] = lr
            group["betas"] = (mom, group["betas"][1])


class Progress(Callback):
    """`step` events every `every` steps (mean loss since the last one), `epoch` events, and the
    NaN guard: the loss is only read back from the device here, so this is where it is checked."""

    def __init__(self, emit: Emit, every: int) -> None:
        self.emit, self.every = emit, every

    def before_epoch(self, learn: Learner) -> None:
        self._reset()

    def _reset(self) -> None:
        self.loss_sum: torch.Tensor | float = 0.0  # a tensor on the device after the first step
        self.losses = self.images = 0
        self.since = time.perf_counter()

    def after_batch(self, learn: Learner) -> None:
        if not learn.training:
            return
        self.loss_sum = self.loss_sum + learn.loss.detach()  # no sync: stays on the device
        self.losses += 1
        self.images += len(learn.yb)
        if learn.step % self.every:
            return
        loss = float(self.loss_sum / self.losses)  # waits for the device: timing is honest
        if not math.isfinite(loss):
            raise NanLossError(f"the loss became {loss} by step {learn.step} (epoch {learn.epoch})")
        group = learn.opt.param_groups[0]
        self.emit(
            "step",
            epoch=learn.epoch,
            step=learn.step,
            loss=loss,
            lr=group["lr"],
            mom=group["betas"][0],
            images_per_s=self.images / max(time.perf_counter() - self.since, 1e-9),
        )
        self._reset()

    def after_epoch(self, learn: Learner) -> None:
        assert learn.last is not None
        if not math.isfinite(learn.last.train_loss):
            raise NanLossError(f"the loss became {learn.last.train_loss} in epoch {learn.epoch}")
        self.emit("epoch", **dataclasses.asdict(learn.last))
