"""Shared helpers: the trainer package on sys.path, a tiny trial config, running the trainer,
copying the training files."""
from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Sequence

TRAINER = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TRAINER))

# Small enough that an epoch (512 training images plus the 10,000-image validation pass) takes a
# few seconds on one thread.
TINY: Dict[str, Any] = {"widths": [8, 16], "train_subset": 512, "batch_size": 128, "epochs": 2, "threads": 1}


def trainer_command() -> List[str]:
    return [sys.executable, str(TRAINER / "run_trial.py"), "--config", "-"]


def run_trainer(config: Dict[str, Any], args: Sequence[str] = ()) -> subprocess.CompletedProcess:
    """The trainer with `config` on stdin and `args` after `--config -`."""
    return subprocess.run(
        trainer_command() + list(args), input=json.dumps(config), capture_output=True, text=True, timeout=300
    )


def events(stdout: str) -> List[Dict[str, Any]]:
    """Every stdout line parsed as JSON (fails the test on any line that isn't)."""
    return [json.loads(line) for line in stdout.splitlines()]


def copy_train_files(src: Path, dest: Path, corrupt_labels: bool = False) -> Path:
    """The two training files of `src` copied into `dest` (no test files), one label changed if
    `corrupt_labels`."""
    from sweep_trainer import data  # after the sys.path insert above

    dest.mkdir(parents=True, exist_ok=True)
    for name in (data.IMAGES, data.LABELS):
        found = src / f"{name}.gz" if (src / f"{name}.gz").exists() else src / name
        shutil.copy(found, dest / found.name)
    if corrupt_labels:
        labels = next(dest.glob(f"{data.LABELS}*"))
        raw = bytearray(gzip.decompress(labels.read_bytes()) if labels.suffix == ".gz" else labels.read_bytes())
        raw[100] = (raw[100] + 1) % 10  # one label changed: still a valid IDX file
        labels.unlink()
        (dest / f"{data.LABELS}.gz").write_bytes(gzip.compress(bytes(raw)))
    return dest
