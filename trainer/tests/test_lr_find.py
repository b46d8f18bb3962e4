"""The learning-rate range test: an exponential lr per step, and an end when the loss diverges."""
import math

import pytest
import torch

from conftest import TINY, events, run_trainer
from sweep_trainer.learner import CancelFit
from sweep_trainer.lr_find import LRFinder, smoothing_beta


class FakeLearner:
    def __init__(self, loss: float) -> None:
        self.training = True
        self.opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
        self.loss = torch.tensor(loss)


def drive(finder: LRFinder, losses):
    learn = FakeLearner(0.0)
    finder.before_fit(learn)
    for loss in losses:
        finder.before_batch(learn)
        learn.loss = torch.tensor(loss)
        finder.after_batch(learn)


def test_the_lr_rises_exponentially_from_start_to_end_in_the_given_steps():
    finder = LRFinder(1e-6, 1.0, steps=13)
    with pytest.raises(CancelFit):
        drive(finder, [1.0] * 20)
    assert len(finder.lrs) == 13
    assert finder.lrs[0] == pytest.approx(1e-6) and finder.lrs[-1] == pytest.approx(1.0)
    ratios = {round(b / a, 9) for a, b in zip(finder.lrs, finder.lrs[1:])}
    assert ratios == {round(10 ** 0.5, 9)}


def test_it_stops_once_the_smoothed_loss_is_four_times_its_best():
    finder = LRFinder(1e-5, 10.0, steps=100)
    losses = [2.0] * 30 + [2.0 * 1.5 ** k for k in range(1, 30)]
    with pytest.raises(CancelFit):
        drive(finder, losses)
    assert 30 < len(finder.losses) < len(losses)


def test_it_stops_at_a_non_finite_loss_and_keeps_it():
    finder = LRFinder(1e-5, 10.0, steps=100)
    with pytest.raises(CancelFit):
        drive(finder, [1.0, 0.9, math.nan, 0.5])
    assert len(finder.losses) == 3 and math.isnan(finder.losses[-1])


def test_smoothing_spans_a_tenth_of_the_test_and_at_least_five_steps():
    assert smoothing_beta(100) == pytest.approx(1 - 2 / 11)
    assert smoothing_beta(20) == pytest.approx(1 - 2 / 6)


def test_the_trainer_runs_the_range_test_and_emits_every_step():
    done = run_trainer({**TINY, "epochs": 1}, ["--lr-find", "--lr-steps", "12", "--lr-start", "1e-4", "--lr-end", "1"])
    assert done.returncode == 0, done.stderr
    got = events(done.stdout)
    assert got[0]["event"] == "ready" and got[-1]["event"] == "lr_find"
    assert len(got[-1]["lrs"]) == len(got[-1]["losses"]) <= 12
    assert got[-1]["lrs"][0] == pytest.approx(1e-4)


def test_bad_range_test_arguments_are_bad_config():
    done = run_trainer(TINY, ["--lr-find", "--lr-start", "1", "--lr-end", "0.1"])
    assert done.returncode == 2
    assert "--lr-end (0.1) must be above --lr-start (1)" in events(done.stdout)[-1]["message"]
    done = run_trainer(TINY, ["--lr-find", "--lr-steps", "5"])
    assert done.returncode == 2 and "10..10000" in events(done.stdout)[-1]["message"]
