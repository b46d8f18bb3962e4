"""Events on stdout: one JSON object per line, flushed at once (docs/trainer-protocol.md)."""
from __future__ import annotations

import json
import math
from typing import Any, Callable, TextIO

PROTOCOL_VERSION = 1

# What the trainer's parts are given to report with: emit("step", epoch=0, step=3, ...).
Emit = Callable[..., None]


def finite(value: Any) -> Any:
    """`value` with every non-finite float replaced by None: JSON has no NaN and the worker parses
    strictly."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(v) for v in value]
    return value


class JsonLines:
    """An Emit that writes each event as one line to `stream`."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def __call__(self, event: str, **fields: Any) -> None:
        line = json.dumps({"event": event, **finite(fields)}, allow_nan=False, separators=(",", ":"))
        # Flushed now: stdout is a pipe (block-buffered), and the worker acts on events as they come.
        self._stream.write(line + "\n")
        self._stream.flush()
