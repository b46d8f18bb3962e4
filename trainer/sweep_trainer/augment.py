"""Batch augmentation with a fresh random draw for every sample, computed on the batch's device.

Each transform draws one value per sample (never one per batch, so a batch is a mix of variants)
from the generator passed in, as whole tensors: no Python loop over samples, and the same
generator state gives the same output. Images are [B, C, H, W] floats in [0, 1]; 0 is Fashion-
MNIST's black background, which is what padding and erasing fill with.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F

ERASE_VALUE = 0.0


@dataclass(frozen=True)
class Augmentation:
    """The augmentation mix of a trial (protocol: the config fields of the same names)."""

    flip_p: float
    crop_pad: int
    erase_p: float
    erase_size: float
    erase_count: int
    patch_p: float
    patch_size: float

    def __call__(self, x: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
        x = flip(x, self.flip_p, gen)
        x = shift(x, self.crop_pad, gen)
        x = patch_copy(x, self.patch_p, self.patch_size, gen)
        return erase(x, self.erase_p, self.erase_size, self.erase_count, gen)


def _uniform(n: int, gen: torch.Generator, device: torch.device) -> torch.Tensor:
    return torch.rand(n, generator=gen, device=device)


def _below(high: torch.Tensor | int, n: int, gen: torch.Generator, device: torch.device) -> torch.Tensor:
    """n integers, the i-th uniform in [0, high_i): torch.randint only takes one bound."""
    return (_uniform(n, gen, device) * high).long()


def _side(fraction: float, size: int) -> int:
    return max(1, round(fraction * size))


def _crop(x: torch.Tensor, top: torch.Tensor, left: torch.Tensor, h: int, w: int) -> torch.Tensor:
    """out[b] = x[b, :, top_b : top_b + h, left_b : left_b + w]: a per-sample crop as two gathers
    (rows, then columns)."""
    b, c = x.shape[:2]
    rows = (top[:, None] + torch.arange(h, device=x.device))[:, None, :, None]
    x = x.gather(2, rows.expand(b, c, h, x.shape[3]))
    cols = (left[:, None] + torch.arange(w, device=x.device))[:, None, None, :]
    return x.gather(3, cols.expand(b, c, h, w))


def flip(x: torch.Tensor, p: float, gen: torch.Generator) -> torch.Tensor:
    """Each sample mirrored left-right with probability p."""
    if p == 0:
        return x
    chosen = _uniform(len(x), gen, x.device) < p
    return torch.where(chosen[:, None, None, None], x.flip(-1), x)


def shift(x: torch.Tensor, pad: int, gen: torch.Generator) -> torch.Tensor:
    """Zero-pad each sample by `pad` and crop H x W at a random offset: a shift by -pad..pad pixels
    each way."""
    if pad == 0:
        return x
    b, _, h, w = x.shape
    top = _below(2 * pad + 1, b, gen, x.device)
    left = _below(2 * pad + 1, b, gen, x.device)
    return _crop(F.pad(x, (pad, pad, pad, pad)), top, left, h, w)


def _band(start: torch.Tensor, length: torch.Tensor | int, size: int) -> torch.Tensor:
    """[B, size] mask of positions start_b <= i < start_b + length_b."""
    i = torch.arange(size, device=start.device)[None, :]
    return (i >= start[:, None]) & (i < (start + length)[:, None])


def erase(x: torch.Tensor, p: float, size: float, count: int, gen: torch.Generator) -> torch.Tensor:
    """With probability p per sample, set `count` rectangles to ERASE_VALUE; each side is drawn
    from 1..round(size * side) and the rectangle lies inside the image."""
    if p == 0:
        return x
    b, _, h, w = x.shape
    chosen = _uniform(b, gen, x.device) < p
    max_h, max_w = _side(size, h), _side(size, w)
    mask = torch.zeros(b, h, w, dtype=torch.bool, device=x.device)
    for _ in range(count):  # at most 8 rectangles, each drawn for the whole batch at once
        rh = 1 + _below(max_h, b, gen, x.device)
        rw = 1 + _below(max_w, b, gen, x.device)
        top, left = _below(h - rh + 1, b, gen, x.device), _below(w - rw + 1, b, gen, x.device)
        mask |= _band(top, rh, h)[:, :, None] & _band(left, rw, w)[:, None, :]
    mask &= chosen[:, None, None]
    return x.masked_fill(mask[:, None], ERASE_VALUE)


def patch_copy(x: torch.Tensor, p: float, size: float, gen: torch.Generator) -> torch.Tensor:
    """With probability p per sample, paste a square of side round(size * side) of the image over
    another square of the same image (source and target drawn independently)."""
    if p == 0:
        return x
    b, c, h, w = x.shape
    side = _side(size, min(h, w))
    chosen = _uniform(b, gen, x.device) < p
    src_y, src_x = _below(h - side + 1, b, gen, x.device), _below(w - side + 1, b, gen, x.device)
    dst_y, dst_x = _below(h - side + 1, b, gen, x.device), _below(w - side + 1, b, gen, x.device)
    patch = _crop(x, src_y, src_x, side, side).reshape(b, c, side * side)
    i = torch.arange(side, device=x.device)
    target = (dst_y[:, None] + i)[:, :, None] * w + (dst_x[:, None] + i)[:, None, :]  # [B, side, side]
    target = target.reshape(b, 1, side * side).expand(b, c, side * side)
    pasted = x.reshape(b, c, h * w).scatter(2, target, patch).reshape(b, c, h, w)
    return torch.where(chosen[:, None, None, None], pasted, x)
