"""The loop with its callbacks on a tiny slice of the real data (no 10,000-image validation)."""
from typing import List

import pytest
import torch

from conftest import TINY
from sweep_trainer import data
from sweep_trainer.augment import Augmentation
from sweep_trainer.callbacks import OneCycle, Progress, StopOnRequest
from sweep_trainer.errors import NanLossError
from sweep_trainer.learner import Callback, Learner, steps_per_epoch
from sweep_trainer.model import build_model, res_blocks
from sweep_trainer.stats import ActivationStats
from sweep_trainer.stop import StopRequest, StopTraining


@pytest.fixture(scope="module")
def splits():
    train, valid = data.split(data.load(data.locate(None)), split_seed=42, train_subset=512)
    return train, data.Split(valid.x[:256], valid.y[:256])


class Recorder:
    def __init__(self) -> None:
        self.events: List[dict] = []

    def __call__(self, event: str, **fields) -> None:
        self.events.append({"event": event, **fields})

    def of(self, kind: str) -> List[dict]:
        return [e for e in self.events if e["event"] == kind]


def make_learner(splits, callbacks, batch_size=128) -> Learner:
    torch.manual_seed(0)
    model = build_model(TINY["widths"], 0.0, 0.29, 0.35)
    opt = torch.optim.AdamW(model.parameters(), lr=0.01)
    augment = Augmentation(0.5, 1, 0.0, 0.2, 1, 0.0, 0.25)
    return Learner(model, opt, splits[0], splits[1], batch_size, augment, 0, callbacks)


def test_steps_per_epoch_skips_only_a_last_batch_of_one():
    assert steps_per_epoch(512, 128) == 4
    assert steps_per_epoch(513, 128) == 4
    assert steps_per_epoch(514, 128) == 5
    assert steps_per_epoch(100, 1024) == 1


def test_emits_step_stats_and_epoch_events_at_their_steps(splits):
    emit = Recorder()
    learn = make_learner(splits, [OneCycle(0.01), Progress(emit, 2), ActivationStats(emit, 3)])
    learn.fit(2)
    assert [e["step"] for e in emit.of("step")] == [0, 2, 4, 6]
    assert [e["step"] for e in emit.of("stats")] == [0, 3, 6]
    first = emit.of("stats")[0]["layers"]
    assert [layer["name"] for layer in first] == ["block0", "block1"]
    assert sum(first[0]["hist"]) == 128 * 8 * 28 * 28  # that step's batch through block0
    assert sum(first[1]["hist"]) == 128 * 16 * 14 * 14
    assert [e["epoch"] for e in emit.of("epoch")] == [0, 1]
    assert 0.0 <= emit.of("epoch")[-1]["val_acc"] <= 1.0


class StopAt(Callback):
    def __init__(self, request: StopRequest, step: int) -> None:
        self.request, self.step = request, step

    def after_batch(self, learn: Learner) -> None:
        if learn.training and learn.step == self.step:
            self.request.requested = True


def test_a_stop_request_ends_the_fit_after_the_current_step_and_removes_the_hooks(splits):
    request, emit = StopRequest(), Recorder()
    learn = make_learner(splits, [StopOnRequest(request), StopAt(request, 2), ActivationStats(emit, 1)])
    with pytest.raises(StopTraining) as stopped:
        learn.fit(2)
    assert (stopped.value.epoch, stopped.value.step) == (0, 3)  # steps 0, 1 and 2 done
    assert len(emit.of("stats")) == 3
    assert all(not block._forward_hooks for block in res_blocks(learn.model))


class PoisonWeights(Callback):
    def before_fit(self, learn: Learner) -> None:
        with torch.no_grad():
            next(learn.model.parameters()).fill_(float("nan"))


def test_a_nan_loss_raises_nan_loss_error(splits):
    learn = make_learner(splits, [PoisonWeights(), Progress(Recorder(), 1)])
    with pytest.raises(NanLossError, match="step 0"):
        learn.fit(1)
    assert NanLossError.exit_code == 4 and NanLossError.kind == "nan_loss"
