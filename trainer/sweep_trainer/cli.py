"""The command line: run one trial, turn its outcome into the last event and the exit code."""
from __future__ import annotations

import argparse
import logging
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


def main(argv: Optional[List[str]] = None) -> int:
    stop = StopRequest().install()
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    emit = JsonLines(sys.stdout)
    # stdout carries only events; anything else printed (by us or a library) goes to stderr.
    sys.stdout = sys.stderr
    parser = _Parser(prog="run_trial.py", description="Train one sweep trial (docs/trainer-protocol.md).")
    parser.add_argument("--config", required=True, metavar="FILE", help="trial config JSON file, or - for stdin")
    try:
        config = load_config(parser.parse_args(argv).config)
        # torch takes seconds to import: only now, so a bad config fails at once, and after the
        # SIGTERM handler, so a stop during start-up is honoured.
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
