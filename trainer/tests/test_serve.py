"""The warm trainer (`run_trial.py --serve`): many trials in one process, as a worker slot runs them."""
import json
import signal
import subprocess
import sys
from typing import Any, Dict, List

import pytest

from conftest import TINY, TRAINER, events, run_trainer

SERVE = [sys.executable, str(TRAINER / "run_trial.py"), "--serve"]


class Warm:
    """A serve-mode trainer: commands in, events out, a run's events read up to its `done`."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(SERVE, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def send(self, command: Dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(command) + "\n")
        self.proc.stdin.flush()

    def until_done(self) -> List[Dict[str, Any]]:
        assert self.proc.stdout is not None
        seen = []
        for line in self.proc.stdout:
            seen.append(json.loads(line))
            if seen[-1]["event"] == "done":
                return seen
        raise AssertionError(f"the trainer ended before its run was done; it wrote {seen}")

    def run(self, run: str, config: Dict[str, Any]) -> List[Dict[str, Any]]:
        self.send({"run": run, "config": config})
        return self.until_done()

    def close(self) -> int:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        return self.proc.wait(timeout=60)

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()


@pytest.fixture
def warm():
    trainer = Warm()
    yield trainer
    trainer.kill()


def without_timing(lines: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The events with what depends on the clock (and on the process's history) left out."""
    clock = {"images_per_s", "seconds", "warm"}
    return [{k: v for k, v in e.items() if k not in clock} for e in lines]


def test_trials_in_one_warm_process_match_the_same_trials_each_in_a_fresh_process(warm):
    configs = [{**TINY, "seed": 3}, {**TINY, "seed": 4, "max_lr": 0.02, "dropout": 0.2, "flip_p": 0.5}, {**TINY, "seed": 3}]
    served = [warm.run(str(i), config) for i, config in enumerate(configs)]
    assert warm.close() == 0
    for i, (config, lines) in enumerate(zip(configs, served)):
        assert lines[-1] == {"event": "done", "run": str(i), "exit_code": 0, "reusable": True}
        assert lines[0]["event"] == "ready" and lines[0]["warm"] is (i > 0)
        cold = run_trainer(config)
        assert cold.returncode == 0, cold.stderr
        cold_lines = events(cold.stdout)
        assert cold_lines[0]["warm"] is False
        # Bit for bit the same training: every loss, stat and accuracy.
        assert without_timing(lines[:-1]) == without_timing(cold_lines)
    assert served[0][-2]["val_acc"] != served[1][-2]["val_acc"]


def test_a_stop_for_a_queued_trial_stops_it_at_once_and_the_process_takes_the_next(warm):
    warm.send({"run": "a", "config": {**TINY, "epochs": 50}})
    warm.send({"stop": "a"})
    stopped = warm.until_done()
    assert [e["event"] for e in stopped] == ["ready", "stopped", "done"]
    assert stopped[-1] == {"event": "done", "run": "a", "exit_code": 143, "reusable": True}
    # A stop for a trial that is over changes nothing for the next one.
    warm.send({"stop": "a"})
    again = warm.run("b", {**TINY, "epochs": 1})
    assert again[-2]["event"] == "result" and again[-1]["exit_code"] == 0
    assert warm.close() == 0


def test_a_stop_mid_trial_ends_it_after_the_current_step(warm):
    warm.send({"run": "long", "config": {**TINY, "epochs": 50, "log_every": 1}})
    assert warm.proc.stdout is not None
    for line in warm.proc.stdout:  # until the trial has trained a step
        if json.loads(line)["event"] == "step":
            break
    warm.send({"stop": "long"})
    rest = warm.until_done()
    assert rest[-2]["event"] == "stopped" and rest[-2]["epoch"] == 0
    assert rest[-1] == {"event": "done", "run": "long", "exit_code": 143, "reusable": True}
    assert warm.close() == 0


def test_a_bad_config_fails_its_trial_only(warm):
    bad = warm.run("bad", {**TINY, "batch_size": 1})
    assert bad[-2]["event"] == "error" and bad[-2]["kind"] == "bad_config" and "batch_size" in bad[-2]["message"]
    assert bad[-1] == {"event": "done", "run": "bad", "exit_code": 2, "reusable": True}
    good = warm.run("good", {**TINY, "epochs": 1})
    assert good[-1]["exit_code"] == 0
    assert warm.close() == 0


def test_unreadable_data_ends_the_process_with_the_trials_exit_code(warm, tmp_path):
    lines = warm.run("nodata", {**TINY, "data_dir": str(tmp_path)})
    assert lines[-2]["event"] == "error" and lines[-2]["kind"] == "data"
    assert lines[-1] == {"event": "done", "run": "nodata", "exit_code": 3, "reusable": False}
    # The retry belongs to a fresh process: this one takes no more trials.
    assert warm.proc.wait(timeout=60) == 3


def test_sigterm_stops_the_trial_and_ends_the_process(warm):
    warm.send({"run": "t", "config": {**TINY, "epochs": 50, "log_every": 1}})
    assert warm.proc.stdout is not None
    for line in warm.proc.stdout:
        if json.loads(line)["event"] == "step":
            break
    warm.proc.send_signal(signal.SIGTERM)
    rest = warm.until_done()
    assert rest[-1] == {"event": "done", "run": "t", "exit_code": 143, "reusable": False}
    assert warm.proc.wait(timeout=60) == 143


def test_sigterm_while_idle_ends_the_process(warm):
    assert warm.run("one", {**TINY, "epochs": 1})[-1]["exit_code"] == 0
    warm.proc.send_signal(signal.SIGTERM)
    assert warm.proc.wait(timeout=60) == 143


@pytest.mark.parametrize(
    "line, expected",
    [
        ("not json", "the command is not valid JSON"),
        ('{"run": "x"}', 'a command is {"run": ID, "config": {...}} or {"stop": ID}'),
        ('{"stop": ""}', 'a command is {"run": ID'),
    ],
)
def test_a_line_that_is_no_command_ends_the_process_with_exit_2(warm, line, expected):
    assert warm.proc.stdin is not None and warm.proc.stdout is not None
    warm.proc.stdin.write(line + "\n")
    warm.proc.stdin.flush()
    assert warm.proc.wait(timeout=60) == 2
    last = events(warm.proc.stdout.read())[-1]
    assert last["event"] == "error" and last["kind"] == "bad_config"
    assert last["message"].startswith("stdin line 1: ") and expected in last["message"]


@pytest.mark.parametrize("args", [["--serve", "--config", "-"], [], ["--serve", "--lr-find"]])
def test_serve_and_config_exclude_each_other(args):
    done = subprocess.run([sys.executable, str(TRAINER / "run_trial.py"), *args], input="", capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    last = events(done.stdout)[-1]
    assert last["kind"] == "bad_config" and "command line" in last["message"]
