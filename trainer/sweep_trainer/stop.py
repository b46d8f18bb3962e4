"""Stopping early: SIGTERM only records the request; the loop acts on it between steps by raising
StopTraining. No torch here, so the handler is in place before torch's slow import."""
from __future__ import annotations

import ctypes
import signal
import sys
from types import FrameType
from typing import Optional


EXIT_STOPPED = 143  # 128 + SIGTERM, what a shell reports for a process SIGTERM ended


class StopTraining(Exception):
    """Raised by a callback to end the fit: `step` optimizer steps are done, in epoch `epoch`."""

    def __init__(self, reason: str, epoch: int, step: int) -> None:
        super().__init__(f"stopped ({reason}) in epoch {epoch} after {step} steps")
        self.reason, self.epoch, self.step = reason, epoch, step


class StopRequest:
    """Set by SIGTERM once installed; installed first thing, so a signal during start-up counts.

    `requested` stops the trial in progress; `terminated` says it came from SIGTERM, so a warm
    trainer (serve.py), which also takes per-trial stops on stdin, ends after the trial too."""

    def __init__(self) -> None:
        self.requested = False
        self.terminated = False

    def install(self) -> "StopRequest":
        signal.signal(signal.SIGTERM, self._handle)
        _term_when_parent_dies()
        return self

    def _handle(self, signum: int, frame: Optional[FrameType]) -> None:
        # Only flags: raising here could interrupt an optimizer step half done.
        self.requested = True
        self.terminated = True


PR_SET_PDEATHSIG = 1


def _term_when_parent_dies() -> None:
    """On Linux, ask for SIGTERM when our parent (the worker) dies, even by SIGKILL, so a trainer
    never trains on for a worker that is gone. Elsewhere, or without libc, nothing happens."""
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        pass
