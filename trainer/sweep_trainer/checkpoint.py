"""Checkpoints: after each epoch, all a trial needs to continue as if it had never stopped.

Every epoch reseeds its randomness from (seed, epoch), so weights, optimizer state and the epoch
number are enough; no RNG state is stored.
"""
from __future__ import annotations

import dataclasses
import json
import os
import pickle
from pathlib import Path
from typing import Any, Dict

import torch

from . import __version__
from .config import RUN_FIELDS
from .errors import ConfigError
from .learner import Callback, EpochResult, Learner
from .protocol import Emit

FORMAT = 1


def save(path: Path, learn: Learner, config: Dict[str, Any]) -> None:
    assert learn.last is not None
    opt = learn.opt.state_dict()
    # Everything but tensors goes in one JSON string: torch 1.13's weights-only loader can't read
    # pickled floats, and JSON keeps the file readable by any torch version.
    meta = {
        "trainer": __version__,
        "epoch": learn.epoch,
        "config": config,
        "last": dataclasses.asdict(learn.last),
        "seconds": learn.seconds,
        "param_groups": opt["param_groups"],
    }
    state = {"format": FORMAT, "meta": json.dumps(meta), "model": learn.model.state_dict(), "optimizer": opt["state"]}
    # Write then rename: a trial killed while saving leaves the previous checkpoint intact.
    tmp = path.with_name(path.name + ".tmp")
    torch.save(state, tmp)
    os.replace(tmp, path)


def load(path: str, device: torch.device) -> Dict[str, Any]:
    """The checkpoint at `path`, tensors on `device`, meta decoded."""
    try:
        # weights_only: checkpoints travel through the object store; never unpickle arbitrary code.
        state = torch.load(path, map_location=device, weights_only=True)
        if not isinstance(state, dict) or state.get("format") != FORMAT:
            raise ValueError(f"not a sweep trainer checkpoint (format {FORMAT})")
        state["meta"] = json.loads(state["meta"])
    except (OSError, RuntimeError, EOFError, ValueError, pickle.UnpicklingError) as e:
        raise ConfigError(f"cannot read checkpoint {path}: {e}", "resume_from") from None
    return state


def resume(learn: Learner, state: Dict[str, Any], config: Dict[str, Any]) -> int:
    """Loads `state` into `learn`; returns the epoch to continue with. The trial's config must
    match the checkpoint's in every field that decides the weights."""
    meta = state["meta"]
    # Another trainer version may build another model from the same config (its weights would not
    # load, or would mean something else).
    if meta.get("trainer") != __version__:
        raise ConfigError(
            f"the checkpoint was written by trainer {meta.get('trainer', 'before 1.3.0')}, this is trainer "
            f"{__version__}: run the trial again from the start",
            "resume_from",
        )
    for field in sorted(set(config) | set(meta["config"])):
        was, now = meta["config"].get(field), config.get(field)
        if was != now:
            raise ConfigError(
                f"is {json.dumps(now)} but the checkpoint in resume_from was trained with "
                f"{json.dumps(was)}; a resume may change only {', '.join(sorted(RUN_FIELDS))}",
                field,
            )
    learn.model.load_state_dict(state["model"])
    groups = [{**g, "betas": tuple(g["betas"])} for g in meta["param_groups"]]  # JSON made it a list
    learn.opt.load_state_dict({"state": state["optimizer"], "param_groups": groups})
    learn.last = EpochResult(**meta["last"])
    learn.seconds = meta["seconds"]
    return meta["epoch"] + 1


class SaveCheckpoints(Callback):
    """Writes <folder>/epoch-<N>.pt after every epoch and emits a `checkpoint` event."""

    def __init__(self, emit: Emit, folder: Path, config: Dict[str, Any]) -> None:
        self.emit, self.folder, self.config = emit, folder, config

    def after_epoch(self, learn: Learner) -> None:
        path = (self.folder / f"epoch-{learn.epoch}.pt").resolve()
        save(path, learn, self.config)
        self.emit("checkpoint", epoch=learn.epoch, path=str(path))
