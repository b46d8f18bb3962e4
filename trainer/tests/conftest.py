"""Shared helpers: the trainer package on sys.path, a tiny trial config, running the trainer."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List

TRAINER = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TRAINER))

# Small enough that an epoch (512 training images plus the 10,000-image validation pass) takes a
# few seconds on one thread.
TINY: Dict[str, Any] = {"widths": [8, 16], "train_subset": 512, "batch_size": 128, "epochs": 2, "threads": 1}


def trainer_command() -> List[str]:
    return [sys.executable, str(TRAINER / "run_trial.py"), "--config", "-"]


def run_trainer(config: Dict[str, Any]) -> subprocess.CompletedProcess:
    return subprocess.run(
        trainer_command(), input=json.dumps(config), capture_output=True, text=True, timeout=300
    )


def events(stdout: str) -> List[Dict[str, Any]]:
    """Every stdout line parsed as JSON (fails the test on any line that isn't)."""
    return [json.loads(line) for line in stdout.splitlines()]
