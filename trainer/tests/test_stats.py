import pytest
import torch

from sweep_trainer.stats import BINS, layer_event, layer_stats


def stats_of(values):
    return layer_event("block0", layer_stats(torch.tensor(values)).tolist())


def test_histogram_counts_abs_values_in_40_bins_with_overflow_in_the_last():
    values = [0.0, 0.1, -0.2, 0.3, 5.0, -5.0, 10.0, 50.0]
    event = stats_of(values)
    expected = [0] * BINS
    expected[0] = 3  # |v| < 0.25
    expected[1] = 1  # 0.3
    expected[20] = 2  # |±5.0| / 0.25
    expected[39] = 2  # 10.0 and 50.0, which is beyond the range
    assert event["hist"] == expected
    assert event["mean"] == pytest.approx(torch.tensor(values).mean().item())
    assert event["std"] == pytest.approx(torch.tensor(values).std().item())


def test_dead_is_the_share_of_values_in_the_lowest_bin():
    assert stats_of([0.0, 0.01, -0.24, 0.3])["dead"] == pytest.approx(0.75)
    assert stats_of([1.0, 2.0])["dead"] == 0.0
    assert stats_of([0.0] * 10)["dead"] == 1.0


def test_works_on_any_shape_and_dtype():
    act = torch.zeros(4, 8, 7, 7, dtype=torch.float64)
    event = layer_event("block3", layer_stats(act).tolist())
    assert sum(event["hist"]) == act.numel() and event["name"] == "block3"
