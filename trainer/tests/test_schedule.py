import math

import pytest
import torch

from sweep_trainer.schedule import DIV, FINAL_DIV, MOM_MAX, MOM_MIN, PCT_START, one_cycle


def test_starts_low_peaks_after_the_warm_up_and_ends_near_zero():
    total, max_lr = 100, 0.01
    assert one_cycle(0, total, max_lr) == pytest.approx((max_lr / DIV, MOM_MAX))
    peak = int(PCT_START * total) - 1
    assert one_cycle(peak, total, max_lr) == pytest.approx((max_lr, MOM_MIN))
    assert one_cycle(total - 1, total, max_lr) == pytest.approx((max_lr / DIV / FINAL_DIV, MOM_MAX))


def test_lr_rises_then_falls_and_momentum_mirrors_it():
    lrs, moms = zip(*(one_cycle(s, 50, 0.1) for s in range(50)))
    top = lrs.index(max(lrs))
    assert all(a < b for a, b in zip(lrs[:top], lrs[1 : top + 1]))
    assert all(a > b for a, b in zip(lrs[top:], lrs[top + 1 :]))
    assert moms.index(min(moms)) == top


@pytest.mark.parametrize("total", [4, 10, 37, 250])
def test_agrees_with_torch_one_cycle_lr_on_adamw(total):
    param = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.AdamW([param], lr=1.0)
    torch_schedule = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.03, total_steps=total)
    for step in range(total):
        lr, mom = one_cycle(step, total, 0.03)
        group = opt.param_groups[0]
        assert math.isclose(lr, group["lr"], rel_tol=1e-12)
        assert math.isclose(mom, group["betas"][0], rel_tol=1e-12)
        opt.step()
        torch_schedule.step()


@pytest.mark.parametrize("total", [1, 2, 3])
def test_runs_too_short_for_a_warm_up_start_at_the_peak(total):
    assert one_cycle(0, total, 0.01) == pytest.approx((0.01, MOM_MIN))
    assert all(math.isfinite(v) for s in range(total) for v in one_cycle(s, total, 0.01))
