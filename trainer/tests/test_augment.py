import pytest
import torch

from sweep_trainer.augment import ERASE_VALUE, Augmentation, erase, flip, patch_copy, shift

DEVICES = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
NONE = dict(flip_p=0.0, crop_pad=0, erase_p=0.0, erase_size=0.2, erase_count=1, patch_p=0.0, patch_size=0.25)


def gen(seed: int = 0, device: str = "cpu") -> torch.Generator:
    return torch.Generator(device=device).manual_seed(seed)


def distinct_images(n: int, device: str = "cpu") -> torch.Tensor:
    """Every pixel value unique and tagged with its sample: value // 1000 is the sample index."""
    return (torch.arange(n)[:, None] * 1000 + torch.arange(784)[None, :] + 1.0).reshape(n, 1, 28, 28).to(device)


def changed_box(before: torch.Tensor, after: torch.Tensor):
    """(rows, cols) spanned by the changed pixels of one [1, H, W] image, or None."""
    where = (before != after)[0].nonzero()
    if len(where) == 0:
        return None
    return (where[:, 0].max() - where[:, 0].min() + 1).item(), (where[:, 1].max() - where[:, 1].min() + 1).item()


@pytest.mark.parametrize("device", DEVICES)
def test_with_every_probability_and_pad_zero_is_the_identity(device):
    x = torch.rand(64, 1, 28, 28, device=device)
    assert torch.equal(Augmentation(**NONE)(x, gen(device=device)), x)


def test_flip_with_p_1_equals_torch_flip():
    x = torch.rand(16, 1, 28, 28)
    assert torch.equal(flip(x, 1.0, gen()), torch.flip(x, dims=[3]))


def test_shift_moves_each_sample_by_at_most_pad_and_fills_with_zero():
    pad = 2
    x = distinct_images(32)
    out = shift(x, pad, gen())
    padded = torch.nn.functional.pad(x, (pad,) * 4)
    offsets = set()
    for b in range(len(x)):
        matches = [
            (dy, dx)
            for dy in range(2 * pad + 1)
            for dx in range(2 * pad + 1)
            if torch.equal(out[b], padded[b, :, dy : dy + 28, dx : dx + 28])
        ]
        assert len(matches) == 1
        offsets.add(matches[0])
    assert len(offsets) > 1  # one draw per sample, not one per batch


def test_erase_sets_rectangles_no_larger_than_the_size_bound_to_the_erase_value():
    x = torch.ones(64, 1, 28, 28)
    out = erase(x, 1.0, 0.25, 1, gen())
    max_side = round(0.25 * 28)
    for b in range(len(x)):
        box = changed_box(x[b], out[b])
        assert box is not None and box[0] <= max_side and box[1] <= max_side
        changed = out[b] != x[b]
        assert changed.sum() == box[0] * box[1]  # a full rectangle
        assert (out[b][changed] == ERASE_VALUE).all()


def test_erase_count_erases_up_to_that_many_rectangles_and_p_picks_samples():
    x = torch.ones(256, 1, 28, 28)
    out = erase(x, 0.5, 0.2, 3, gen())
    erased = (out != x).flatten(1).sum(1)
    assert (erased <= 3 * round(0.2 * 28) ** 2).all()
    assert 0 < (erased > 0).sum() < len(x)


def test_patch_copy_keeps_the_shape_and_only_changes_a_patch_from_the_same_image():
    x = distinct_images(64)
    out = patch_copy(x, 1.0, 0.25, gen())
    side = round(0.25 * 28)
    assert out.shape == x.shape
    changed_any = False
    for b in range(len(x)):
        box = changed_box(x[b], out[b])
        if box is None:  # source and target squares coincided
            continue
        changed_any = True
        assert box[0] <= side and box[1] <= side
        assert ((out[b] // 1000) == b).all()  # every pixel still comes from sample b
    assert changed_any


@pytest.mark.parametrize("transform", [
    lambda x, g: flip(x, 0.5, g),
    lambda x, g: shift(x, 2, g),
    lambda x, g: erase(x, 0.5, 0.3, 1, g),
    lambda x, g: patch_copy(x, 0.5, 0.3, g),
])
def test_samples_of_one_batch_get_different_draws(transform):
    x = torch.rand(1, 1, 28, 28).expand(128, 1, 28, 28).contiguous()
    out = transform(x, gen())
    assert len(torch.unique(out.flatten(1), dim=0)) > 1


@pytest.mark.parametrize("device", DEVICES)
def test_same_generator_seed_gives_the_same_output(device):
    aug = Augmentation(flip_p=0.5, crop_pad=2, erase_p=0.5, erase_size=0.3, erase_count=2, patch_p=0.5, patch_size=0.3)
    x = torch.rand(128, 1, 28, 28, device=device)
    first = aug(x, gen(7, device))
    assert first.device == x.device
    assert torch.equal(first, aug(x, gen(7, device)))
    assert not torch.equal(first, aug(x, gen(8, device)))
