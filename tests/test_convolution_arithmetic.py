"""The NumPy convolution arithmetic (book Sec. 8.1-8.4) against torch's layers and the book's numbers."""

import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlpbook import convolution_arithmetic as ca
from dlpbook.validation import ParameterError

BOOK_INPUT = np.array([[2.0, 1.0], [4.0, 3.0]])
"""The 2 x 2 input of the book's transposed convolution (Example 8.7, Fig. 8.9)."""
BOOK_OUTPUT = np.array([
    [2, 2, 3, 1, 1],
    [2, 2, 3, 1, 1],
    [6, 6, 10, 4, 4],
    [4, 4, 7, 3, 3],
    [4, 4, 7, 3, 3],
], dtype=float)
"""Its 5 x 5 output for a 3 x 3 kernel of ones and stride 2 (Fig. 8.9)."""
POOLING_INPUT = np.array([[3, 1, 2, 0], [3, 5, 9, 3], [4, 1, -1, 2], [2, 3, 1, 2]], dtype=float)
"""The 4 x 4 image of the pooling panel (Fig. 8.3d)."""


def torch_1d(x):
    return torch.as_tensor(np.asarray(x), dtype=torch.float64)[None, None]


@pytest.mark.parametrize(("size", "kernel", "stride", "padding", "dilation"),
                         [c for c in itertools.product([5, 7, 14, 32], [1, 2, 3, 5], [1, 2, 3], [0, 1, 2], [1, 2])
                          if c[0] + 2 * c[3] >= c[4] * (c[1] - 1) + 1])
def test_output_sizes_are_torch_layer_sizes(size, kernel, stride, padding, dilation):
    conv = torch.nn.Conv1d(1, 1, kernel, stride=stride, padding=padding, dilation=dilation)
    n_out = conv(torch.zeros(1, 1, size)).shape[-1]
    assert ca.conv_output_size(size, kernel, stride=stride, padding=padding, dilation=dilation) == n_out
    for output_padding in range(max(stride, dilation)):
        transposed = torch.nn.ConvTranspose1d(1, 1, kernel, stride=stride, padding=padding, dilation=dilation,
                                              output_padding=output_padding)
        if transposed(torch.zeros(1, 1, n_out)).shape[-1] == size:
            break
    else:
        pytest.fail("no output padding inverts the convolution's size")
    assert ca.transposed_conv_output_size(n_out, kernel, stride=stride, padding=padding, dilation=dilation,
                                          output_padding=output_padding) == size


def test_book_sizes_and_bad_arguments():
    assert ca.conv_output_size(7, 3) == 5  # Fig. 8.1b
    assert ca.conv_output_size(7, 3, padding=1) == 7  # Fig. 8.3a, "same"
    assert ca.conv_output_size(7, 3, stride=2) == 3  # Fig. 8.3b
    assert ca.conv_output_size(7, 3, dilation=2) == 3  # Fig. 8.3c: a 3 x 3 kernel spanning 5 x 5
    assert ca.conv_output_size(5, 3, stride=2) == 2 and ca.transposed_conv_output_size(2, 3, stride=2) == 5  # Fig. 8.9
    with pytest.raises(ParameterError) as error:
        ca.conv_output_size(4, 3, dilation=2)
    assert error.value.name == "kernel_size"
    for kwargs, name in [({"stride": 0}, "stride"), ({"padding": -1}, "padding"), ({"dilation": 1.5}, "dilation")]:
        with pytest.raises(ParameterError) as error:
            ca.conv_output_size(7, 3, **kwargs)
        assert error.value.name == name
    with pytest.raises(ParameterError, match="output_padding must be an integer >= 0 and <= 1"):
        ca.transposed_conv_output_size(3, 3, stride=2, output_padding=2)
    with pytest.raises(ParameterError) as error:
        ca.transposed_conv_output_size(1, 1, padding=1)
    assert error.value.name == "padding"


def measured_receptive_field(kernels, strides, dilations):
    """Input positions that reach the middle output of a stack of torch convolutions (by autograd)."""
    layers = [torch.nn.Conv1d(1, 1, k, stride=s, dilation=d, bias=False) for k, s, d in zip(kernels, strides, dilations)]
    for layer in layers:
        torch.nn.init.ones_(layer.weight)  # positive weights: no gradient cancels by accident
    x = torch.ones(1, 1, 400, requires_grad=True)
    y = torch.nn.Sequential(*layers)(x)
    y[0, 0, y.shape[-1] // 2].backward()
    seen = torch.nonzero(x.grad[0, 0]).ravel()
    return int(seen.max() - seen.min() + 1)


@pytest.mark.parametrize(("kernels", "strides", "dilations"), [
    ([3, 3, 3, 3], [1, 1, 1, 1], [1, 1, 1, 1]),  # Fig. 8.4a: 3, 5, 7, 9
    ([3, 3, 2, 3, 3, 2, 3], [1, 1, 2, 1, 1, 2, 1], [1] * 7),  # convolutions with 2 x 2 pooling (kernel = stride)
    ([3, 3, 3], [1, 1, 1], [1, 2, 4]),  # dilations doubling: the field grows exponentially
    ([5, 3, 1, 3], [2, 1, 3, 2], [1, 3, 1, 2]),
])
def test_receptive_fields_are_what_gradients_reach(kernels, strides, dilations):
    fields = ca.receptive_fields(kernels, strides, dilations)
    for depth in range(1, len(kernels) + 1):
        assert fields[depth - 1] == measured_receptive_field(kernels[:depth], strides[:depth], dilations[:depth])
    if strides == [1] * len(kernels) and dilations == strides:
        assert list(fields) == [3, 5, 7, 9]
    with pytest.raises(ParameterError) as error:
        ca.receptive_fields(kernels, strides[:-1])
    assert error.value.name == "strides"


def test_parameter_counts_are_eq_8_4_and_the_separable_formula():
    # Example 8.2: two 3 x 3 filters on RGB, against a dense layer with two nodes on a 32 x 32 x 3 image
    assert ca.conv_parameter_count(3, 2, 3) == 56 == sum(p.numel() for p in torch.nn.Conv2d(3, 2, 3).parameters())
    assert sum(p.numel() for p in torch.nn.Linear(32 * 32 * 3, 2).parameters()) == 6146
    for c, f, k in [(1, 16, 3), (16, 32, (3, 5)), (7, 2, 1)]:
        conv = torch.nn.Conv2d(c, f, k)
        assert ca.conv_parameter_count(c, f, k) == sum(p.numel() for p in conv.parameters())
    # Fig. 8.8: 64 -> 64 channels with 3 x 3 kernels
    assert ca.separable_conv_parameter_count(64, 64, 3) == 3 * 3 * 64 + 64 * 64 + 64 == 4736
    assert ca.conv_parameter_count(64, 64, 3) == 36928
    assert ca.separable_conv_parameter_count(4, 8, 3, depth_multiplier=2) == 9 * 8 + 8 * 8 + 8
    with pytest.raises(ParameterError) as error:
        ca.conv_parameter_count(3, 2, (3, 3, 3))
    assert error.value.name == "kernel_size"


def test_the_banded_matrix_of_fig_8_5_is_the_convolution():
    w = np.array([0.5, -1.0, 2.0])
    matrix = ca.convolution_matrix(w, 7)  # a 5-step trace with one zero of padding at each end
    assert matrix.shape == (5, 7)
    for i in range(5):
        np.testing.assert_array_equal(matrix[i, i : i + 3], w)
        assert np.count_nonzero(matrix[i]) == 3
    x = np.random.default_rng(0).normal(size=5)
    expected = F.conv1d(torch_1d(x), torch_1d(w), padding=1).numpy().ravel()
    np.testing.assert_allclose(matrix @ np.pad(x, 1), expected, rtol=1e-12)


@pytest.mark.parametrize(("size", "k", "stride", "dilation"), [(9, 3, 1, 1), (12, 4, 2, 1), (15, 3, 3, 2), (10, 2, 1, 4)])
def test_the_banded_matrix_and_its_transpose_are_conv1d_and_conv_transpose1d(size, k, stride, dilation):
    rng = np.random.default_rng(size)
    w, x = rng.normal(size=k), rng.normal(size=size)
    matrix = ca.convolution_matrix(w, size, stride=stride, dilation=dilation)
    y = F.conv1d(torch_1d(x), torch_1d(w), stride=stride, dilation=dilation).numpy().ravel()
    np.testing.assert_allclose(matrix @ x, y, rtol=1e-12, atol=1e-12)
    # the transposed convolution maps back with the transposed matrix (Sec. 8.4)
    z = rng.normal(size=len(y))
    back = F.conv_transpose1d(torch_1d(z), torch_1d(w), stride=stride, dilation=dilation).numpy().ravel()
    np.testing.assert_allclose((matrix.T @ z)[: len(back)], back, rtol=1e-12, atol=1e-12)
    assert not np.any((matrix.T @ z)[len(back):])  # inputs no output reaches get nothing back


@pytest.mark.parametrize(("stride", "padding", "dilation"), [(1, 0, 1), (1, 1, 1), (2, 0, 1), (2, 1, 2), (3, 2, 1)])
def test_convolve2d_is_torch_conv2d(stride, padding, dilation):
    rng = np.random.default_rng(stride + padding + dilation)
    image, kernel = rng.normal(size=(9, 11)), rng.normal(size=(3, 2))
    expected = F.conv2d(torch.as_tensor(image)[None, None], torch.as_tensor(kernel)[None, None], stride=stride,
                        padding=padding, dilation=dilation)[0, 0].numpy()
    result = ca.convolve2d(image, kernel, stride=stride, padding=padding, dilation=dilation)
    assert result.shape == expected.shape
    np.testing.assert_allclose(result, expected, rtol=1e-12, atol=1e-12)


def test_pooling_of_fig_8_3d():
    image = torch.as_tensor(POOLING_INPUT)[None, None]
    np.testing.assert_array_equal(ca.pool2d(POOLING_INPUT, 2), [[5, 9], [4, 2]])
    np.testing.assert_array_equal(ca.pool2d(POOLING_INPUT, 2), F.max_pool2d(image, 2)[0, 0].numpy())
    np.testing.assert_array_equal(ca.pool2d(POOLING_INPUT, 2, mode="average"), [[3, 3.5], [2.5, 1]])
    np.testing.assert_allclose(ca.pool2d(POOLING_INPUT, 2, mode="average"), F.avg_pool2d(image, 2)[0, 0].numpy())
    odd = np.arange(35.0).reshape(5, 7)
    np.testing.assert_array_equal(ca.pool2d(odd, 2), F.max_pool2d(torch.as_tensor(odd)[None, None], 2)[0, 0].numpy())
    with pytest.raises(ParameterError) as error:
        ca.pool2d(POOLING_INPUT, 5)
    assert error.value.name == "size"
    with pytest.raises(ParameterError, match="mode must be one of 'max', 'average'"):
        ca.pool2d(POOLING_INPUT, 2, mode="min")


def test_transposed_convolution_of_fig_8_9():
    result = ca.transposed_convolve2d(BOOK_INPUT, np.ones((3, 3)), stride=2)
    np.testing.assert_array_equal(result, BOOK_OUTPUT)
    layer = torch.nn.ConvTranspose2d(1, 1, 3, stride=2, bias=False)
    torch.nn.init.ones_(layer.weight)
    with torch.no_grad():
        np.testing.assert_array_equal(layer(torch.as_tensor(BOOK_INPUT, dtype=torch.float32)[None, None])[0, 0].numpy(),
                                      BOOK_OUTPUT)


@pytest.mark.parametrize("stride", [1, 2, 3])
def test_transposed_convolve2d_is_torch_conv_transpose2d(stride):
    rng = np.random.default_rng(stride)
    image, kernel = rng.normal(size=(4, 3)), rng.normal(size=(3, 2))
    expected = F.conv_transpose2d(torch.as_tensor(image)[None, None], torch.as_tensor(kernel)[None, None],
                                  stride=stride)[0, 0].numpy()
    np.testing.assert_allclose(ca.transposed_convolve2d(image, kernel, stride=stride), expected, rtol=1e-12, atol=1e-12)


def test_two_dimensional_helpers_reject_other_shapes():
    with pytest.raises(ValueError, match="kernel must be a non-empty 2D array, got shape"):
        ca.convolve2d(np.ones((4, 4)), np.ones(3))
    with pytest.raises(ValueError, match="image must be a non-empty 2D array"):
        ca.transposed_convolve2d(np.ones((0, 2)), np.ones((2, 2)))
    with pytest.raises(ValueError, match="kernel must be a non-empty 1D array"):
        ca.convolution_matrix(np.ones((2, 2)), 5)


def test_stage_filters_fit_the_image():
    assert ca.check_stage_filters((32, 64, 128), 14) == [32, 64, 128]  # 14 -> 7 -> 3
    assert ca.check_stage_filters([8] * 4, 14) == [8] * 4  # 14 -> 7 -> 3 -> 1
    with pytest.raises(ParameterError, match="filters must be a list of at most 4 stages for 14 x 14 inputs"):
        ca.check_stage_filters([8] * 5, 14)
    with pytest.raises(ParameterError) as error:
        ca.check_stage_filters([], 14)
    assert error.value.name == "filters"
