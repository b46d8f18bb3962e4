import dataclasses
import json
import re

import pytest

from conftest import TRAINER, events, run_trainer
from sweep_trainer.config import TrialConfig, load_config, parse_config
from sweep_trainer.errors import ConfigError

PROTOCOL_DOC = TRAINER.parent / "docs" / "trainer-protocol.md"


def doc_defaults():
    """{field: default} from the Trial config table of docs/trainer-protocol.md."""
    rows = re.findall(r"^\| `(\w+)` \| [^|]+ \| ([^|]+) \|", PROTOCOL_DOC.read_text(), re.MULTILINE)
    return {name: json.loads(default.strip().replace("`", '"')) for name, default in rows}


def test_fields_and_defaults_match_the_protocol_doc():
    defaults = {k: list(v) if isinstance(v, tuple) else v for k, v in dataclasses.asdict(TrialConfig()).items()}
    assert doc_defaults() == defaults


def test_an_empty_object_gives_the_defaults_and_ints_are_accepted_as_floats():
    assert parse_config({}) == TrialConfig()
    cfg = parse_config({"max_lr": 1, "widths": [8, 16]})
    assert cfg.max_lr == 1.0 and isinstance(cfg.max_lr, float) and cfg.widths == (8, 16)


def test_rejects_an_unknown_field_and_suggests_the_close_one():
    with pytest.raises(ConfigError, match=r"field 'max_lrr': unknown field; did you mean 'max_lr'") as e:
        parse_config({"max_lrr": 0.1})
    assert e.value.field == "max_lrr"


@pytest.mark.parametrize("field, value, allowed", [
    ("epochs", "5", "an integer in 1..100"),
    ("epochs", True, "an integer in 1..100"),
    ("seed", 1.5, "an integer"),
    ("max_lr", "0.1", "a number > 0"),
    ("widths", [8, "16"], "a list of 2..8 integers"),
    ("device", 0, "one of auto, cpu, cuda, cuda:N"),
    ("checkpoint_dir", 3, "null or a non-empty string"),
])
def test_rejects_a_wrong_type_naming_field_value_and_what_is_allowed(field, value, allowed):
    with pytest.raises(ConfigError) as e:
        parse_config({field: value})
    assert e.value.field == field
    assert str(e.value).startswith(f"field '{field}': must be {allowed}")
    assert str(e.value).endswith(f", got {json.dumps(value)}")


@pytest.mark.parametrize("field, value", [
    ("epochs", 0), ("epochs", 101), ("batch_size", 1), ("batch_size", 8193), ("max_lr", 0),
    ("max_lr", -1), ("weight_decay", -0.1), ("dropout", 1.0), ("widths", [8]), ("widths", [8] * 9),
    ("widths", [8, 0]), ("widths", [8, 1025]), ("flip_p", 1.5), ("crop_pad", 9), ("erase_p", -0.1),
    ("erase_size", 0), ("erase_count", 0), ("erase_count", 9), ("patch_p", 2), ("patch_size", 1.1),
    ("train_subset", 1), ("train_subset", 50_001), ("threads", -1), ("device", "gpu"),
    ("device", "cuda:x"), ("log_every", 0), ("stats_every", 0), ("max_lr", float("nan")),
])
def test_rejects_a_value_out_of_range(field, value):
    with pytest.raises(ConfigError, match=f"^field '{re.escape(field)}': must be ") as e:
        parse_config({field: value})
    assert e.value.field == field


def test_rejects_nan_in_the_json_text(tmp_path):
    path = tmp_path / "trial.json"
    path.write_text('{"max_lr": NaN}')
    with pytest.raises(ConfigError, match="not valid JSON"):
        load_config(str(path))


def test_a_bad_config_exits_2_with_an_error_event_naming_the_field():
    done = run_trainer({"max_lr": -1})
    assert done.returncode == 2
    assert events(done.stdout) == [
        {"event": "error", "kind": "bad_config", "message": "field 'max_lr': must be a number > 0, got -1"}
    ]
