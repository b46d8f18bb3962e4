"""Whole trials in this process (faster than a subprocess; the CLI has its own tests)."""
import pytest
import torch

from conftest import TINY
from sweep_trainer import checkpoint
from sweep_trainer.config import parse_config
from sweep_trainer.errors import ConfigError
from sweep_trainer.stop import StopRequest
from sweep_trainer.train import pick_device, pixel_stats, run_trial

# Dropout and every augmentation on, so every random stream must be reproduced on resume.
RANDOM = {**TINY, "dropout": 0.2, "erase_p": 0.5, "patch_p": 0.5, "log_every": 1000, "stats_every": 3}


def run(config) -> list:
    collected = []
    run_trial(parse_config(config), lambda event, **f: collected.append({"event": event, **f}), StopRequest())
    return collected


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("full")
    return folder, run({**RANDOM, "checkpoint_dir": str(folder)})


def test_resuming_from_a_checkpoint_reproduces_the_uninterrupted_run_bit_for_bit(uninterrupted, tmp_path):
    full_dir, full_events = uninterrupted
    resumed = run({**RANDOM, "checkpoint_dir": str(tmp_path), "resume_from": str(full_dir / "epoch-0.pt")})
    assert resumed[0]["event"] == "ready" and resumed[0]["start_epoch"] == 1
    expected = checkpoint.load(str(full_dir / "epoch-1.pt"), torch.device("cpu"))
    actual = checkpoint.load(str(tmp_path / "epoch-1.pt"), torch.device("cpu"))
    assert expected["model"].keys() == actual["model"].keys()
    for name, tensor in expected["model"].items():  # parameters and buffers (BatchNorm statistics)
        assert torch.equal(tensor, actual["model"][name]), name
    for index, state in expected["optimizer"].items():
        for key, tensor in state.items():
            assert torch.equal(tensor, actual["optimizer"][index][key]), (index, key)
    assert resumed[-1]["event"] == full_events[-1]["event"] == "result"
    assert resumed[-1]["val_acc"] == full_events[-1]["val_acc"]
    assert resumed[-1]["val_loss"] == full_events[-1]["val_loss"]


def test_resuming_from_the_last_checkpoint_just_reports_its_result(uninterrupted):
    full_dir, full_events = uninterrupted
    resumed = run({**RANDOM, "resume_from": str(full_dir / "epoch-1.pt")})
    assert [e["event"] for e in resumed] == ["ready", "result"]
    assert resumed[-1] == full_events[-1]


def test_resuming_with_a_different_training_field_is_a_config_error_naming_it(uninterrupted):
    full_dir, _ = uninterrupted
    with pytest.raises(ConfigError, match=r"^field 'max_lr': is 0.02 but the checkpoint") as e:
        run({**RANDOM, "max_lr": 0.02, "resume_from": str(full_dir / "epoch-0.pt")})
    assert e.value.exit_code == 2


def test_resuming_from_a_file_that_is_not_a_checkpoint_is_a_config_error(tmp_path):
    bogus = tmp_path / "epoch-0.pt"
    bogus.write_text("not a checkpoint")
    with pytest.raises(ConfigError, match="^field 'resume_from': cannot read checkpoint"):
        run({**RANDOM, "resume_from": str(bogus)})


def test_pixel_stats_are_the_mean_and_std_of_the_scaled_pixels():
    x = torch.randint(0, 256, (50, 1, 28, 28), dtype=torch.uint8)
    mean, std = pixel_stats(x)
    scaled = x.double() / 255
    assert mean == pytest.approx(scaled.mean().item()) and std == pytest.approx(scaled.std(unbiased=False).item())


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without CUDA")
def test_asking_for_cuda_without_it_is_a_config_error_naming_device():
    with pytest.raises(ConfigError, match="^field 'device': is 'cuda:1' but CUDA is not available"):
        pick_device("cuda:1")


def test_resuming_from_another_trainer_versions_checkpoint_is_a_config_error(uninterrupted, tmp_path, monkeypatch):
    full_dir, _ = uninterrupted
    from sweep_trainer import checkpoint as ckpt

    monkeypatch.setattr(ckpt, "__version__", "0.9.0")
    with pytest.raises(ConfigError, match=r"^field 'resume_from': the checkpoint was written by trainer 1\.\d+\.\d+, this is trainer 0\.9\.0"):
        run({**RANDOM, "resume_from": str(full_dir / "epoch-0.pt")})
