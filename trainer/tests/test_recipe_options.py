"""Recipe and speed options of the config: label smoothing, precision, torch.compile."""
import re

import pytest
import torch

from conftest import TINY, events, run_trainer
from sweep_trainer.config import parse_config
from sweep_trainer.errors import ConfigError
from sweep_trainer.train import autocast_dtype, compiled


def test_label_smoothing_raises_the_training_loss_of_confident_predictions_only():
    logits = torch.tensor([[8.0, 0.0, 0.0], [0.0, 8.0, 0.0]])
    y = torch.tensor([0, 1])
    plain = torch.nn.functional.cross_entropy(logits, y)
    smoothed = torch.nn.functional.cross_entropy(logits, y, label_smoothing=0.1)
    assert smoothed > plain  # what the learner passes through: training loss only


def test_a_trial_with_label_smoothing_trains_and_reports_plain_validation_loss():
    done = run_trainer({**TINY, "epochs": 1, "label_smoothing": 0.1})
    assert done.returncode == 0, done.stderr
    assert events(done.stdout)[-1]["val_loss"] > 0


@pytest.mark.parametrize("field, value, message", [
    ("label_smoothing", 1.0, "a number in [0, 1)"),
    ("precision", "fp16", "one of auto, fp32, bf16"),
    ("compile", 1, "true or false"),
    ("evaluate", "train", "one of validation, test"),
])
def test_rejects_out_of_range_options(field, value, message):
    with pytest.raises(ConfigError, match=f"field '{field}': must be {re.escape(message)}"):
        parse_config({field: value})


def test_auto_precision_is_fp32_on_a_cpu_and_bf16_when_asked():
    cpu = torch.device("cpu")
    assert autocast_dtype(parse_config({}), cpu) is None
    assert autocast_dtype(parse_config({"precision": "bf16"}), cpu) is torch.bfloat16
    assert autocast_dtype(parse_config({"precision": "fp32"}), cpu) is None


def test_a_bf16_trial_on_the_cpu_trains_like_fp32_and_says_so():
    runs = {p: events(run_trainer({**TINY, "epochs": 1, "precision": p}).stdout) for p in ("fp32", "bf16")}
    assert runs["fp32"][0]["precision"] == "fp32" and runs["bf16"][0]["precision"] == "bf16"
    loss = {p: r[-1]["val_loss"] for p, r in runs.items()}
    assert loss["bf16"] == pytest.approx(loss["fp32"], rel=0.05)


@pytest.mark.skipif(hasattr(torch, "compile"), reason="this torch has torch.compile")
def test_compile_on_a_torch_without_it_is_a_config_error_naming_the_version():
    with pytest.raises(ConfigError, match=rf"field 'compile': is true but torch {torch.__version__} has no torch.compile"):
        compiled(torch.nn.Linear(1, 1), parse_config({"compile": True}))
    assert compiled(torch.nn.Linear(1, 1), parse_config({})) is None
