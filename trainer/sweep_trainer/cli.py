"""The command line: run one trial, turn its outcome into the last event and the exit code."""
from __future__ import annotations

import argparse
import logging
import math
import sys
from typing import List, NoReturn, Optional

from .config import load_config
from .errors import ConfigError, TrialError, as_out_of_memory
from .protocol import JsonLines
from .stop import StopRequest, StopTraining

EXIT_STOPPED = 143  # 128 + SIGTERM, what a shell reports for a process SIGTERM ended

log = logging.getLogger("sweep_trainer")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # Usage errors are bad config too: exit 2 with an `error` event, like any other.
        raise ConfigError(f"command line: {message}")


def _positive(text: str) -> float:
    value = float(text)
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a number > 0, got {text}")
    return value


def _steps(text: str) -> int:
    value = int(text)
    if not 10 <= value <= 10_000:
        raise argparse.ArgumentTypeError(f"must be an integer in 10..10000, got {text}")
    return value


def main(argv: Optional[List[str]] = None) -> int:
    stop = StopRequest().install()
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    emit = JsonLines(sys.stdout)
    # stdout carries only events; anything else printed (by us or a library) goes to stderr.
    sys.stdout = sys.stderr
    parser = _Parser(prog="run_trial.py", description="Train one sweep trial (docs/trainer-protocol.md).")
    parser.add_argument("--config", required=True, metavar="FILE", help="trial config JSON file, or - for stdin")
    parser.add_argument("--lr-find", action="store_true", help="run the learning-rate range test instead of the trial")
    parser.add_argument("--lr-start", type=_positive, default=1e-6, metavar="LR", help="range test: first lr (default 1e-6)")
    parser.add_argument("--lr-end", type=_positive, default=10.0, metavar="LR", help="range test: last lr (default 10)")
    parser.add_argument("--lr-steps", type=_steps, default=100, metavar="N", help="range test: steps, 10..10000 (default 100)")
    try:
        args = parser.parse_args(argv)
        if args.lr_find and args.lr_end <= args.lr_start:
            raise ConfigError(f"command line: --lr-end ({args.lr_end:g}) must be above --lr-start ({args.lr_start:g})")
        config = load_config(args.config)
        # torch takes seconds to import: only now, so a bad config fails at once, and after the
        # SIGTERM handler, so a stop during start-up is honoured.
        if args.lr_find:
            from .lr_find import run_lr_find

            run_lr_find(config, emit, stop, args.lr_start, args.lr_end, args.lr_steps)
        else:
            from .train import run_trial

            run_trial(config, emit, stop)
        return 0
    except StopTraining as s:
        log.info("%s", s)
        emit("stopped", reason=s.reason, epoch=s.epoch, step=s.step)
        return EXIT_STOPPED
    except TrialError as e:
        log.error("%s: %s", e.kind, e)
        emit("error", kind=e.kind, message=str(e))
        return e.exit_code
    except (RuntimeError, MemoryError) as e:
        oom = as_out_of_memory(e)
        if oom is None:
            raise
        log.error("%s", e)
        emit("error", kind=oom.kind, message=str(oom))
        return oom.exit_code
