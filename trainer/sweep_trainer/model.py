"""The fast.ai course ResNet family (miniai, lessons 13-14), sized by a list of stage widths."""
from __future__ import annotations

from typing import Sequence

import torch
from torch import nn
import torch.nn.functional as F

LEAK, SUB = 0.1, 0.4


class GeneralRelu(nn.Module):
    """Leaky ReLU shifted down by `sub`, so activations have a mean nearer zero (as in the course)."""

    def __init__(self, leak: float = LEAK, sub: float = SUB) -> None:
        super().__init__()
        self.leak, self.sub = leak, sub

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # In place is safe: leaky_relu's backward needs its input, not its output.
        return F.leaky_relu(x, self.leak).sub_(self.sub)


def conv(ni: int, nf: int, ks: int = 3, stride: int = 1, act: bool = True) -> nn.Sequential:
    """Conv (no bias: the BatchNorm after it has one), BatchNorm, then GeneralRelu if `act`."""
    layers: list[nn.Module] = [
        nn.Conv2d(ni, nf, ks, stride=stride, padding=ks // 2, bias=False),
        nn.BatchNorm2d(nf),
    ]
    if act:
        layers.append(GeneralRelu())
    return nn.Sequential(*layers)


class ResBlock(nn.Module):
    """Two convs plus an identity path; the identity is average-pooled when the convs stride and
    widened by a 1x1 conv when the width changes, so the two paths can be added. As in the course,
    that 1x1 conv is a plain one with a bias: no BatchNorm on the identity path."""

    def __init__(self, ni: int, nf: int, stride: int = 1, ks: int = 3) -> None:
        super().__init__()
        self.convs = nn.Sequential(conv(ni, nf, ks), conv(nf, nf, ks, stride=stride, act=False))
        self.idconv = nn.Identity() if ni == nf else nn.Conv2d(ni, nf, 1)
        # ceil_mode: 7x7 pools to 4x4, the size the stride-2 conv gives.
        self.pool = nn.Identity() if stride == 1 else nn.AvgPool2d(2, ceil_mode=True)
        self.act = GeneralRelu()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(self.convs(x) + self.idconv(self.pool(x)))


class Normalize(nn.Module):
    """(x - mean) / std with the training images' statistics, kept in the model's state so a
    checkpoint carries them."""

    def __init__(self, mean: float, std: float) -> None:
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean))
        self.register_buffer("std", torch.tensor(std))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (x - self.mean) / self.std


def init_weights(m: nn.Module) -> None:
    # Kaiming init for the leaky activation that follows (a = its negative slope).
    if isinstance(m, (nn.Conv2d, nn.Linear)):
        nn.init.kaiming_normal_(m.weight, a=LEAK)


def build_model(widths: Sequence[int], dropout: float, mean: float, std: float) -> nn.Sequential:
    """Input [B, 1, 28, 28] in [0, 1] -> logits [B, 10].

    A stride-1 block with a 5x5 kernel, then one stride-2 block per further width, then
    pool / flatten / dropout / linear / BatchNorm1d as the course's head.
    """
    blocks = [ResBlock(1, widths[0], ks=5)]
    blocks += [ResBlock(ni, nf, stride=2) for ni, nf in zip(widths, widths[1:])]
    model = nn.Sequential(
        Normalize(mean, std),
        *blocks,
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Dropout(dropout),
        nn.Linear(widths[-1], 10, bias=False),
        nn.BatchNorm1d(10),
    )
    model.apply(init_weights)
    return model


def res_blocks(model: nn.Module) -> list[ResBlock]:
    """The residual blocks in forward order: what stats hooks watch, as block0..blockN."""
    return [m for m in model.modules() if isinstance(m, ResBlock)]
