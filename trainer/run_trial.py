#!/usr/bin/env python3
"""Run one sweep trial: python3 trainer/run_trial.py --config FILE|-  (docs/trainer-protocol.md)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # the sweep_trainer package

from sweep_trainer.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
