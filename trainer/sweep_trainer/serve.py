"""A warm trainer: one process runs trial after trial, so Python's start, torch's import, reading and
checking the data and CUDA's start-up are paid once per worker slot, not once per trial
(docs/trainer-protocol.md, "Warm trainer").

stdin carries one command per line: {"run": ID, "config": {...}} queues a trial, {"stop": ID}
stops that trial (now, or as soon as it starts). Each trial writes the events a one-trial process
writes, then {"event": "done", "run": ID, "exit_code": N, "reusable": B}: N is the exit code the
one-trial process would have had; when B is false the process exits with N instead of taking the
next trial, so a trial after an out-of-memory error, unreadable data or a SIGTERM starts in a fresh
process. End of stdin, or SIGTERM while idle, ends the process.
"""
from __future__ import annotations

import gc
import logging
import queue
import sys
import threading
from dataclasses import dataclass
from typing import Any, Callable, Optional, Set, TextIO

from .config import parse_json
from .errors import ConfigError, NanLossError
from .protocol import Emit
from .stop import EXIT_STOPPED, StopRequest

log = logging.getLogger(__name__)

# Outcomes that leave the process as a fresh one would be: the next trial may run in it.
REUSABLE_EXITS = frozenset({0, EXIT_STOPPED, ConfigError.exit_code, NanLossError.exit_code})

# How often an idle trainer looks for a SIGTERM while it waits for a command.
IDLE_POLL_S = 0.25


@dataclass(frozen=True)
class Run:
    id: str
    config: Any


def parse_command(line: str) -> "Run | str":
    """A `run` command, or the id of a `stop` command; ConfigError for anything else."""
    command = parse_json(line, "the command")
    if isinstance(command, dict) and set(command) == {"run", "config"} and isinstance(command["run"], str) and command["run"]:
        return Run(command["run"], command["config"])
    if isinstance(command, dict) and set(command) == {"stop"} and isinstance(command["stop"], str) and command["stop"]:
        return str(command["stop"])
    raise ConfigError('a command is {"run": ID, "config": {...}} or {"stop": ID}, with ID a non-empty string')


class Commands:
    """Reads stdin on a thread of its own, so a stop for the trial in training is seen between its
    steps; the trial's StopRequest is what the training loop checks."""

    def __init__(self, stream: TextIO, stop: StopRequest) -> None:
        self._stop = stop
        self._runs: "queue.Queue[Optional[Run]]" = queue.Queue()
        self._lock = threading.Lock()
        self._current: Optional[str] = None
        self._stopped: Set[str] = set()
        self.problem: Optional[str] = None
        self.ended = False
        threading.Thread(target=self._read, args=(stream,), name="commands", daemon=True).start()

    def _read(self, stream: TextIO) -> None:
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                command = parse_command(line)
            except ConfigError as e:
                self._end(f"stdin line {number}: {e}")
                return
            if isinstance(command, Run):
                self._runs.put(command)
            else:
                self._stop_run(command)
        self._end(None)

    def _stop_run(self, run: str) -> None:
        with self._lock:
            self._stopped.add(run)
            if run == self._current:
                self._stop.requested = True

    def _end(self, problem: Optional[str]) -> None:
        # The worker closed our stdin (or wrote nonsense): nobody will act on a trial's events, so
        # the one in training stops too, and no other starts.
        with self._lock:
            self.problem, self.ended = problem, True
            self._stop.requested = True
            self._stop.terminated = True
        self._runs.put(None)

    def next(self) -> Optional[Run]:
        """The next trial to run, or None once stdin has ended or SIGTERM came."""
        while not self._stop.terminated:
            try:
                run = self._runs.get(timeout=IDLE_POLL_S)
            except queue.Empty:
                continue
            if run is None:
                return None
            with self._lock:
                self._current = run.id
                # A stop that came before the trial did still counts; SIGTERM stops every trial.
                self._stop.requested = self._stop.terminated or run.id in self._stopped
            return run
        return None


def release_memory() -> None:
    """Give back what the last trial held: its tensors to Python, its cached CUDA blocks to the
    driver, so slots sharing a GPU see the memory free."""
    gc.collect()
    torch = sys.modules.get("torch")
    if torch is not None and torch.cuda.is_available() and torch.cuda.is_initialized():
        torch.cuda.empty_cache()


def serve(stream: TextIO, emit: Emit, stop: StopRequest, run_one: Callable[[Any, bool], int]) -> int:
    """Runs trials from `stream` until it ends; `run_one(raw_config, warm)` runs one and returns its
    exit code. Returns the process's exit code."""
    commands = Commands(stream, stop)
    trials = 0
    while True:
        run = commands.next()
        if run is None:
            break
        code = run_one(run.config, trials > 0)
        trials += 1
        reusable = code in REUSABLE_EXITS and not stop.terminated
        emit("done", run=run.id, exit_code=code, reusable=reusable)
        if not reusable:
            return code
        release_memory()
    if commands.problem is not None:
        log.error("bad_config: %s", commands.problem)
        emit("error", kind=ConfigError.kind, message=commands.problem)
        return ConfigError.exit_code
    # The end of stdin is the worker's goodbye; otherwise a SIGTERM ended us.
    return 0 if commands.ended else EXIT_STOPPED
