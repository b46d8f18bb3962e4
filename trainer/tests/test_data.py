import gzip
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import torch

from conftest import TINY, copy_train_files, events, run_trainer
from sweep_trainer import data
from sweep_trainer.errors import DataError


@pytest.fixture(scope="module")
def real_dir() -> Path:
    return data.locate(None)


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def serve():
    servers = []

    def start(folder: Path) -> str:
        server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(folder)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_downloads_missing_files_into_the_cache_and_checks_them(tmp_path, real_dir, serve):
    url = serve(copy_train_files(real_dir, tmp_path / "mirror"))
    cache = tmp_path / "cache"
    assert data.locate(None, search=[tmp_path / "empty"], cache=cache, base_url=url) == cache
    assert sorted(p.name for p in cache.iterdir()) == [f"{data.IMAGES}.gz", f"{data.LABELS}.gz"]
    assert len(data.load(cache)) == 60_000


def test_a_download_failing_its_checksum_is_a_data_error_and_leaves_nothing(tmp_path, real_dir, serve):
    url = serve(copy_train_files(real_dir, tmp_path / "mirror", corrupt_labels=True))
    cache = tmp_path / "cache"
    with pytest.raises(DataError, match="SHA-256") as e:
        data.locate(None, search=[], cache=cache, base_url=url)
    assert e.value.exit_code == 3
    assert not (cache / f"{data.LABELS}.gz").exists() and not list(cache.glob("tmp*"))


def test_an_unreachable_mirror_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="cannot download"):
        data.locate(None, search=[], cache=tmp_path, base_url="http://127.0.0.1:9/")


def test_a_file_failing_its_checksum_exits_3_with_a_data_error_event(tmp_path, real_dir):
    folder = copy_train_files(real_dir, tmp_path / "bad", corrupt_labels=True)
    done = run_trainer({**TINY, "data_dir": str(folder)})
    assert done.returncode == 3
    [error] = events(done.stdout)
    assert error["event"] == "error" and error["kind"] == "data"
    assert data.LABELS in error["message"] and "SHA-256" in error["message"]


def test_a_data_dir_without_the_files_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="has no train-images-idx3-ubyte"):
        data.locate(str(tmp_path))


def test_reads_uncompressed_files_too(tmp_path, real_dir):
    for name in (data.IMAGES, data.LABELS):
        src = real_dir / f"{name}.gz"
        (tmp_path / name).write_bytes(gzip.decompress(src.read_bytes()) if src.exists() else (real_dir / name).read_bytes())
    loaded = data.load(tmp_path)
    assert loaded.x.shape == (60_000, 1, 28, 28) and loaded.x.dtype == torch.uint8


def test_split_holds_out_10000_images_by_split_seed_and_subsets_the_rest(real_dir):
    full = data.load(real_dir)
    train, valid = data.split(full, 42, None)
    assert (len(train), len(valid)) == (50_000, 10_000)
    again_train, again_valid = data.split(full, 42, None)
    assert torch.equal(valid.x, again_valid.x) and torch.equal(train.y, again_train.y)
    _, other_valid = data.split(full, 7, None)
    assert not torch.equal(valid.y, other_valid.y)
    subset, subset_valid = data.split(full, 42, 1000)
    assert torch.equal(subset.x, train.x[:1000]) and torch.equal(subset_valid.x, valid.x)
    # Held-out and training images are different images (compare them as byte strings).
    seen = {bytes(img.numpy()) for img in valid.x[:2000]}
    assert not any(bytes(img.numpy()) in seen for img in train.x[:2000])
