"""The quick profile of the chapter 8 page must still show what its text says.

Runs the code cells of book/ch08-convolutional.md in the quick profile (figures drawn off
screen) and checks the claims of the text: the numeric examples agree with PyTorch's own
operations, and the small Ising CNN classifies the phase well, all its mistakes within a few
tenths of T_c (quick run: test accuracy 0.92, the largest |T - T_c| of a mistake 0.29).
"""

import numpy as np
import torch
from page_cells import BOOK, code_cells, page_fixture
from torch.nn import functional as F

PAGE = BOOK / "ch08-convolutional.md"

page = page_fixture(PAGE)  # the variables of the page after running all its cells


def test_the_page_has_code_cells():
    assert len(code_cells(PAGE)) >= 15


def test_the_numeric_examples_agree_with_torch(page):
    image, kernel = torch.tensor(page["image"])[None, None], torch.tensor(page["kernel"])[None, None]
    np.testing.assert_allclose(F.conv2d(image, kernel)[0, 0].numpy(), page["feature_map"])
    np.testing.assert_allclose(page["as_dense"], page["as_conv"])  # the banded matrix is the convolution
    np.testing.assert_allclose(page["torch_up"][0, 0].numpy(), page["upsampled"])  # 2 x 2 -> 5 x 5
    assert page["upsampled"].shape == (5, 5)


def test_the_ising_cnn_errs_only_near_the_critical_temperature(page):
    correct, t_test, far = page["correct"], page["t_test"], page["far"]
    assert correct.mean() > 0.85
    assert correct[far].all()  # away from T_c "essentially always right"
    assert np.abs(t_test[~correct] - page["T_C"]).max() < 0.5  # "within a few tenths of T_c"
