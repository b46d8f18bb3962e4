import pytest
import torch

from sweep_trainer.model import GeneralRelu, ResBlock, build_model, res_blocks


@pytest.mark.parametrize("widths", [[8, 16], [16, 32, 64, 128, 256, 512], [4, 4, 4, 4, 4, 4, 4, 4]])
def test_maps_a_batch_of_images_to_ten_logits(widths):
    model = build_model(widths, dropout=0.1, mean=0.29, std=0.35).eval()
    assert model(torch.rand(3, 1, 28, 28)).shape == (3, 10)


def test_has_one_stride_1_block_then_one_stride_2_block_per_further_width():
    blocks = res_blocks(build_model([8, 16, 32], 0.0, 0.0, 1.0))
    assert len(blocks) == 3
    x = torch.rand(2, 1, 28, 28)
    sizes = []
    for block in blocks:
        x = block(x)
        sizes.append(tuple(x.shape[1:]))
    assert sizes == [(8, 28, 28), (16, 14, 14), (32, 7, 7)]


def test_identity_path_is_pooled_and_widened_only_when_needed():
    same = ResBlock(8, 8)
    assert isinstance(same.idconv, torch.nn.Identity) and isinstance(same.pool, torch.nn.Identity)
    down = ResBlock(8, 16, stride=2)
    assert isinstance(down.pool, torch.nn.AvgPool2d)
    assert isinstance(down.idconv, torch.nn.Conv2d) and down.idconv.kernel_size == (1, 1) and down.idconv.bias is not None


def test_general_relu_is_leaky_relu_shifted_down():
    x = torch.tensor([-10.0, 0.0, 2.0])
    assert torch.allclose(GeneralRelu(leak=0.1, sub=0.4)(x), torch.tensor([-1.4, -0.4, 1.6]))


def test_normalises_inputs_with_the_given_mean_and_std():
    model = build_model([8, 16], 0.0, mean=0.25, std=0.5)
    normalize = model[0]
    assert torch.allclose(normalize(torch.tensor([0.25, 0.75])), torch.tensor([0.0, 1.0]))
