"""The command line: run one trial (or serve many), turn each outcome into its last event and an
exit code."""
from __future__ import annotations

import argparse
import logging
import math
import sys
from typing import Callable, List, NoReturn, Optional

from .config import TrialConfig, load_config, parse_config
from .errors import ConfigError, TrialError, as_out_of_memory
from .protocol import Emit, JsonLines
from .stop import EXIT_STOPPED, StopRequest, StopTraining

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


def _parse_args(argv: Optional[List[str]]) -> argparse.Namespace:
    parser = _Parser(prog="run_trial.py", description="Train one sweep trial, or serve many (docs/trainer-protocol.md).")
    parser.add_argument("--config", metavar="FILE", help="trial config JSON file, or - for stdin")
    parser.add_argument("--serve", action="store_true", help="a warm trainer: run trial after trial from commands on stdin")
    parser.add_argument("--lr-find", action="store_true", help="run the learning-rate range test instead of the trial")
    parser.add_argument("--lr-start", type=_positive, default=1e-6, metavar="LR", help="range test: first lr (default 1e-6)")
    parser.add_argument("--lr-end", type=_positive, default=10.0, metavar="LR", help="range test: last lr (default 10)")
    parser.add_argument("--lr-steps", type=_steps, default=100, metavar="N", help="range test: steps, 10..10000 (default 100)")
    args = parser.parse_args(argv)
    if args.serve == (args.config is not None):
        raise ConfigError("command line: give either --config FILE (one trial) or --serve (trials from stdin)")
    if args.serve and args.lr_find:
        raise ConfigError("command line: --lr-find runs alone, with --config, not under --serve")
    if args.lr_find and args.lr_end <= args.lr_start:
        raise ConfigError(f"command line: --lr-end ({args.lr_end:g}) must be above --lr-start ({args.lr_start:g})")
    return args


def _failed(emit: Emit, error: TrialError) -> int:
    log.error("%s: %s", error.kind, error)
    emit("error", kind=error.kind, message=str(error))
    return error.exit_code


def run_guarded(emit: Emit, action: Callable[[], None]) -> int:
    """Runs `action` (a trial or a range test) and returns its exit code, having emitted its last
    event for any outcome but a crash (docs/trainer-protocol.md, "Exit codes")."""
    try:
        action()
        return 0
    except StopTraining as s:
        log.info("%s", s)
        emit("stopped", reason=s.reason, epoch=s.epoch, step=s.step)
        return EXIT_STOPPED
    except TrialError as e:
        return _failed(emit, e)
    except (RuntimeError, MemoryError) as e:
        oom = as_out_of_memory(e)
        if oom is None:
            raise
        return _failed(emit, oom)


def _trial(config: TrialConfig, emit: Emit, stop: StopRequest, warm: bool = False) -> None:
    # torch takes seconds to import: only now, so a bad config fails at once, and after the
    # SIGTERM handler, so a stop during start-up is honoured.
    from .train import run_trial

    run_trial(config, emit, stop, warm)


def _once(args: argparse.Namespace, emit: Emit, stop: StopRequest) -> None:
    config = load_config(args.config)
    if args.lr_find:
        from .lr_find import run_lr_find

        run_lr_find(config, emit, stop, args.lr_start, args.lr_end, args.lr_steps)
    else:
        _trial(config, emit, stop)


def main(argv: Optional[List[str]] = None) -> int:
    stop = StopRequest().install()
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    emit = JsonLines(sys.stdout)
    # stdout carries only events; anything else printed (by us or a library) goes to stderr.
    sys.stdout = sys.stderr
    try:
        args = _parse_args(argv)
    except ConfigError as e:
        return _failed(emit, e)
    if args.serve:
        from .serve import serve

        return serve(sys.stdin, emit, stop, lambda raw, warm: run_guarded(emit, lambda: _trial(parse_config(raw), emit, stop, warm)))
    return run_guarded(emit, lambda: _once(args, emit, stop))
