"""Seeds derived from the config's seeds, so every random stream is independent and reproducible."""
from __future__ import annotations

import hashlib


def derive_seed(*parts: object) -> int:
    """A 63-bit seed for the stream named by `parts`, e.g. derive_seed(seed, "epoch", 3, "data").

    Hashing (rather than seed + epoch) keeps streams apart: seed 1 epoch 0 and seed 0 epoch 1 share
    nothing, and any JSON integer (negative, huge) becomes a seed torch accepts.
    """
    digest = hashlib.sha256(repr(parts).encode()).digest()
    return int.from_bytes(digest[:8], "little") >> 1
