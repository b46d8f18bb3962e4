"""Test-set accuracy of a trained model, plain and with flip test-time augmentation (promotion only).

Flip TTA, as the fast.ai course does it: each image and its mirror image go through the model and
the two softmax outputs are averaged before the argmax (Fashion-MNIST's classes are symmetric
under a horizontal flip, which is also why training flips them).
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Callable, ContextManager

import torch

from .data import Split
from .learner import to_unit


@dataclass(frozen=True)
class TestAccuracy:
    test_acc: float
    tta_acc: float
    test_loss: float


@torch.no_grad()
def test_accuracy(
    model: Callable[[torch.Tensor], torch.Tensor],
    test: Split,
    batch_size: int,
    autocast: Callable[[], ContextManager[object]] = contextlib.nullcontext,
) -> TestAccuracy:
    """`model`: the trained model's forward, in eval mode; `autocast`: the training's precision."""
    device = test.x.device
    correct = torch.zeros((), dtype=torch.long, device=device)
    correct_tta = torch.zeros((), dtype=torch.long, device=device)
    loss_sum = torch.zeros((), device=device)
    for i in range(0, len(test), batch_size):
        x, y = to_unit(test.x[i : i + batch_size]), test.y[i : i + batch_size]
        with autocast():
            logits = model(x).float()
            flipped = model(x.flip(-1)).float().softmax(dim=1)
        probs = logits.softmax(dim=1)
        loss_sum += torch.nn.functional.cross_entropy(logits, y, reduction="sum")
        correct += (probs.argmax(dim=1) == y).sum()
        correct_tta += ((probs + flipped).argmax(dim=1) == y).sum()
    n = len(test)
    return TestAccuracy(correct.item() / n, correct_tta.item() / n, loss_sum.item() / n)
