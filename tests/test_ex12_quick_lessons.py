"""The quick profile of Ex. 12.1 and 12.2 must still show what the pages claim (book Sec. 12.4)."""

import numpy as np
import pytest
import torch

from dlpbook.exercises import cnn_features as cf


@pytest.fixture(scope="module")
def module_cache(tmp_path_factory):
    """One private cache for the module's runs, so that each training runs once."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def digits_cnn(module_cache):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DLPBOOK_CACHE", str(module_cache))
        return cf.trained_digits_cnn("quick", seed=0)


def test_the_trained_digits_cnn_is_cached_and_classifies_the_test_digits(digits_cnn, module_cache):
    split = cf.digits_split("quick")
    assert not digits_cnn.training
    with torch.no_grad():
        probabilities = digits_cnn(torch.as_tensor(split.x_test))
        scores = digits_cnn[:-1](torch.as_tensor(split.x_test))
    assert probabilities.shape == (len(split.y_test), 10)
    torch.testing.assert_close(torch.softmax(scores, dim=1), probabilities)
    accuracy = float(np.mean(probabilities.argmax(1).numpy() == split.y_test))
    assert accuracy > 0.85  # chance: 0.1
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DLPBOOK_CACHE", str(module_cache))
        again = cf.trained_digits_cnn("quick", seed=0)  # read back from the cache: the same weights
    for (name, a), b in zip(digits_cnn.state_dict().items(), again.state_dict().values()):
        torch.testing.assert_close(a, b, msg=name)
