#!/usr/bin/env python3
"""Images/s of the trainer's loop (callbacks, stats hooks, events) against a plain PyTorch loop.

Both loops train the same model with the same optimizer, schedule, batch size, data, augmentation,
precision and memory format, built by the trainer's own modules; they differ only in the trainer's
machinery. The trainer runs twice, with activation stats on (every --stats-every steps) and off.
Repetitions rotate the order of the three, so drift in a shared machine's speed hits all alike;
the medians and their ratios to the plain loop are printed, with peak memory (per loop on CUDA;
the process's peak RSS on a CPU, where one loop's peak cannot be told from another's).

    /usr/bin/python3 bench/trainer/bench_trainer.py [--reps 5] [--steps 50] [--case small]
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "trainer"))

from sweep_trainer import data  # noqa: E402
from sweep_trainer.config import TrialConfig, parse_config, training_fields  # noqa: E402
from sweep_trainer.learner import Learner, to_unit  # noqa: E402
from sweep_trainer.protocol import JsonLines  # noqa: E402
from sweep_trainer.schedule import one_cycle  # noqa: E402
from sweep_trainer.stop import StopRequest  # noqa: E402
from sweep_trainer.train import build_learner, setup_device, standard_callbacks  # noqa: E402

CASES: Dict[str, Dict[str, Any]] = {
    # The trainer's defaults (widths and batch size of TrialConfig).
    "default": {"widths": list(TrialConfig.widths), "batch_size": TrialConfig.batch_size},
    "small": {"widths": [8, 16, 32, 64], "batch_size": 256},
}


class EpochSpeed:
    """An Emit that serialises every event (as the trainer does) and keeps the epoch's images/s."""

    def __init__(self) -> None:
        self.sink = JsonLines(open(os.devnull, "w"))
        self.images_per_s = 0.0

    def __call__(self, event: str, **fields: Any) -> None:
        self.sink(event, **fields)
        if event == "epoch":
            self.images_per_s = fields["images_per_s"]


def ours(learn: Learner, speed: EpochSpeed) -> float:
    """One epoch of the trainer's loop; its own `epoch` event times the training part."""
    learn.fit(1)
    return speed.images_per_s


def plain(learn: Learner, max_lr: float) -> float:
    """The same epoch as a bare loop: shuffle, augment, schedule, step; nothing else."""
    model, opt, train, bs, n = learn.model, learn.opt, learn.train_data, learn.batch_size, learn.steps_per_epoch
    model.train()
    start = time.perf_counter()
    order = torch.randperm(len(train), generator=learn.gen, device=learn.device)
    for step in range(n):
        idx = order[step * bs : (step + 1) * bs]
        lr, mom = one_cycle(step, n, max_lr)
        for group in opt.param_groups:
            group["lr"], group["betas"] = lr, (mom, group["betas"][1])
        with learn.autocast():
            loss = F.cross_entropy(learn.forward(learn.augment(to_unit(train.x[idx]), learn.gen)), train.y[idx])
        loss.backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
    loss.item()  # wait for the device
    return n * bs / (time.perf_counter() - start)


def bench_case(cfg: TrialConfig, full: data.Split, steps: int, reps: int, device: torch.device) -> None:
    # Exactly `steps` batches per epoch, the training images repeated if the run needs more.
    train = data.Split(*(t[torch.arange(steps * cfg.batch_size) % len(full)] for t in (full.x, full.y)))
    valid = data.Split(full.x[:2], full.y[:2])  # validation isn't timed; keep it negligible
    speed, quiet = EpochSpeed(), EpochSpeed()
    no_stats = parse_config({**training_fields(cfg), "stats_every": steps * 1000, "device": cfg.device, "threads": cfg.threads})
    learners = {
        "ours": build_learner(cfg, train, valid, device, standard_callbacks(cfg, speed, StopRequest())),
        "ours-nostats": build_learner(no_stats, train, valid, device, standard_callbacks(no_stats, quiet, StopRequest())),
        "plain": build_learner(cfg, train, valid, device, []),
    }
    runs: Dict[str, Callable[[], float]] = {
        "ours": lambda: ours(learners["ours"], speed),
        "ours-nostats": lambda: ours(learners["ours-nostats"], quiet),
        "plain": lambda: plain(learners["plain"], cfg.max_lr),
    }
    results: Dict[str, List[float]] = {name: [] for name in runs}
    peak: Dict[str, int] = {name: 0 for name in runs}
    for name, run in runs.items():  # warm-up: allocator, oneDNN/cuDNN kernel choice
        run()
    names = list(runs)
    for rep in range(reps):
        for name in names[rep % 3 :] + names[: rep % 3]:
            if device.type == "cuda":
                torch.cuda.reset_peak_memory_stats(device)
            results[name].append(runs[name]())
            if device.type == "cuda":
                peak[name] = max(peak[name], torch.cuda.max_memory_allocated(device))
    med = {name: statistics.median(values) for name, values in results.items()}
    precision = "fp32" if learners["ours"].autocast_dtype is None else "bf16"
    print(f"widths={list(cfg.widths)} batch={cfg.batch_size} steps/rep={steps} reps={reps} stats_every={cfg.stats_every} precision={precision}")
    for name, values in results.items():
        memory = f"   peak {peak[name] / 2**20:.0f} MiB" if device.type == "cuda" else ""
        print(f"  {name:12s} median {med[name]:9.1f} images/s{memory}   reps: {' '.join(f'{v:.1f}' for v in values)}")
    print(f"  ratio ours/plain {med['ours'] / med['plain']:.3f} (stats on), {med['ours-nostats'] / med['plain']:.3f} (stats off)")
    if device.type != "cuda":
        print(f"  peak RSS of the process so far {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB", flush=True)


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--case", choices=[*CASES, "all"], default="all")
    parser.add_argument("--reps", type=int, default=5, help="timed repetitions of each loop")
    parser.add_argument("--steps", type=int, default=50, help="optimizer steps per repetition")
    parser.add_argument("--stats-every", type=int, default=50, help="as the trainer's stats_every")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--threads", type=int, default=0, help="0: all cores")
    args = parser.parse_args(argv)

    full: Optional[data.Split] = None
    for name in CASES if args.case == "all" else [args.case]:
        cfg = parse_config(
            {**CASES[name], "stats_every": args.stats_every, "device": args.device, "threads": args.threads}
        )
        device, threads = setup_device(cfg)
        if full is None:
            full = data.split(data.load(data.locate(None)), cfg.split_seed, None)[0]
            print(f"torch {torch.__version__}, device {device}, threads {threads}")
        bench_case(cfg, full, args.steps, args.reps, device)


if __name__ == "__main__":
    main()
