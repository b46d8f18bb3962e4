"""The trainer's failures that have their own exit code and `error` event (protocol: Exit codes).

Anything else is a crash: a traceback on stderr and a non-zero exit, which the worker retries.
"""
from __future__ import annotations


class TrialError(Exception):
    """A failure the worker acts on by kind; the message is shown to the user as is. Each
    subclass sets its `kind` (of the `error` event) and `exit_code`."""

    kind: str
    exit_code: int


class ConfigError(TrialError):
    """The config (or command line) asks for something the trainer can't do; retrying won't help."""

    kind = "bad_config"
    exit_code = 2

    def __init__(self, problem: str, field: str | None = None) -> None:
        super().__init__(f"field '{field}': {problem}" if field else problem)
        self.field = field


class DataError(TrialError):
    """Fashion-MNIST could not be found, downloaded or failed its checksum."""

    kind = "data"
    exit_code = 3


class NanLossError(TrialError):
    """The loss became NaN or infinite: this config diverges, retrying won't help."""

    kind = "nan_loss"
    exit_code = 4


class OutOfMemoryError(TrialError):
    """The device ran out of memory: may pass on a bigger device or with fewer neighbours."""

    kind = "oom"
    exit_code = 5


def as_out_of_memory(exc: BaseException) -> OutOfMemoryError | None:
    """An OutOfMemoryError for `exc` if it is one, else None.

    torch reports CUDA OOM as torch.cuda.OutOfMemoryError (a RuntimeError) on recent versions, and
    as a bare RuntimeError on older ones and on CPU, so the message is what we can rely on.
    """
    if isinstance(exc, MemoryError):
        return OutOfMemoryError(f"out of memory: {exc}")
    text = str(exc)
    if isinstance(exc, RuntimeError) and (
        "out of memory" in text or "can't allocate memory" in text
    ):
        return OutOfMemoryError(text.splitlines()[0] if text else "out of memory")
    return None
