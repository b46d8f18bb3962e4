"""bench/gpu/bench_gpu.py in its --quick form on the CPU: the GPU script keeps working between the
sessions that have a GPU to run it on."""
import json
import subprocess
import sys

from conftest import TRAINER

SCRIPT = TRAINER.parent / "bench" / "gpu" / "bench_gpu.py"


def test_the_gpu_benchmark_runs_end_to_end_in_quick_mode(tmp_path):
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick", "--device", "cpu", "--seeds", "2", "--concurrent", "2", "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads((tmp_path / "gpu-bench.json").read_text())
    assert report["quick"] is True and report["environment"]["precision"] == "fp32"
    assert report["single_trial"]["train_s"] > 0 and 0 <= report["single_trial"]["val_acc"] <= 1
    promotion = report["promotion"]
    assert promotion["seeds"] == [0, 1] and len(promotion["test_acc"]) == 2 and promotion["test_acc_std"] is not None
    assert all(0 <= v <= 1 for v in promotion["test_acc"] + promotion["tta_acc"])
    assert report["concurrent"]["trials"] == 2 and report["concurrent"]["speedup"] > 0
    assert "one trial:" in done.stdout and "concurrent:  2 at once" in done.stdout
