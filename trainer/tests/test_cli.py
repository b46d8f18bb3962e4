"""The trainer as the worker runs it: a subprocess, events on stdout, the exit code."""
import json
import shlex
import signal
import subprocess

from conftest import TINY, events, run_trainer, trainer_command
from sweep_trainer.errors import as_out_of_memory
from sweep_trainer.protocol import JsonLines, finite


def test_a_run_emits_only_json_lines_with_the_events_in_protocol_order(tmp_path):
    done = run_trainer({**TINY, "log_every": 2, "stats_every": 3, "checkpoint_dir": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    lines = events(done.stdout)
    kinds = [e["event"] for e in lines]
    assert kinds[0] == "ready" and kinds[-1] == "result"
    # Per epoch: steps and stats, then the epoch summary, then its checkpoint.
    per_epoch = [k for k in kinds[1:-1] if k in ("epoch", "checkpoint")]
    assert per_epoch == ["epoch", "checkpoint", "epoch", "checkpoint"]
    assert [e["step"] for e in lines if e["event"] == "step"] == [0, 2, 4, 6]
    assert [e["step"] for e in lines if e["event"] == "stats"] == [0, 3, 6]

    ready = lines[0]
    assert ready["protocol"] == 1 and ready["device"] == "cpu" and ready["threads"] == 1
    assert (ready["train_size"], ready["val_size"], ready["start_epoch"]) == (512, 10_000, 0)
    for step in (e for e in lines if e["event"] == "step"):
        assert set(step) == {"event", "epoch", "step", "loss", "lr", "mom", "images_per_s"}
    for stats in (e for e in lines if e["event"] == "stats"):
        assert [layer["name"] for layer in stats["layers"]] == ["block0", "block1"]
        assert all(len(layer["hist"]) == 40 and 0 <= layer["dead"] <= 1 for layer in stats["layers"])
    checkpoints = [e for e in lines if e["event"] == "checkpoint"]
    assert [c["path"] for c in checkpoints] == [str(tmp_path / f"epoch-{i}.pt") for i in (0, 1)]
    result = lines[-1]
    last_epoch = [e for e in lines if e["event"] == "epoch"][-1]
    assert result["val_acc"] == last_epoch["val_acc"] and result["epochs"] == 2
    assert result["test_acc"] is None and result["tta_acc"] is None


def test_sigterm_stops_after_the_current_step_with_a_stopped_event_and_exit_143():
    config = {**TINY, "epochs": 50, "log_every": 1}
    proc = subprocess.Popen(
        trainer_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        proc.stdin.write(json.dumps(config))
        proc.stdin.close()
        seen = []
        for line in proc.stdout:  # blocks until the trainer reports its first step
            seen.append(json.loads(line))
            if seen[-1]["event"] == "step":
                break
        proc.send_signal(signal.SIGTERM)
        rest = events(proc.stdout.read())
        assert proc.wait(timeout=60) == 143
    finally:
        proc.kill()
        proc.wait()
    stopped = rest[-1]
    assert stopped["event"] == "stopped" and stopped["reason"] == "signal"
    assert stopped["step"] >= 1 and stopped["epoch"] >= 0
    assert all(e["event"] in ("step", "stats", "epoch") for e in rest[:-1])


def test_the_trainer_stops_when_its_parent_dies_even_by_sigkill(tmp_path):
    # The parent here is a shell standing in for the worker; its death must not leave an orphan.
    config = tmp_path / "config.json"
    config.write_text(json.dumps({**TINY, "epochs": 50, "log_every": 1}))
    command = " ".join(shlex.quote(part) for part in trainer_command()[:-1] + [str(config)])
    parent = subprocess.Popen(["sh", "-c", f"{command} & wait"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        for line in parent.stdout:  # the trainer's stdout is the shell's
            if json.loads(line)["event"] == "step":
                break
        parent.kill()
        parent.wait()
        rest = events(parent.stdout.read())  # ends when the trainer, the last writer, exits
    finally:
        parent.kill()
    assert rest[-1]["event"] == "stopped" and rest[-1]["reason"] == "signal"


def test_bad_command_line_and_bad_json_exit_2_with_an_error_event():
    bad_json = subprocess.run(trainer_command(), input="{", capture_output=True, text=True, timeout=60)
    assert bad_json.returncode == 2
    assert events(bad_json.stdout)[-1]["kind"] == "bad_config"
    no_config = subprocess.run(trainer_command()[:2], capture_output=True, text=True, timeout=60)
    assert no_config.returncode == 2
    assert "--config" in events(no_config.stdout)[-1]["message"]


def test_non_finite_numbers_become_null_in_one_flushed_line(tmp_path):
    path = tmp_path / "events"
    with open(path, "w") as stream:
        JsonLines(stream)("step", loss=float("nan"), lr=float("inf"), layers=[{"mean": float("-inf")}], n=3)
        assert path.read_text() == '{"event":"step","loss":null,"lr":null,"layers":[{"mean":null}],"n":3}\n'
    assert finite((1.0, [float("nan")])) == [1.0, [None]]


def test_out_of_memory_errors_map_to_exit_5():
    cuda = as_out_of_memory(RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB"))
    cpu = as_out_of_memory(RuntimeError("[enforce fail at alloc_cpu.cpp:75] DefaultCPUAllocator: can't allocate memory"))
    assert cuda is not None and cpu is not None and cuda.exit_code == 5 and cuda.kind == "oom"
    assert as_out_of_memory(RuntimeError("shape mismatch")) is None
