"""Activation statistics of every residual block, as the course's ActivationStats hook.

Forward hooks are registered on the blocks at fit start and always removed when the fit ends; on
steps that are not stats steps they return at once, so those steps pay one flag check per block.
"""
from __future__ import annotations

from functools import partial
from typing import Any, Dict, List, Sequence

import torch
from torch import nn

from .learner import Callback, Learner
from .model import res_blocks
from .protocol import Emit

BINS, MAX_ABS = 40, 10.0


def layer_stats(act: torch.Tensor) -> torch.Tensor:
    """[mean, std, *hist] of `act`, on its device: hist counts |act| in BINS equal bins over
    [0, MAX_ABS], larger values in the last bin."""
    act = act.detach().float()
    hist = torch.histc(act.abs().clamp_(max=MAX_ABS), bins=BINS, min=0.0, max=MAX_ABS)
    return torch.cat([act.mean()[None], act.std()[None], hist])


def layer_event(name: str, stats: Sequence[float]) -> Dict[str, Any]:
    """One entry of a `stats` event's `layers`. `dead` is the share of values in the lowest bin,
    i.e. |act| < MAX_ABS / BINS, as in the course."""
    hist = [int(c) for c in stats[2:]]
    return {
        "name": name,
        "mean": stats[0],
        "std": stats[1],
        "hist": hist,
        "dead": hist[0] / max(sum(hist), 1),
    }


class ActivationStats(Callback):
    """Emits a `stats` event on every `every`-th optimizer step, from that step's forward pass."""

    def __init__(self, emit: Emit, every: int) -> None:
        self.emit, self.every = emit, every
        self.active = False
        self.layers: Dict[int, torch.Tensor] = {}
        self.handles: List[torch.utils.hooks.RemovableHandle] = []

    def before_fit(self, learn: Learner) -> None:
        self.handles = [
            block.register_forward_hook(partial(self._record, i))
            for i, block in enumerate(res_blocks(learn.model))
        ]

    def _record(self, i: int, module: nn.Module, inputs: Any, output: torch.Tensor) -> None:
        if self.active:
            self.layers[i] = layer_stats(output)

    def before_batch(self, learn: Learner) -> None:
        self.active = learn.training and learn.step % self.every == 0
        self.layers = {}

    def after_batch(self, learn: Learner) -> None:
        if not self.active:
            return
        self.active = False
        rows = torch.stack([self.layers[i] for i in sorted(self.layers)]).tolist()  # one copy to host
        layers = [layer_event(f"block{i}", row) for i, row in zip(sorted(self.layers), rows)]
        self.emit("stats", epoch=learn.epoch, step=learn.step, layers=layers)

    def after_fit(self, learn: Learner) -> None:
        for handle in self.handles:
            handle.remove()
        self.handles = []
