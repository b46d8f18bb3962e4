"""Fashion-MNIST: find or download the IDX files, check them, split off the validation images.

A trial reads only the 60,000 training images. The 10,000 test images are read only when a config
is promoted (`evaluate: "test"`), and only through `load_test`.
"""
from __future__ import annotations

import gzip
import hashlib
import logging
import os
import struct
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import torch

from .errors import DataError
from .seeding import derive_seed

log = logging.getLogger(__name__)

IMAGES = "train-images-idx3-ubyte"
LABELS = "train-labels-idx1-ubyte"
TEST_IMAGES = "t10k-images-idx3-ubyte"
TEST_LABELS = "t10k-labels-idx1-ubyte"
TRAIN_FILES = (IMAGES, LABELS)
TEST_FILES = (TEST_IMAGES, TEST_LABELS)
# SHA-256 of the uncompressed bytes: distributions recompress the .gz files (Debian does), so the
# compressed bytes differ between copies of the same data.
SHA256 = {
    IMAGES: "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    LABELS: "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    TEST_IMAGES: "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
    TEST_LABELS: "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
}
BASE_URL = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"
SYSTEM_DIR = Path("/usr/share/datasets/fashion-mnist")  # Debian's dataset-fashion-mnist
CACHE_DIR = Path("~/.cache/sweep/fashion-mnist")
VAL_SIZE = 10_000


@dataclass(frozen=True)
class Split:
    """Images as uint8 [N, 1, 28, 28] (a quarter of float32's memory, so all of it fits on the
    device) and labels as int64 [N]."""

    x: torch.Tensor
    y: torch.Tensor

    def __len__(self) -> int:
        return len(self.y)

    def to(self, device: torch.device) -> "Split":
        return Split(self.x.to(device), self.y.to(device))


def _file_in(folder: Path, name: str) -> Optional[Path]:
    for candidate in (folder / name, folder / f"{name}.gz"):
        if candidate.is_file():
            return candidate
    return None


def _missing(folder: Path, names: Sequence[str]) -> List[str]:
    return [f"{name}[.gz]" for name in names if _file_in(folder, name) is None]


def default_search() -> List[Path]:
    """Where to look before downloading: $SWEEP_FASHION_MNIST_DIR, then Debian's package."""
    env = os.environ.get("SWEEP_FASHION_MNIST_DIR")
    return ([Path(env)] if env else []) + [SYSTEM_DIR]


def locate(
    data_dir: Optional[str],
    search: Optional[Sequence[Path]] = None,
    cache: Path = CACHE_DIR,
    base_url: str = BASE_URL,
    names: Sequence[str] = TRAIN_FILES,
) -> Path:
    """The folder to read the files `names` from (protocol: Data lookup).

    An explicit `data_dir` must hold them; otherwise the first folder of `search` (default:
    default_search()) that does, else `cache`, downloading into it what is missing.
    """
    if data_dir is not None:
        folder = Path(data_dir).expanduser()
        missing = _missing(folder, names)
        if missing:
            raise DataError(f"data_dir {folder} has no {' and no '.join(missing)}")
        return folder
    for folder in default_search() if search is None else search:
        if not _missing(folder, names):
            return folder
        log.info("no Fashion-MNIST %s in %s; looking further", " and ".join(names), folder)
    cache = cache.expanduser()
    for name in names:
        if _file_in(cache, name) is None:
            download(f"{base_url}{name}.gz", cache / f"{name}.gz", SHA256[name])
    return cache


def _unpacked(raw: bytes) -> bytes:
    # gzip magic bytes: the files may sit either compressed or not, whatever their name says.
    return gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw


def download(url: str, dest: Path, sha256: str) -> None:
    """Fetch `url` to `dest`, only keeping it once its uncompressed bytes match `sha256`."""
    log.info("downloading %s to %s", url, dest)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        with urllib.request.urlopen(url, timeout=60) as response:
            raw = response.read()
    except (urllib.error.URLError, OSError) as e:
        raise DataError(f"cannot download {url}: {e}") from None
    _verify(raw, sha256, url)
    # Write then rename, so a trial killed mid-write never leaves a truncated file behind.
    try:
        with tempfile.NamedTemporaryFile(dir=dest.parent, delete=False) as tmp:
            tmp.write(raw)
        os.replace(tmp.name, dest)
    except OSError as e:
        raise DataError(f"cannot write {dest}: {e}") from None


def _verify(raw: bytes, sha256: str, source: object) -> bytes:
    try:
        data = _unpacked(raw)
    except (OSError, EOFError) as e:  # a corrupt gzip stream
        raise DataError(f"{source}: cannot decompress: {e}") from None
    actual = hashlib.sha256(data).hexdigest()
    if actual != sha256:
        raise DataError(f"{source}: SHA-256 of the uncompressed bytes is {actual}, expected {sha256}")
    return data


def _read_idx(folder: Path, name: str) -> torch.Tensor:
    """The uint8 array in IDX file `name` (big-endian header: 0, 0, 0x08, ndim, then ndim sizes)."""
    path = _file_in(folder, name)
    if path is None:
        raise DataError(f"{folder} has no {name}[.gz]")
    try:
        st = path.stat()
        key = (str(path.resolve()), st.st_ino, st.st_size, st.st_mtime_ns)
        cached = _checked.get(name)
        if cached is not None and cached[0] == key:
            return cached[1]
        raw = path.read_bytes()
    except OSError as e:
        raise DataError(f"cannot read {path}: {e.strerror}") from None
    data = _verify(raw, SHA256[name], path)
    ndim = data[3]
    shape = struct.unpack(f">{ndim}I", data[4 : 4 + 4 * ndim])
    body = bytearray(data[4 + 4 * ndim :])  # writable, or torch warns about frombuffer
    tensor = torch.frombuffer(body, dtype=torch.uint8).reshape(shape)
    _checked[name] = (key, tensor)
    return tensor


# The last checked tensor of each file, by where it was read and its identity on disk (inode, size,
# mtime): a warm trainer (serve.py) reads, unzips and checksums each file once, not once per trial.
# Nothing writes into these tensors; splits index copies out of them.
_checked: Dict[str, Tuple[Tuple[str, int, int, int], torch.Tensor]] = {}


def _load_pair(folder: Path, images: str, labels: str) -> Split:
    return Split(_read_idx(folder, images).unsqueeze(1), _read_idx(folder, labels).long())


def load(folder: Path) -> Split:
    """All 60,000 training images and labels from `folder`, checked."""
    return _load_pair(folder, IMAGES, LABELS)


def load_test(folder: Path) -> Split:
    """The 10,000 test images and labels from `folder`, checked: for promotion only."""
    return _load_pair(folder, TEST_IMAGES, TEST_LABELS)


def split(data: Split, split_seed: int, train_subset: Optional[int]) -> Tuple[Split, Split]:
    """(train, valid): VAL_SIZE images held out by `split_seed`, the rest (or the first
    `train_subset` of them, in the same seeded order) for training.

    Drawn on the CPU so the split is the same on every device and every trial of a sweep.
    """
    order = torch.randperm(len(data), generator=torch.Generator().manual_seed(derive_seed(split_seed, "split")))
    val, train = order[:VAL_SIZE], order[VAL_SIZE:]
    if train_subset is not None:
        train = train[:train_subset]
    return Split(data.x[train], data.y[train]), Split(data.x[val], data.y[val])


def all_training(data: Split, split_seed: int, train_subset: Optional[int]) -> Split:
    """Every training image, none held out (promotion trains on all 60,000 and tests on the test
    set), or the first `train_subset` of them in the order `split` draws."""
    order = torch.randperm(len(data), generator=torch.Generator().manual_seed(derive_seed(split_seed, "split")))
    if train_subset is not None:
        order = order[:train_subset]
    return Split(data.x[order], data.y[order])
