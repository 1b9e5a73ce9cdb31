"""dlpbook.objectives.rbm on a tiny, exactly enumerable machine: the free energy and conditionals
against Eqs. 14.41, 14.42 by enumeration, and CD-1 raising the exact likelihood of the data."""

import itertools

import numpy as np
import pytest
import torch

from dlpbook.objectives import rbm
from dlpbook.validation import ParameterError


def random_rbm(n_visible=5, n_hidden=3, seed=0):
    model = rbm.RBM(n_visible, n_hidden, seed=seed)
    generator = torch.Generator().manual_seed(seed + 1)
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.copy_(torch.randn(parameter.shape, generator=generator, dtype=torch.float64))
    return model


def states(n):
    return torch.tensor(list(itertools.product((0.0, 1.0), repeat=n)), dtype=torch.float64)


def test_the_free_energy_and_partition_function_sum_the_energy_over_all_states():
    model = random_rbm()
    x, h = states(5), states(3)
    energies = torch.stack([model.energy(x, h_row.expand(len(x), 3)) for h_row in h], 1)  # (2^5, 2^3)
    torch.testing.assert_close(model.free_energy(x), -torch.logsumexp(-energies, 1))
    torch.testing.assert_close(model.log_partition(), torch.logsumexp(-energies.ravel(), 0))
    torch.testing.assert_close(model.log_likelihood(x).exp().sum(), torch.tensor(1.0, dtype=torch.float64))
    wide = random_rbm(3, 5)  # fewer visible than hidden units: Z sums over the visible states
    torch.testing.assert_close(wide.log_likelihood(states(3)).exp().sum(), torch.tensor(1.0, dtype=torch.float64))


def test_the_conditionals_are_the_normalised_joint_distribution():
    model = random_rbm()
    x, h = states(5)[[3, 17]], states(3)
    joint = torch.exp(-torch.stack([model.energy(x, h_row.expand(2, 3)) for h_row in h], 1))
    p_h = joint / joint.sum(1, keepdim=True)
    torch.testing.assert_close(model.hidden_probability(x), p_h @ h)  # p(h_j = 1 | x)


def test_contrastive_divergence_raises_the_exact_likelihood_of_the_data():
    patterns = np.array([[1, 1, 1, 0, 0, 0], [0, 0, 0, 1, 1, 1], [1, 0, 1, 0, 1, 0]], dtype=float)
    data = np.repeat(patterns, 20, axis=0)
    untrained = rbm.RBM(6, 4, seed=0)
    model, history = rbm.train_rbm(data, 4, k=1, epochs=20, batch_size=10, learning_rate=0.5, seed=0)
    x = torch.as_tensor(data)
    with torch.no_grad():
        before, after = float(untrained.log_likelihood(x).mean()), float(model.log_likelihood(x).mean())
        mass_on_patterns = float(model.log_likelihood(torch.as_tensor(patterns)).exp().sum())
    assert before == pytest.approx(-6 * np.log(2), abs=0.05)  # nearly uniform at the start
    assert after > before + 2.0
    assert history["free_energy"][-1] < history["free_energy"][0]
    assert mass_on_patterns > 0.3  # uniform: 3 / 64


def test_gibbs_sampling_reproduces_the_model_distribution():
    model = random_rbm(4, 2, seed=3)
    chains = model.sample(torch.zeros(20_000, 4, dtype=torch.float64), 30, torch.Generator().manual_seed(0))
    index = (chains @ torch.tensor([8.0, 4.0, 2.0, 1.0], dtype=torch.float64)).long()
    empirical = torch.bincount(index, minlength=16).double() / len(index)
    torch.testing.assert_close(empirical, model.log_likelihood(states(4)).exp(), atol=0.015, rtol=0)


def test_bad_arguments_are_refused():
    with pytest.raises(ParameterError, match="data"):
        rbm.train_rbm([[0, 2]], 2)
    with pytest.raises(ParameterError, match="n_hidden"):
        rbm.RBM(3, 0)
    with pytest.raises(ParameterError, match="k"):
        rbm.train_rbm([[0, 1]], 2, k=0)
    with pytest.raises(ParameterError, match="n_visible"):
        rbm.RBM(21, 21).log_partition()
