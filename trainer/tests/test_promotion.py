"""Promotion mode (`evaluate: "test"`): all training images, the test set read once at the end,
and the proof that a trial (the default `evaluate: "validation"`) never reads the test images."""
import pytest
import torch
from torch import nn

from conftest import TINY, copy_train_files, events, run_trainer
from sweep_trainer import data
from sweep_trainer.config import parse_config
from sweep_trainer.errors import DataError
from sweep_trainer import evaluate
from sweep_trainer.train import load_splits


@pytest.fixture(scope="module")
def train_only(tmp_path_factory):
    """A data folder with the two training files and no test files."""
    return copy_train_files(data.locate(None), tmp_path_factory.mktemp("train-only"))


def test_a_trial_runs_from_a_folder_without_the_test_files(train_only):
    # If any part of a trial read the test images, this trial could not run.
    done = run_trainer({**TINY, "data_dir": str(train_only), "epochs": 1})
    assert done.returncode == 0, done.stderr
    ready, result = events(done.stdout)[0], events(done.stdout)[-1]
    assert (ready["evaluate"], ready["test_size"], ready["val_size"]) == ("validation", 0, 10_000)
    assert result["test_acc"] is None and result["tta_acc"] is None and result["val_acc"] is not None


def test_promotion_needs_the_test_files_and_says_which_are_missing(train_only):
    done = run_trainer({**TINY, "data_dir": str(train_only), "epochs": 1, "evaluate": "test"})
    assert done.returncode == 3
    last = events(done.stdout)[-1]
    assert last["kind"] == "data" and "t10k-images-idx3-ubyte[.gz]" in last["message"]


def test_promotion_trains_on_all_60000_images_without_a_validation_split():
    train, valid, test = load_splits(parse_config({"evaluate": "test"}))
    assert (len(train), valid, len(test)) == (60_000, None, 10_000)
    # Every training image once: the validation images are in the training set now.
    assert torch.equal(torch.sort(train.y).values, torch.sort(data.load(data.locate(None)).y).values)
    assert torch.bincount(test.y).tolist() == [1000] * 10


def test_a_trial_holds_out_10000_images_and_reads_no_test_set():
    train, valid, test = load_splits(parse_config({}))
    assert (len(train), len(valid), test) == (50_000, 10_000, None)


def test_a_promotion_run_reports_test_and_tta_accuracy_and_no_validation():
    done = run_trainer({**TINY, "epochs": 1, "evaluate": "test", "train_subset": 1000})
    assert done.returncode == 0, done.stderr
    got = events(done.stdout)
    epoch, result = next(e for e in got if e["event"] == "epoch"), got[-1]
    assert epoch["val_acc"] is None and epoch["val_loss"] is None
    assert result["val_acc"] is None
    assert 0.1 < result["test_acc"] <= 1 and 0.1 < result["tta_acc"] <= 1 and result["test_loss"] > 0
    assert got[0]["train_size"] == 1000 and got[0]["test_size"] == 10_000


class MirrorBlind(nn.Module):
    """Scores each image by the sum of its pixels: a flip changes nothing."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        s = x.sum(dim=(1, 2, 3))
        return torch.stack([s * k for k in range(10)], dim=1)


class LeftHalf(nn.Module):
    """Scores by the left half only, so the flipped image scores by the right half."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        s = x[..., :14].sum(dim=(1, 2, 3))
        return torch.stack([s * (k - 4.5) for k in range(10)], dim=1)


def small_test_split(n=64):
    gen = torch.Generator().manual_seed(0)
    x = torch.randint(0, 256, (n, 1, 28, 28), generator=gen, dtype=torch.uint8)
    return data.Split(x, torch.randint(0, 10, (n,), generator=gen))


def test_flip_tta_equals_plain_accuracy_for_a_flip_invariant_model():
    split = small_test_split()
    scores = evaluate.test_accuracy(MirrorBlind(), split, batch_size=16)
    assert scores.tta_acc == scores.test_acc
    # The argmax of MirrorBlind is always class 9 (positive sums): accuracy is the share of 9s.
    assert scores.test_acc == pytest.approx((split.y == 9).float().mean().item())


def test_flip_tta_averages_the_two_views():
    split = small_test_split(256)
    model = LeftHalf()
    scores = evaluate.test_accuracy(model, split, batch_size=100)
    with torch.no_grad():
        x = split.x.float() / 255
        probs = model(x).softmax(1) + model(x.flip(-1)).softmax(1)
    assert scores.tta_acc == pytest.approx((probs.argmax(1) == split.y).float().mean().item())
    assert scores.test_acc == pytest.approx((model(x).argmax(1) == split.y).float().mean().item())


def test_locate_looks_for_the_test_files_separately(train_only, tmp_path):
    with pytest.raises(DataError, match="t10k-labels-idx1-ubyte"):
        data.locate(str(train_only), names=data.TEST_FILES)
    # Without data_dir, a folder that lacks them is passed over for one that has them.
    assert data.locate(None, search=[train_only, data.SYSTEM_DIR], names=data.TEST_FILES) == data.SYSTEM_DIR
    assert data.locate(None, search=[train_only, data.SYSTEM_DIR]) == train_only
