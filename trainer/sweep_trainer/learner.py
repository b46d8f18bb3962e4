"""The training loop, as the fast.ai course's Learner: one loop, fixed hooks, callbacks for the rest.

Hooks run in list order: before_fit, then per epoch before_epoch, before_batch / after_batch around
every training step and every validation batch (`learn.training` tells which), after_epoch; and
after_fit, which always runs (from `finally`) to release what before_fit took. A callback stops
the fit by raising StopTraining (or fails it with a TrialError), or ends it early as done by
raising CancelFit (the learning-rate finder's way out). Callbacks read the learner's state
and leave it alone; the one exception is the schedule, which sets the optimizer's lr and momentum.
"""
from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from typing import Callable, ContextManager, Optional, Sequence

import torch
import torch.nn.functional as F
from torch import nn

from .data import Split
from .seeding import derive_seed

Augment = Callable[[torch.Tensor, torch.Generator], torch.Tensor]


@dataclass
class EpochResult:
    """The fields of an `epoch` event."""

    epoch: int
    train_loss: float
    val_loss: Optional[float]  # None when there is no validation split (promotion)
    val_acc: Optional[float]
    seconds: float  # the whole epoch, validation included
    images_per_s: float  # training images over the training part of the epoch


class CancelFit(Exception):
    """Raised by a callback to end the fit as done (not stopped, not failed)."""


class Callback:
    """Override the hooks you need; the rest do nothing."""

    def before_fit(self, learn: Learner) -> None: ...
    def before_epoch(self, learn: Learner) -> None: ...
    def before_batch(self, learn: Learner) -> None: ...
    def after_batch(self, learn: Learner) -> None: ...
    def after_epoch(self, learn: Learner) -> None: ...
    def after_fit(self, learn: Learner) -> None: ...


def steps_per_epoch(images: int, batch_size: int) -> int:
    # A last batch of one image is skipped (BatchNorm can't normalise a single value); it is a
    # different image each epoch, as the order is reshuffled.
    full, rest = divmod(images, batch_size)
    return full + (rest >= 2)


def to_unit(x: torch.Tensor) -> torch.Tensor:
    """uint8 pixels -> float in [0, 1] (the model normalises them itself)."""
    return x.float().div_(255)


class Learner:
    def __init__(
        self,
        model: nn.Module,
        opt: torch.optim.Optimizer,
        train: Split,
        valid: Optional[Split],
        batch_size: int,
        augment: Augment,
        seed: int,
        callbacks: Sequence[Callback],
        label_smoothing: float = 0.0,
        autocast: Optional[torch.dtype] = None,
        forward: Optional[Callable[[torch.Tensor], torch.Tensor]] = None,
    ) -> None:
        self.model, self.opt, self.train_data, self.valid_data = model, opt, train, valid
        self.batch_size, self.augment, self.seed, self.callbacks = batch_size, augment, seed, callbacks
        self.label_smoothing = label_smoothing  # training loss only: validation reports plain cross-entropy
        # Mixed precision: forward passes and losses under autocast to this dtype (None: fp32).
        self.autocast_dtype = autocast
        # The compiled model when torch.compile is on; `model` stays the module whose state is saved.
        self.forward = forward or model
        self.device = train.x.device
        # Shuffling and augmentation draw from this generator, on the data's device so neither
        # needs a copy from the host.
        self.gen = torch.Generator(device=self.device)
        self.steps_per_epoch = steps_per_epoch(len(train), batch_size)
        self.total_steps = 0
        self.epoch = 0
        self.step = 0  # optimizer steps done in the whole run = index of the next one
        self.training = False
        self.yb: torch.Tensor = torch.empty(0)
        self.loss: torch.Tensor = torch.empty(0)
        self.last: Optional[EpochResult] = None
        self.seconds = 0.0  # training time of all epochs so far, those before a resume included

    def autocast(self) -> ContextManager[object]:
        if self.autocast_dtype is None:
            return contextlib.nullcontext()
        return torch.autocast(device_type=self.device.type, dtype=self.autocast_dtype)

    def fit(self, epochs: int, start_epoch: int = 0) -> None:
        self.total_steps = epochs * self.steps_per_epoch
        self.epoch, self.step = start_epoch, start_epoch * self.steps_per_epoch
        try:
            for cb in self.callbacks:
                cb.before_fit(self)
            for self.epoch in range(start_epoch, epochs):
                self._one_epoch()
        except CancelFit:
            pass
        finally:
            for cb in self.callbacks:
                cb.after_fit(self)

    def _one_epoch(self) -> None:
        start = time.perf_counter()
        # Every epoch's randomness is a function of (seed, epoch) alone, so a run resumed from the
        # checkpoint of epoch e-1 draws exactly what an uninterrupted run draws in epoch e.
        self.gen.manual_seed(derive_seed(self.seed, "epoch", self.epoch, "data"))
        torch.manual_seed(derive_seed(self.seed, "epoch", self.epoch, "dropout"))
        for cb in self.callbacks:
            cb.before_epoch(self)
        train_loss, images = self._train()
        trained = time.perf_counter()  # train_loss was read from the device: its work is done
        val_loss, val_acc = self._validate()
        seconds = time.perf_counter() - start
        self.seconds += seconds
        self.last = EpochResult(
            self.epoch, train_loss, val_loss, val_acc, seconds, images / max(trained - start, 1e-9)
        )
        for cb in self.callbacks:
            cb.after_epoch(self)

    def _train(self) -> tuple[float, int]:
        self.training = True
        self.model.train()
        order = torch.randperm(len(self.train_data), generator=self.gen, device=self.device)
        loss_sum = torch.zeros((), device=self.device)  # summed on the device: no sync per step
        images = 0
        for i in range(self.steps_per_epoch):
            idx = order[i * self.batch_size : (i + 1) * self.batch_size]
            for cb in self.callbacks:
                cb.before_batch(self)
            xb = self.augment(to_unit(self.train_data.x[idx]), self.gen)
            self.yb = self.train_data.y[idx]
            with self.autocast():
                self.loss = F.cross_entropy(self.forward(xb), self.yb, label_smoothing=self.label_smoothing)
            self.loss.backward()
            self.opt.step()
            self.opt.zero_grad(set_to_none=True)
            loss_sum += self.loss.detach() * len(idx)
            images += len(idx)
            for cb in self.callbacks:
                cb.after_batch(self)
            self.step += 1
        return loss_sum.item() / max(images, 1), images

    @torch.no_grad()
    def _validate(self) -> tuple[Optional[float], Optional[float]]:
        if self.valid_data is None:
            return None, None
        self.training = False
        self.model.eval()
        loss_sum = torch.zeros((), device=self.device)
        correct = torch.zeros((), dtype=torch.long, device=self.device)
        bs = self.batch_size
        for i in range(0, len(self.valid_data), bs):
            for cb in self.callbacks:
                cb.before_batch(self)
            self.yb = self.valid_data.y[i : i + bs]
            with self.autocast():
                out = self.forward(to_unit(self.valid_data.x[i : i + bs])).float()
            loss_sum += F.cross_entropy(out, self.yb, reduction="sum")
            correct += (out.argmax(dim=1) == self.yb).sum()
            for cb in self.callbacks:
                cb.after_batch(self)
        n = len(self.valid_data)
        return loss_sum.item() / n, correct.item() / n
