#!/usr/bin/env python3
"""Per-trial start overhead, cold against warm: the time from handing a trainer a trial to its
`ready` event (training starts right after), for a fresh process per trial (cold: Python's start,
torch's import, reading and checking Fashion-MNIST, CUDA's start-up on a GPU, the model) and for a
warm trainer (`run_trial.py --serve`, the worker's slots: only the split and the model).

    /usr/bin/python3 bench/trainer/bench_start.py [--reps 7] [--device cpu|cuda] [--threads 2]

Cold and warm repetitions alternate, so the machine's noise falls on both alike; it prints the
medians with quartiles, and their ratio. Each trial is stopped at `ready`, before its first step.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

RUN_TRIAL = Path(__file__).resolve().parents[2] / "trainer" / "run_trial.py"


def lines(proc: subprocess.Popen) -> Iterator[Dict[str, Any]]:
    assert proc.stdout is not None
    for line in proc.stdout:
        yield json.loads(line)
    raise RuntimeError(f"the trainer ended early (exit {proc.wait()})")


def until(events: Iterator[Dict[str, Any]], kind: str) -> Dict[str, Any]:
    for event in events:
        if event["event"] == "error":
            raise RuntimeError(f"the trainer failed: {event['message']}")
        if event["event"] == kind:
            return event
    raise AssertionError("unreachable")


def cold(config: Dict[str, Any]) -> float:
    """Seconds from spawning a one-trial trainer to its `ready`."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, str(RUN_TRIAL), "--config", "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert proc.stdin is not None
    proc.stdin.write(json.dumps(config))
    proc.stdin.close()
    until(lines(proc), "ready")
    seconds = time.perf_counter() - start
    proc.terminate()
    proc.wait()
    return seconds


class Warm:
    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(RUN_TRIAL), "--serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        self.events = lines(self.proc)
        self.runs = 0

    def send(self, command: Dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(command) + "\n")
        self.proc.stdin.flush()

    def trial(self, config: Dict[str, Any]) -> Tuple[float, bool]:
        """Seconds from handing the trial over to its `ready`, and whether it ran warm."""
        self.runs += 1
        run = str(self.runs)
        start = time.perf_counter()
        self.send({"run": run, "config": config})
        ready = until(self.events, "ready")
        seconds = time.perf_counter() - start
        self.send({"stop": run})
        until(self.events, "done")
        return seconds, bool(ready.get("warm"))

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait()


def summary(name: str, values: List[float]) -> str:
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive") if len(values) > 1 else (values[0],) * 3
    return f"{name:<6} median {median:7.3f} s   quartiles [{q1:.3f}, {q3:.3f}]   n={len(values)}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=7, help="cold and warm trials each (default 7)")
    parser.add_argument("--device", default="cpu", help="the trials' device (default cpu)")
    parser.add_argument("--threads", type=int, default=2, help="torch CPU threads (default 2)")
    args = parser.parse_args()
    # The default recipe (full data, the course's ResNet): what a sweep's trials load and build.
    config = {"device": args.device, "threads": args.threads, "seed": 0}

    warm = Warm()
    first, was_warm = warm.trial(config)  # the serve process's own cold start, not counted as warm
    assert not was_warm
    colds: List[float] = []
    warms: List[float] = []
    try:
        for _ in range(args.reps):
            colds.append(cold(config))
            seconds, was_warm = warm.trial(config)
            assert was_warm, "the serve process ran the trial cold"
            warms.append(seconds)
    finally:
        warm.close()
    print(f"per-trial start overhead, {args.device}, {args.threads} threads, default recipe (spawn or command -> ready)")
    print(summary("cold", colds))
    print(summary("warm", warms))
    print(f"first trial of the warm trainer (its own cold start): {first:.3f} s")
    print(f"cold / warm: {statistics.median(colds) / statistics.median(warms):.1f}x; saved per trial: {statistics.median(colds) - statistics.median(warms):.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
