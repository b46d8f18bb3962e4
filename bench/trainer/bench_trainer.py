#!/usr/bin/env python3
"""Images/s of the trainer's loop (callbacks, stats hooks, events) against a plain PyTorch loop.

Both loops train the same model with the same optimizer, schedule, batch size, data and
augmentation, built by the trainer's own modules; they differ only in the trainer's machinery.
Repetitions alternate between the two (and which goes first), so drift in a shared machine's
speed hits both alike; the medians and their ratio are printed.

    /usr/bin/python3 bench/trainer/bench_trainer.py [--reps 5] [--steps 50] [--case small]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "trainer"))

from sweep_trainer import data  # noqa: E402
from sweep_trainer.config import TrialConfig, parse_config  # noqa: E402
from sweep_trainer.learner import Learner, to_unit  # noqa: E402
from sweep_trainer.protocol import JsonLines  # noqa: E402
from sweep_trainer.schedule import one_cycle  # noqa: E402
from sweep_trainer.stop import StopRequest  # noqa: E402
from sweep_trainer.train import build_learner, setup_device, standard_callbacks  # noqa: E402

CASES: Dict[str, Dict[str, Any]] = {
    "default": {"widths": [16, 32, 64, 128, 256, 512], "batch_size": 1024},
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
        loss = F.cross_entropy(model(learn.augment(to_unit(train.x[idx]), learn.gen)), train.y[idx])
        loss.backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
    loss.item()  # wait for the device
    return n * bs / (time.perf_counter() - start)


def bench_case(cfg: TrialConfig, full: data.Split, steps: int, reps: int, device: torch.device) -> None:
    # Exactly `steps` batches per epoch, the training images repeated if the run needs more.
    train = data.Split(*(t[torch.arange(steps * cfg.batch_size) % len(full)] for t in (full.x, full.y)))
    valid = data.Split(full.x[:2], full.y[:2])  # validation isn't timed; keep it negligible
    speed = EpochSpeed()
    ours_learn = build_learner(cfg, train, valid, device, standard_callbacks(cfg, speed, StopRequest()))
    plain_learn = build_learner(cfg, train, valid, device, [])
    runs: Dict[str, Callable[[], float]] = {
        "ours": lambda: ours(ours_learn, speed),
        "plain": lambda: plain(plain_learn, cfg.max_lr),
    }
    results: Dict[str, List[float]] = {name: [] for name in runs}
    for name, run in runs.items():  # warm-up: allocator, oneDNN/cuDNN kernel choice
        run()
    for rep in range(reps):
        for name in (["ours", "plain"] if rep % 2 == 0 else ["plain", "ours"]):
            results[name].append(runs[name]())
    med = {name: statistics.median(values) for name, values in results.items()}
    print(f"widths={list(cfg.widths)} batch={cfg.batch_size} steps/rep={steps} reps={reps} stats_every={cfg.stats_every}")
    for name, values in results.items():
        print(f"  {name:5s} median {med[name]:9.1f} images/s   reps: {' '.join(f'{v:.1f}' for v in values)}")
    print(f"  ratio ours/plain {med['ours'] / med['plain']:.3f}", flush=True)


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
