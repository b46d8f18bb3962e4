#!/usr/bin/env python3
"""The GPU benchmark of issue 8, one command: how fast and how good the default recipe is on one GPU.

    python3 bench/gpu/bench_gpu.py --data-dir DIR [--out DIR] [--seeds 3] [--concurrent 8] [--quick]

1. One sweep trial of the default recipe (50,000 training images, 5 epochs, a validation pass per
   epoch), timed from process start to exit and over its training alone.
   "images/s" is training images over the time from `ready` to `result` (validation included).
2. The default recipe promoted: `--seeds` runs on all 60,000 training images, each scored on the
   10,000 test images plain and with flip TTA; mean and sample std.
3. `--concurrent` trials at once on the same GPU (one trainer process each, as a worker with that
   many slots runs them) against the single trial of step 1: aggregate training throughput.

Every run is the real trainer (trainer/run_trial.py) as a child process, so the figures are what a
sweep gets, start-up included where stated. Results go to stdout as a table and to <out>/gpu-bench.json.
`--quick` shrinks everything (narrow model, 512 images, 1 epoch, 2 at once) to check the script on
a CPU. Targets (issue 8): a 5-epoch trial in 10 s or less; N concurrent at least 3x one's throughput.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

ROOT = Path(__file__).resolve().parents[2]
TRAINER = ROOT / "trainer" / "run_trial.py"

DEFAULT_RECIPE: Dict[str, Any] = {"log_every": 1000, "stats_every": 50}  # the trainer's defaults otherwise
QUICK: Dict[str, Any] = {"widths": [8, 16], "batch_size": 128, "epochs": 1, "train_subset": 512, "log_every": 1000, "stats_every": 50}


@dataclass
class Run:
    """One trainer process: its events and when they arrived (monotonic seconds)."""

    config: Dict[str, Any]
    started: float = 0.0
    ended: float = 0.0
    events: List[Dict[str, Any]] = field(default_factory=list)
    times: List[float] = field(default_factory=list)
    code: Optional[int] = None
    stderr: str = ""

    def first(self, name: str) -> Dict[str, Any]:
        return next(e for e in self.events if e["event"] == name)

    def time_of(self, name: str) -> float:
        return next(t for e, t in zip(self.events, self.times) if e["event"] == name)

    @property
    def result(self) -> Dict[str, Any]:
        if self.code != 0 or not self.events or self.events[-1]["event"] != "result":
            tail = self.stderr.strip().splitlines()[-5:]
            raise SystemExit(f"a trainer run failed (exit {self.code}): {' | '.join(tail)}")
        return self.events[-1]

    @property
    def train_images(self) -> int:
        return self.first("ready")["train_size"] * (self.result["epochs"] - self.first("ready")["start_epoch"])


def start(run: Run) -> threading.Thread:
    def work() -> None:
        run.started = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, str(TRAINER), "--config", "-"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        assert proc.stdin and proc.stdout and proc.stderr
        proc.stdin.write(json.dumps(run.config))
        proc.stdin.close()
        errors: List[str] = []
        drain = threading.Thread(target=lambda: errors.append(proc.stderr.read()))  # type: ignore[union-attr]
        drain.start()
        for line in proc.stdout:
            run.events.append(json.loads(line))
            run.times.append(time.monotonic())
        run.code = proc.wait()
        drain.join()
        run.stderr = "".join(errors)
        run.ended = time.monotonic()

    thread = threading.Thread(target=work)
    thread.start()
    return thread


def run_all(configs: List[Dict[str, Any]]) -> List[Run]:
    runs = [Run(c) for c in configs]
    for t in [start(r) for r in runs]:
        t.join()
    for r in runs:
        r.result  # noqa: B018  raises with the reason if a run failed
    return runs


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", help="folder of the four Fashion-MNIST IDX files (default: the trainer's lookup)")
    parser.add_argument("--out", default=".", help="folder for gpu-bench.json")
    parser.add_argument("--seeds", type=int, default=3, help="promotion runs of the default recipe")
    parser.add_argument("--concurrent", type=int, default=8, help="trials at once on the GPU")
    parser.add_argument("--device", default="auto", help="the trainer's device field (auto picks CUDA)")
    parser.add_argument("--quick", action="store_true", help="tiny runs, to check the script on a CPU")
    parser.add_argument("--compile", action="store_true", help="also time one trial with torch.compile (torch 2)")
    args = parser.parse_args(argv)

    base = {**(QUICK if args.quick else DEFAULT_RECIPE), "device": args.device}
    if args.data_dir:
        base["data_dir"] = args.data_dir
    report: Dict[str, Any] = {"quick": args.quick, "config": base}

    # 1. One sweep trial, alone on the GPU.
    [single] = run_all([{**base, "seed": 0}])
    ready = single.first("ready")
    report["environment"] = {
        "torch": ready["torch"], "device": ready["device"], "hardware": ready.get("hardware"),
        "trainer": ready.get("trainer"), "precision": ready.get("precision"),
    }
    single_train_s = single.time_of("result") - single.time_of("ready")
    report["single_trial"] = {
        "wall_s": single.ended - single.started,
        "train_s": single_train_s,
        "startup_s": single.time_of("ready") - single.started,
        "val_acc": single.result["val_acc"],
        "images_per_s": single.train_images / single_train_s,
    }

    if args.compile:
        [fast] = run_all([{**base, "seed": 0, "compile": True}])
        fast_train_s = fast.time_of("result") - fast.time_of("ready")
        report["single_trial_compiled"] = {
            "wall_s": fast.ended - fast.started,
            "train_s": fast_train_s,
            "val_acc": fast.result["val_acc"],
            "images_per_s": fast.train_images / fast_train_s,
        }

    # 2. The default recipe promoted over seeds: all training images, the test set at the end.
    promoted = run_all([{**base, "seed": s, "evaluate": "test"} for s in range(args.seeds)])
    test = [r.result["test_acc"] for r in promoted]
    tta = [r.result["tta_acc"] for r in promoted]
    report["promotion"] = {
        "seeds": list(range(args.seeds)),
        "test_acc": test,
        "tta_acc": tta,
        "test_acc_mean": statistics.mean(test),
        "test_acc_std": statistics.stdev(test) if len(test) > 1 else None,
        "tta_acc_mean": statistics.mean(tta),
        "tta_acc_std": statistics.stdev(tta) if len(tta) > 1 else None,
        "wall_s_each": [r.ended - r.started for r in promoted],
        "train_s_each": [r.result["seconds"] for r in promoted],
    }

    # 3. N trials at once against the single one: aggregate training throughput.
    # Each process gets its share of the cores, as a worker's slots do.
    share = max(1, (os.cpu_count() or 1) // args.concurrent)
    many = run_all([{**base, "seed": 100 + i, "threads": share} for i in range(args.concurrent)])
    first_ready = min(r.time_of("ready") for r in many)
    last_result = max(r.time_of("result") for r in many)
    aggregate = sum(r.train_images for r in many) / (last_result - first_ready)
    report["concurrent"] = {
        "trials": args.concurrent,
        "wall_s": max(r.ended for r in many) - min(r.started for r in many),
        "aggregate_images_per_s": aggregate,
        "single_images_per_s": report["single_trial"]["images_per_s"],
        "speedup": aggregate / report["single_trial"]["images_per_s"],
        "per_trial_train_s": [r.time_of("result") - r.time_of("ready") for r in many],
    }

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "gpu-bench.json").write_text(json.dumps(report, indent=2) + "\n")
    s, p, c = report["single_trial"], report["promotion"], report["concurrent"]
    std = lambda v: "" if v is None else f" ± {100 * v:.2f}"  # noqa: E731
    env = report["environment"]
    print(f"{env['hardware']} (torch {env['torch']}, trainer {env['trainer']}, {env['precision']}){' QUICK' if args.quick else ''}")
    print(f"one trial:   {s['train_s']:.1f} s from ready to result (+ {s['startup_s']:.1f} s start-up), {s['images_per_s']:.0f} training images/s, val_acc {s['val_acc']:.4f}   target <= 10 s")
    if "single_trial_compiled" in report:
        f = report["single_trial_compiled"]
        print(f"compiled:    {f['train_s']:.1f} s training (compilation included), {f['images_per_s']:.0f} images/s, val_acc {f['val_acc']:.4f}")
    print(f"promotion:   test {100 * p['test_acc_mean']:.2f}{std(p['test_acc_std'])}%, flip-TTA {100 * p['tta_acc_mean']:.2f}{std(p['tta_acc_std'])}% over seeds {p['seeds']}   target >= 93.0%")
    print(f"concurrent:  {c['trials']} at once {c['aggregate_images_per_s']:.0f} images/s = {c['speedup']:.2f}x one trial   target >= 3x")
    print(f"written: {out / 'gpu-bench.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
