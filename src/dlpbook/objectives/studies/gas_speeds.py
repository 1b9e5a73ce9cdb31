"""Helium speeds: a classifier's likelihood ratio and the gas thermometer (Sec. 14.2, Example 14.4).

:func:`speed_ratio_study` trains a classifier of Maxwell-Boltzmann speeds against Gaussian
speeds with the same mean and variance (:func:`matched_gaussian`) and compares its ``D / (1 - D)``
with the analytic ratio (Neyman-Pearson, Eqs. 14.14, 14.15); :func:`thermometer_study` trains the
thermometer network of Example 14.4 and keeps the analytic estimator beside it.
"""

from __future__ import annotations

import dataclasses
import functools

import numpy as np
import torch
from scipy import integrate, stats

from ...data import gas
from ...nn import mlp as mlp_module
from ...result_cache import cached_result
from .. import gas_temperature, likelihood_ratio
from .common import TRAINING_MODULES, cache_key, from_cache_key, register, study_settings


@dataclasses.dataclass(frozen=True)
class RatioSettings:
    """``n`` Maxwell-Boltzmann speeds of helium at ``temperature_k`` and ``n`` speeds of the
    matched Gaussian; the classifier's widths and training."""

    n: int
    temperature_k: float
    hidden: tuple[int, ...]
    epochs: int
    batch_size: int
    learning_rate: float
    seed: int = 3


@dataclasses.dataclass(frozen=True)
class ThermometerSettings:
    """Gas samples of ``n_atoms`` helium atoms at 100-1000 K for training and testing, and the
    thermometer network's training (Example 14.4)."""

    n_train: int
    n_test: int
    n_atoms: int
    hidden: tuple[int, ...]
    epochs: int
    batch_size: int
    learning_rate: float
    seed: int = 0


register("ratio", quick=RatioSettings(10_000, 300.0, (16,), 10, 512, 2e-2),
         full=RatioSettings(200_000, 300.0, (32, 32), 20, 1024, 3e-3))
register("thermometer", quick=ThermometerSettings(2000, 500, 30, (32,), 8, 50, 1e-2),
         full=ThermometerSettings(20_000, 2000, 30, (64, 64), 50, 64, 3e-3))


def matched_gaussian(temperature_k: float, mass_u: float = gas.HELIUM_MASS_U):
    """The Gaussian speed density with the Maxwell-Boltzmann mean and variance, truncated at v = 0.

    Returns a frozen :func:`scipy.stats.truncnorm` in m/s (mean ``sqrt(8/pi) a``, variance
    ``(3 - 8/pi) a^2`` with ``a = sqrt(k_B T / m)``; the cut removes 0.9 % of it).
    """
    scale = gas.velocity_scale(temperature_k, mass_u)
    mean, std = np.sqrt(8 / np.pi) * scale, np.sqrt(3 - 8 / np.pi) * scale
    return stats.truncnorm(-mean / std, np.inf, loc=mean, scale=std)


def _log_ratio_mean(p, q, upper: float) -> float:
    """``E_p[ln p / q] = D_KL(p || q)`` by quadrature on [0, upper] (Eq. 14.15)."""
    def integrand(v: float) -> float:
        density = p(v)  # once: a scipy density costs about 0.1 ms a call, and quad calls this some 400 times
        return density * np.log(density / q(v)) if density > 0 else 0.0

    value, _ = integrate.quad(integrand, 0, upper, limit=200)
    return float(value)


@cached_result(depends=(gas, likelihood_ratio, mlp_module, *TRAINING_MODULES))
def _train_speed_ratio(run: dict, *, seed: int) -> dict[str, np.ndarray]:
    settings = from_cache_key(RatioSettings, run, seed)
    speed_mb = gas.simulate(settings.n, seed=seed, temperature_k=settings.temperature_k)["speed"]
    speed_gauss = matched_gaussian(settings.temperature_k).rvs(settings.n, random_state=np.random.default_rng(seed))
    # the network sees km/s, numbers of order 1
    classifier, history = likelihood_ratio.train_ratio_classifier(
        speed_mb / 1000, speed_gauss / 1000, hidden=settings.hidden, epochs=settings.epochs,
        batch_size=settings.batch_size, learning_rate=settings.learning_rate, seed=seed)
    grid = np.linspace(0, 3500, 141)
    gaussian = matched_gaussian(settings.temperature_k)
    p_mb = functools.partial(gas.maxwell_boltzmann_pdf, temperature_k=settings.temperature_k)
    upper = 10 * gas.velocity_scale(settings.temperature_k)
    return {
        "speed": grid,
        "ratio:classifier": likelihood_ratio.likelihood_ratio(classifier, grid / 1000),
        "speed:mb": speed_mb,
        "speed:gauss": speed_gauss,
        "loss": np.asarray(history["loss"]),
        "ratio:analytic": gas.maxwell_boltzmann_pdf(grid, settings.temperature_k) / gaussian.pdf(grid),
        "kl:mb_gauss": _log_ratio_mean(p_mb, gaussian.pdf, upper),
        "kl:gauss_mb": _log_ratio_mean(gaussian.pdf, p_mb, upper),
    }


def speed_ratio_study(settings: RatioSettings | None = None) -> dict[str, np.ndarray]:
    """A classifier's likelihood ratio against the analytic one (cached).

    Maxwell-Boltzmann speeds (label 1) against speeds of :func:`matched_gaussian` (label 0).

    Returns
    -------
    dict
        ``speed`` (m/s grid); ``ratio:classifier`` and ``ratio:analytic`` on it; ``speed:mb``,
        ``speed:gauss`` the two samples, m/s; ``kl:mb_gauss`` and ``kl:gauss_mb`` the two
        divergences in nats by quadrature (Eq. 14.15); ``loss`` the BCE per epoch.
    """
    settings = settings or study_settings("ratio")
    return _train_speed_ratio(cache_key(settings), seed=settings.seed)


@cached_result(depends=(gas, gas_temperature, *TRAINING_MODULES))
def _train_thermometer(run: dict, *, seed: int) -> dict[str, np.ndarray]:
    settings = from_cache_key(ThermometerSettings, run, seed)
    train = gas.thermometer_sets(settings.n_train, settings.n_atoms, seed=seed)
    test = gas.thermometer_sets(settings.n_test, settings.n_atoms, seed=seed + 1)
    model, history = gas_temperature.train_gas_thermometer(
        train["speed"], train["T"], hidden=settings.hidden, epochs=settings.epochs, batch_size=settings.batch_size,
        learning_rate=settings.learning_rate, seed=seed)
    with torch.no_grad():
        network = model(torch.as_tensor(test["speed"], dtype=torch.float32)).double().numpy()
    return {"T": test["T"], "network": network, "analytic": gas.temperature_estimate(test["speed"]),
            "loss": np.asarray(history["loss"])}


def thermometer_study(settings: ThermometerSettings | None = None) -> dict[str, np.ndarray]:
    """The thermometer network and the analytic estimator on test samples (cached; Example 14.4).

    Returns
    -------
    dict
        ``T`` true temperatures, K; ``network`` and ``analytic`` (``m <v^2> / 3 k_B``) estimates,
        K; ``loss`` the training MSE (of ``T / T_unit``) per epoch.
    """
    settings = settings or study_settings("thermometer")
    return _train_thermometer(cache_key(settings), seed=settings.seed)


def relative_resolution(estimate, truth) -> float:
    """Root-mean-square relative deviation ``sqrt(<(T_hat / T - 1)^2>)``."""
    return float(np.sqrt(np.mean((np.asarray(estimate) / np.asarray(truth) - 1) ** 2)))
