"""One trial: build data, model, optimizer and callbacks from the config, train, report."""
from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Callable, List, Optional, Sequence, Tuple

import torch

from . import __version__, checkpoint, data, hardware
from .augment import Augmentation
from .callbacks import OneCycle, Progress, StopOnRequest
from .config import TrialConfig, training_fields
from .errors import ConfigError
from .evaluate import test_accuracy
from .learner import Callback, Learner
from .model import build_model
from .protocol import PROTOCOL_VERSION, Emit
from .schedule import MOM_MAX
from .seeding import derive_seed
from .stats import ActivationStats
from .stop import StopRequest

log = logging.getLogger(__name__)


def pick_device(name: str) -> torch.device:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    device = torch.device(name)
    if device.type == "cuda":
        if not torch.cuda.is_available():
            raise ConfigError(f"is {name!r} but CUDA is not available to torch {torch.__version__} here", "device")
        if device.index is not None and device.index >= torch.cuda.device_count():
            raise ConfigError(f"is {name!r} but there are {torch.cuda.device_count()} CUDA devices", "device")
    return device


def set_threads(threads: int) -> int:
    # torch may default to fewer threads than cores (1 on some hosts); 0 means every core this
    # process may run on, which can be fewer than the machine has.
    if threads == 0:
        threads = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    torch.set_num_threads(threads)
    return threads


def pixel_stats(x: torch.Tensor) -> Tuple[float, float]:
    """Mean and std of uint8 pixels scaled to [0, 1], exactly, from a 256-bin count (no float copy
    of the images)."""
    counts = torch.bincount(x.flatten(), minlength=256).double()
    values = torch.arange(256, dtype=torch.float64) / 255
    mean = (counts * values).sum() / counts.sum()
    var = (counts * (values - mean) ** 2).sum() / counts.sum()
    return float(mean), float(var.sqrt())


def make_optimizer(model: torch.nn.Module, cfg: TrialConfig) -> torch.optim.Optimizer:
    # lr and beta1 are set before every step by the OneCycle callback; eps is torch's default, as
    # in the course's recipe.
    return torch.optim.AdamW(
        model.parameters(), lr=cfg.max_lr, betas=(MOM_MAX, 0.999), eps=1e-8, weight_decay=cfg.weight_decay
    )


def setup_device(cfg: TrialConfig) -> Tuple[torch.device, int]:
    """The device to train on and the CPU threads torch uses."""
    device = pick_device(cfg.device)
    threads = set_threads(cfg.threads)
    if device.type == "cuda":
        torch.backends.cudnn.benchmark = True  # fixed input shapes: let cuDNN pick its fastest kernels
    return device, threads


def autocast_dtype(cfg: TrialConfig, device: torch.device) -> Optional[torch.dtype]:
    """bf16 autocast when asked for, or by default on a CUDA device that supports it; else fp32."""
    if cfg.precision == "bf16":
        if device.type == "cuda" and not torch.cuda.is_bf16_supported():
            raise ConfigError(f"is 'bf16' but {torch.cuda.get_device_name(device)} has no bfloat16 support", "precision")
        return torch.bfloat16
    if cfg.precision == "auto" and device.type == "cuda" and torch.cuda.is_bf16_supported():
        return torch.bfloat16
    return None


def compiled(model: torch.nn.Module, cfg: TrialConfig) -> Optional[Callable[[torch.Tensor], torch.Tensor]]:
    """torch.compile of the model when the config asks for it (torch 2 and later)."""
    if not cfg.compile:
        return None
    if not hasattr(torch, "compile"):
        raise ConfigError(f"is true but torch {torch.__version__} has no torch.compile (it came with torch 2.0)", "compile")
    return torch.compile(model)  # type: ignore[attr-defined]


def build_learner(
    cfg: TrialConfig, train: data.Split, valid: Optional[data.Split], device: torch.device, callbacks: Sequence[Callback]
) -> Learner:
    """Model, optimizer and augmentation for `cfg`; data and model moved to `device` once, the data
    as one tensor per split that batches are indexed out of on the device."""
    mean, std = pixel_stats(train.x)
    torch.manual_seed(derive_seed(cfg.seed, "init"))
    model = build_model(cfg.widths, cfg.dropout, mean, std).to(device)
    autocast = autocast_dtype(cfg, device)
    if device.type == "cpu" or autocast is not None:
        # oneDNN's CPU convs run ~20% faster on channels-last tensors at these small widths
        # (measured on the quick config); cuDNN's bf16 tensor-core convs want channels-last too.
        # fp32 on CUDA keeps the default layout, the well-trodden path there.
        model = model.to(memory_format=torch.channels_last)  # type: ignore[call-overload]  # stubs lack it
    augmentation = Augmentation(
        cfg.flip_p, cfg.crop_pad, cfg.erase_p, cfg.erase_size, cfg.erase_count, cfg.patch_p, cfg.patch_size
    )
    return Learner(
        model,
        make_optimizer(model, cfg),
        train.to(device),
        None if valid is None else valid.to(device),
        cfg.batch_size,
        augmentation,
        cfg.seed,
        callbacks,
        cfg.label_smoothing,
        autocast,
        compiled(model, cfg),
    )


def standard_callbacks(cfg: TrialConfig, emit: Emit, stop: StopRequest) -> List[Callback]:
    """Every trial's callbacks, in the order their hooks must run (events of a step before those
    of its epoch, the epoch event before its checkpoint)."""
    callbacks: List[Callback] = [
        StopOnRequest(stop),
        OneCycle(cfg.max_lr),
        Progress(emit, cfg.log_every),
        ActivationStats(emit, cfg.stats_every),
    ]
    if cfg.checkpoint_dir is not None:
        folder = Path(cfg.checkpoint_dir)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise ConfigError(f"cannot create {folder}: {e.strerror}", "checkpoint_dir") from None
        callbacks.append(checkpoint.SaveCheckpoints(emit, folder, training_fields(cfg)))
    return callbacks


def load_splits(cfg: TrialConfig) -> Tuple[data.Split, Optional[data.Split], Optional[data.Split]]:
    """(train, valid, test). A trial trains on 50,000 images and validates on the 10,000 held out;
    only promotion (`evaluate: "test"`) trains on all 60,000 and reads the test images."""
    folder = data.locate(cfg.data_dir)
    log.info("reading Fashion-MNIST training images from %s", folder)
    if cfg.evaluate == "validation":
        train, valid = data.split(data.load(folder), cfg.split_seed, cfg.train_subset)
        return train, valid, None
    test_folder = data.locate(cfg.data_dir, names=data.TEST_FILES)
    log.info("promotion: reading the Fashion-MNIST test images from %s", test_folder)
    return data.all_training(data.load(folder), cfg.split_seed, cfg.train_subset), None, data.load_test(test_folder)


def emit_ready(
    emit: Emit,
    cfg: TrialConfig,
    learn: Learner,
    device: torch.device,
    threads: int,
    valid: Optional[data.Split],
    test: Optional[data.Split],
    start_epoch: int,
    warm: bool,
) -> None:
    emit(
        "ready",
        protocol=PROTOCOL_VERSION,
        trainer=__version__,
        torch=torch.__version__,
        device=str(device),
        hardware=hardware.describe(device, threads),
        threads=threads,
        precision="fp32" if learn.autocast_dtype is None else "bf16",
        evaluate=cfg.evaluate,
        train_size=len(learn.train_data),
        val_size=0 if valid is None else len(valid),
        test_size=0 if test is None else len(test),
        params=sum(p.numel() for p in learn.model.parameters()),
        start_epoch=start_epoch,
        warm=warm,
    )


def run_trial(cfg: TrialConfig, emit: Emit, stop: StopRequest, warm: bool = False) -> None:
    """`warm`: this process ran a trial before (serve.py), so torch and the data were ready."""
    device, threads = setup_device(cfg)
    train, valid, test = load_splits(cfg)
    learn = build_learner(cfg, train, valid, device, standard_callbacks(cfg, emit, stop))
    start_epoch = 0
    if cfg.resume_from is not None:
        start_epoch = checkpoint.resume(learn, checkpoint.load(cfg.resume_from, device), training_fields(cfg))

    emit_ready(emit, cfg, learn, device, threads, valid=valid, test=test, start_epoch=start_epoch, warm=warm)
    learn.fit(cfg.epochs, start_epoch)
    assert learn.last is not None
    # Trials never see the test set (protocol: Validation honesty); promotion sees it once, here.
    learn.model.eval()  # BatchNorm's running statistics, no dropout (a promotion run had no validation pass)
    scores = None if test is None else test_accuracy(learn.forward, test.to(device), cfg.batch_size, learn.autocast)
    emit(
        "result",
        val_acc=learn.last.val_acc,
        val_loss=learn.last.val_loss,
        test_acc=None if scores is None else scores.test_acc,
        tta_acc=None if scores is None else scores.tta_acc,
        test_loss=None if scores is None else scores.test_loss,
        epochs=cfg.epochs,
        seconds=learn.seconds,
    )
