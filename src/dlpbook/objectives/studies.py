"""The worked examples of chapter 14, trained once and shared by the page, the gallery and the tests.

Each study has a frozen settings object per execution profile (:func:`study_settings`); its
training runs through :func:`dlpbook.result_cache.cached_result`, so that the chapter page and
a gallery script that show the same networks train them once per code version and profile.

- :func:`spring_networks`, :func:`spring_trajectories`: a Hamiltonian network and a plain
  network learn the mass-spring field (Example 14.5, Fig. 14.3);
- :func:`speed_ratio_study`: a classifier's ``D / (1 - D)`` against the analytic ratio of a
  Maxwell-Boltzmann and a Gaussian speed density (Sec. 14.2, Neyman-Pearson);
- :func:`thermometer_study`: the gas thermometer network against the analytic estimator
  (Example 14.4);
- :func:`ising_rbm_study`: a restricted Boltzmann machine learns the exactly known Boltzmann
  distribution of a 4 x 4 Ising lattice with CD-k (Sec. 14.6);
- :func:`line_with_outliers`, :func:`robust_line_fit`, :func:`adaptive_line_fit`: a calibration
  line with outliers, fitted with Barron's loss (Sec. 14.4);
- :func:`barron_curves`: densities, losses and derivatives of the Barron family (Fig. 14.2);
- :func:`evolve_classifier`, :func:`classifier_search_study`: a network trained on its error
  rate by an evolution strategy (Sec. 14.7).
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import itertools
from collections.abc import Sequence

import numpy as np
import torch
from scipy import integrate, stats

from .. import config
from ..data import gas, ising, oscillators, toys
from ..nn import mlp as mlp_module
from ..nn.mlp import MLP, mlp
from ..result_cache import cached_result
from ..train import fit
from ..validation import ParameterError, check_choice, check_count, check_float, check_int, check_positive, check_seed
from . import gas_temperature, gradient_free, hamiltonian, likelihood_ratio, rbm, robust_loss
from .fitting import FitResult, minimize

_TRAINING = tuple(importlib.import_module(f"dlpbook.train.{name}") for name in ("fit", "batches", "loop"))


@dataclasses.dataclass(frozen=True)
class SpringSettings:
    """Data and training of the Hamiltonian and the plain network (Example 14.5).

    ``n_trajectories`` mass-spring trajectories of ``n_steps`` samples ``dt`` apart, with
    Gaussian noise ``noise_std`` on ``q, p, dq/dt, dp/dt``; tanh networks of widths ``hidden``
    trained with Adam.
    """

    n_trajectories: int
    n_steps: int
    dt: float
    noise_std: float
    hidden: tuple[int, ...]
    epochs: int
    batch_size: int
    learning_rate: float
    seed: int = 1


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


@dataclasses.dataclass(frozen=True)
class IsingRBMSettings:
    """``n_samples`` exact Boltzmann samples of an ``size x size`` Ising lattice at
    ``temperature``; an RBM with ``n_hidden`` units trained with CD-``k`` and plain SGD."""

    size: int
    temperature: float
    n_samples: int
    n_hidden: int
    k: int
    epochs: int
    batch_size: int
    learning_rate: float
    seed: int = 0


@dataclasses.dataclass(frozen=True)
class SearchSettings:
    """``n_points`` points of :func:`dlpbook.data.toys.curved_classes` (label noise ``noise``), a
    tanh network of widths ``hidden`` and the evaluation budget of the evolution strategy."""

    n_points: int
    noise: float
    hidden: tuple[int, ...]
    max_evaluations: int
    seed: int = 3


_SETTINGS = {
    "spring": {
        "quick": SpringSettings(25, 20, 0.3, 0.05, (32,), 40, 50, 1e-2),
        "full": SpringSettings(50, 30, 0.2, 0.1, (200, 200), 500, 100, 1e-3),
    },
    "ratio": {
        "quick": RatioSettings(10_000, 300.0, (16,), 20, 256, 1e-2),
        "full": RatioSettings(200_000, 300.0, (32, 32), 20, 1024, 3e-3),
    },
    "thermometer": {
        "quick": ThermometerSettings(2000, 500, 30, (32,), 15, 50, 1e-2),
        "full": ThermometerSettings(20_000, 2000, 30, (64, 64), 50, 64, 3e-3),
    },
    "ising_rbm": {
        "quick": IsingRBMSettings(4, 2.5, 2000, 8, 3, 20, 20, 0.1),
        "full": IsingRBMSettings(4, 2.5, 20_000, 16, 5, 50, 20, 0.05),
    },
    "search": {
        "quick": SearchSettings(400, 0.15, (8,), 3000),
        "full": SearchSettings(2000, 0.15, (8,), 20_000),
    },
}
STUDIES = tuple(_SETTINGS)
"""The names of the studies with settings."""


def study_settings(study: str, profile: str | None = None):
    """The settings of ``study`` (one of :data:`STUDIES`) in ``profile`` (default: the active one)."""
    check_choice(study, "study", STUDIES)
    name = config.profile() if profile is None else check_choice(profile, "profile", config.PROFILES)
    return _SETTINGS[study][name]


def _weights(prefix: str, model: torch.nn.Module) -> dict[str, np.ndarray]:
    return {f"{prefix}:{key}": value.detach().cpu().numpy() for key, value in model.state_dict().items()}


def _load(model: torch.nn.Module, prefix: str, arrays) -> torch.nn.Module:
    stored = {key.removeprefix(f"{prefix}:"): torch.from_numpy(value) for key, value in arrays.items()
              if key.startswith(f"{prefix}:")}
    model.load_state_dict(stored)
    return model.eval()


def _cache_key(settings) -> dict:
    """The settings as plain arguments of a cached function (tuples as lists; the seed apart)."""
    return {key: list(value) if isinstance(value, tuple) else value
            for key, value in dataclasses.asdict(settings).items() if key != "seed"}


def _from_cache_key(settings_class: type, run: dict, seed: int):
    """The settings object back from :func:`_cache_key`."""
    fields = {key: tuple(value) if isinstance(value, list) else value for key, value in run.items()}
    return settings_class(**fields, seed=seed)


# --- Hamiltonian network against a plain network (Example 14.5, Fig. 14.3) -------------------


@dataclasses.dataclass(frozen=True)
class SpringNetworks:
    """The two trained networks of Fig. 14.3 and their loss per epoch."""

    hnn: hamiltonian.HamiltonianNetwork
    baseline: MLP
    hnn_loss: np.ndarray
    baseline_loss: np.ndarray
    settings: SpringSettings


def spring_training_data(settings: SpringSettings) -> tuple[np.ndarray, np.ndarray]:
    """States ``(q, p)`` and observed ``(dq/dt, dp/dt)`` of the noisy spring trajectories, ``(n, 2)`` each."""
    data = oscillators.simulate(settings.n_trajectories, seed=settings.seed, n_steps=settings.n_steps,
                                dt=settings.dt, noise_std=settings.noise_std)
    states = np.stack([data["q"].ravel(), data["p"].ravel()], 1).astype(np.float32)
    derivatives = np.stack([data["dq"].ravel(), data["dp"].ravel()], 1).astype(np.float32)
    return states, derivatives


@cached_result(depends=(hamiltonian, oscillators, mlp_module, *_TRAINING))
def _train_spring(run: dict, *, seed: int) -> dict[str, np.ndarray]:
    settings = _from_cache_key(SpringSettings, run, seed)
    states, derivatives = spring_training_data(settings)
    networks = {"hnn": hamiltonian.HamiltonianNetwork(settings.hidden, seed=seed),
                "baseline": hamiltonian.baseline_network(settings.hidden, seed=seed)}
    arrays = {}
    for name, model in networks.items():
        # the Hamiltonian network meets the observations only through the gradients of H (Eq. 14.35)
        loss = hamiltonian.hamiltonian_loss if name == "hnn" else torch.nn.MSELoss()
        history = fit(model, (states, derivatives), loss=loss, epochs=settings.epochs, batch_size=settings.batch_size,
                      optimizer=torch.optim.Adam(model.parameters(), lr=settings.learning_rate), seed=seed,
                      progress=False, device="cpu")
        arrays.update({f"loss:{name}": np.asarray(history["loss"]), **_weights(name, model)})
    return arrays


def spring_networks(settings: SpringSettings | None = None) -> SpringNetworks:
    """The Hamiltonian and the plain network trained on the noisy spring (cached; Example 14.5).

    Both are tanh networks of the same widths, trained on the same states: the Hamiltonian
    network with the corrected Eq. 14.35, the plain one with the MSE of ``(dq/dt, dp/dt)``.
    """
    settings = settings or study_settings("spring")
    arrays = _train_spring(_cache_key(settings), seed=settings.seed)
    hnn = _load(hamiltonian.HamiltonianNetwork(settings.hidden), "hnn", arrays)
    baseline = _load(hamiltonian.baseline_network(settings.hidden), "baseline", arrays)
    return SpringNetworks(hnn, baseline, arrays["loss:hnn"], arrays["loss:baseline"], settings)


def spring_field(states: torch.Tensor) -> torch.Tensor:
    """The exact mass-spring field ``(dq/dt, dp/dt) = (p, -q)`` (Eqs. 14.39, 14.40 with k = m = 1)."""
    return torch.stack([states[..., 1], -oscillators.SPRING_K * states[..., 0]], -1)


def spring_trajectories(networks: SpringNetworks, start, *, dt: float = 0.2, n_steps: int = 300) -> dict[str, np.ndarray]:
    """Orbits from ``start`` stepped with RK4 in the exact and the two learned fields.

    Parameters
    ----------
    networks
        From :func:`spring_networks`.
    start
        One state ``(q, p)``.
    dt, n_steps
        Time step and number of steps.

    Returns
    -------
    dict
        ``t`` (n_steps + 1,); ``exact``, ``hnn``, ``baseline`` (n_steps + 1, 2) states ``(q, p)``;
        ``energy:<name>`` (n_steps + 1,) the true energy ``H = (q^2 + p^2) / 2`` along each orbit.
    """
    start = np.asarray(start, dtype=np.float32)
    if start.shape != (2,) or not np.all(np.isfinite(start)):
        raise ParameterError("start", "one finite state (q, p)", start)
    fields = {"exact": spring_field, "hnn": networks.hnn, "baseline": networks.baseline}
    result = {"t": dt * np.arange(check_count(n_steps, "n_steps") + 1)}
    for name, field in fields.items():
        path = hamiltonian.integrate(field, torch.from_numpy(start), dt=dt, n_steps=n_steps, method="rk4").numpy()
        result[name] = path
        result[f"energy:{name}"] = oscillators.hamiltonian(path[:, 0], path[:, 1])
    return result


def energy_drift(energy: np.ndarray) -> float:
    """The largest relative deviation ``max |E(t) / E(0) - 1|`` along an orbit."""
    energy = np.asarray(energy, dtype=float)
    return float(np.max(np.abs(energy / energy[0] - 1)))


# --- Neyman-Pearson with a classifier (Sec. 14.2) --------------------------------------------


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
    value, _ = integrate.quad(lambda v: p(v) * np.log(p(v) / q(v)) if p(v) > 0 else 0.0, 0, upper, limit=200)
    return float(value)


@cached_result(depends=(gas, likelihood_ratio, mlp_module, *_TRAINING))
def _train_speed_ratio(run: dict, *, seed: int) -> dict[str, np.ndarray]:
    settings = _from_cache_key(RatioSettings, run, seed)
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
    return _train_speed_ratio(_cache_key(settings), seed=settings.seed)


# --- The gas thermometer (Example 14.4) ------------------------------------------------------


@cached_result(depends=(gas, gas_temperature, *_TRAINING))
def _train_thermometer(run: dict, *, seed: int) -> dict[str, np.ndarray]:
    settings = _from_cache_key(ThermometerSettings, run, seed)
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
    return _train_thermometer(_cache_key(settings), seed=settings.seed)


def relative_resolution(estimate, truth) -> float:
    """Root-mean-square relative deviation ``sqrt(<(T_hat / T - 1)^2>)``."""
    return float(np.sqrt(np.mean((np.asarray(estimate) / np.asarray(truth) - 1) ** 2)))


# --- A restricted Boltzmann machine on the Ising model (Sec. 14.6) ----------------------------

MAX_ISING_ENUMERATION = 4
"""Largest lattice of :func:`ising_boltzmann_distribution` (2^16 states)."""


def ising_boltzmann_distribution(size: int, temperature: float) -> tuple[np.ndarray, np.ndarray]:
    """All ``2^(size^2)`` spin configurations of a periodic Ising lattice and their Boltzmann probabilities.

    Parameters
    ----------
    size
        Linear lattice size, 2 to :data:`MAX_ISING_ENUMERATION`.
    temperature
        ``T`` in units of ``J / k_B`` (> 0).

    Returns
    -------
    states : (2^(size^2), size, size) int8 of +-1
    probability : (2^(size^2),) float64, ``exp(-H / T) / Z``
    """
    size = check_int(size, "size", low=2, high=MAX_ISING_ENUMERATION)
    temperature = check_positive(temperature, "temperature")
    states = np.array(list(itertools.product((-1, 1), repeat=size * size)), dtype=np.int8).reshape(-1, size, size)
    energy = ising.energy(states) * size * size
    weight = np.exp(-(energy - energy.min()) / temperature)
    return states, weight / weight.sum()


@cached_result(depends=(ising, rbm, *_TRAINING))
def _train_ising_rbm(run: dict, *, seed: int) -> dict[str, np.ndarray]:
    settings = _from_cache_key(IsingRBMSettings, run, seed)
    states, probability = ising_boltzmann_distribution(settings.size, settings.temperature)
    index = np.random.default_rng(seed).choice(len(states), settings.n_samples, p=probability)
    visible = (states.reshape(len(states), -1) + 1) // 2  # spin -1/+1 -> unit 0/1
    model, history = rbm.train_rbm(visible[index], settings.n_hidden, k=settings.k, epochs=settings.epochs,
                                   batch_size=settings.batch_size, learning_rate=settings.learning_rate,
                                   seed=seed, exact_likelihood=True)
    untrained = rbm.RBM(visible.shape[1], settings.n_hidden, seed=seed)
    all_states = torch.as_tensor(visible, dtype=torch.float64)
    with torch.no_grad():
        log_p_model = model.log_likelihood(all_states).numpy()
        initial = float(untrained.log_likelihood(all_states[index]).mean())
    return {
        "log_likelihood": np.array([initial, *history["log_likelihood"]]),
        "probability:ising": probability,
        "probability:rbm": np.exp(log_p_model),
        "magnetization": ising.magnetization(states),
        "sample_index": index,
    }


def ising_rbm_study(settings: IsingRBMSettings | None = None) -> dict[str, np.ndarray]:
    """An RBM learns the Boltzmann distribution of a small Ising lattice with CD-k (cached).

    The samples are drawn exactly from the enumerated distribution, so the quality of the
    machine is known exactly: its mean log-likelihood cannot exceed ``-S`` (the entropy of the
    data distribution, the best any model can do on average), and the gap is ``D_KL``
    (Eq. 14.13).

    Returns
    -------
    dict
        ``log_likelihood``: the exact mean ``ln p(x)`` of the training samples before training
        and after each epoch, nats; ``entropy``: ``S = -sum p ln p`` of the Ising distribution,
        nats; ``kl``: ``D_KL(p_Ising || p_RBM)`` after training, nats; ``probability:ising``,
        ``probability:rbm`` and ``magnetization`` for every configuration;
        ``sample_index``: the configurations drawn for training.
    """
    settings = settings or study_settings("ising_rbm")
    result = dict(_train_ising_rbm(_cache_key(settings), seed=settings.seed))
    p, q = result["probability:ising"], result["probability:rbm"]
    result["entropy"] = np.asarray(-np.sum(p * np.log(p)))
    result["kl"] = np.asarray(np.sum(p * (np.log(p) - np.log(q))))
    return result


# --- Barron's loss (Sec. 14.4, Fig. 14.2) ----------------------------------------------------


def barron_curves(x, alphas: Sequence[float], scale: float = 1.0) -> dict[float, dict[str, np.ndarray]]:
    """Loss, derivative and (where normalisable) density of Barron's family at ``x``.

    Parameters
    ----------
    x
        Residuals, 1D.
    alphas
        Shape parameters (numbers or ``-inf``).
    scale
        ``c > 0``.

    Returns
    -------
    dict
        Per ``alpha``: ``loss`` ``rho(x)`` (Eq. 14.30), ``derivative`` ``d rho / dx`` (autograd)
        and, for ``0 <= alpha <= 2``, ``density`` ``exp(-rho) / (c Z(alpha))``.
    """
    x = torch.as_tensor(np.asarray(x, dtype=float)).requires_grad_(True)
    curves = {}
    for alpha in alphas:
        loss = robust_loss.barron_loss(x, alpha, scale)
        (derivative,) = torch.autograd.grad(loss.sum(), x)
        curves[alpha] = {"loss": loss.detach().numpy(), "derivative": derivative.numpy()}
        if 0 <= alpha <= 2:
            curves[alpha]["density"] = robust_loss.barron_density(x.detach(), alpha, scale).numpy()
    return curves


def line_with_outliers(n: int = 40, *, n_outliers: int = 6, seed: int = 0) -> dict[str, np.ndarray]:
    """A calibration line ``y = 5 + 20 x`` (ADC counts against energy in GeV) with outliers.

    ``n`` energies uniform in [1, 10] GeV, Gaussian noise of 5 ADC counts; ``n_outliers`` of
    the points get an extra 40-120 counts (say, pile-up of a second particle).

    Returns
    -------
    dict
        ``x`` (GeV), ``y`` (ADC counts), ``sigma`` (5 counts), ``outlier`` (bool),
        ``truth`` ``(intercept, slope)``.
    """
    n = check_count(n, "n")
    n_outliers = check_int(n_outliers, "n_outliers", low=0, high=n)
    rng = np.random.default_rng(check_seed(seed))
    x = np.sort(rng.uniform(1, 10, n))
    truth = np.array([5.0, 20.0])
    y = truth[0] + truth[1] * x + rng.normal(0, 5.0, n)
    outlier = np.zeros(n, dtype=bool)
    outlier[rng.choice(n, n_outliers, replace=False)] = True
    y[outlier] += rng.uniform(40, 120, n_outliers)
    return {"x": x, "y": y, "sigma": np.full(n, 5.0), "outlier": outlier, "truth": truth}


def _line(x: torch.Tensor, theta: torch.Tensor) -> torch.Tensor:
    return theta[0] + theta[1] * x


def robust_line_fit(x, y, *, alpha: float, scale: float) -> FitResult:
    """Fit ``y = theta_0 + theta_1 x`` by minimising ``sum_i rho(y_i - y_hat_i, alpha, c)`` (Eq. 14.30).

    ``alpha = 2`` with ``c = sigma`` is the chi-square fit (half of Eq. 14.1); smaller ``alpha``
    weighs outliers down. ``exp(-rho)`` is a likelihood for ``0 <= alpha <= 2``, so the errors
    come from the Hessian with ``errordef = 1/2``.
    """
    alpha, scale = check_float(alpha, "alpha", low=0, high=2), check_positive(scale, "scale")
    x, y = torch.as_tensor(np.asarray(x, dtype=float)), torch.as_tensor(np.asarray(y, dtype=float))
    return minimize(lambda theta: robust_loss.barron_loss(y - _line(x, theta), alpha, scale).sum(), [0.0, 0.0])


def adaptive_line_fit(x, y, *, initial_scale: float = 1.0, max_iterations: int = 500) -> dict[str, float]:
    """Fit the line together with Barron's ``alpha`` and ``c`` (:class:`AdaptiveRobustLoss`).

    The line's parameters, ``alpha`` and the scale all minimise the negative log-likelihood
    ``sum [rho + ln c + ln Z(alpha)]`` (L-BFGS, float64), started at the least-squares line.

    Returns
    -------
    dict
        ``intercept``, ``slope``, ``alpha``, ``scale``.
    """
    x, y = torch.as_tensor(np.asarray(x, dtype=float)), torch.as_tensor(np.asarray(y, dtype=float))
    start = np.polyfit(x.numpy(), y.numpy(), 1)[::-1].copy()
    theta = torch.tensor(start, requires_grad=True)
    loss = robust_loss.AdaptiveRobustLoss(initial_scale=check_positive(initial_scale, "initial_scale")).double()
    optimizer = torch.optim.LBFGS([theta, *loss.parameters()], max_iter=check_count(max_iterations, "max_iterations"),
                                  tolerance_grad=1e-10, tolerance_change=1e-14, line_search_fn="strong_wolfe")

    def closure() -> torch.Tensor:
        optimizer.zero_grad()
        value = loss(_line(x, theta), y)
        value.backward()
        return value

    optimizer.step(closure)
    intercept, slope = theta.detach().tolist()
    alpha, scale = float(loss.alpha.detach()), float(loss.scale.detach())
    return {"intercept": intercept, "slope": slope, "alpha": alpha, "scale": scale}


# --- Learning without gradients (Sec. 14.7) --------------------------------------------------


def error_rate(model: MLP, x, labels) -> float:
    """The fraction of points on the wrong side of ``logit = 0``: a step function of the weights."""
    with torch.no_grad():
        predicted = model(torch.as_tensor(np.asarray(x, dtype=np.float32)))[:, 0] > 0
    return float(np.mean(predicted.numpy() != np.asarray(labels, dtype=bool).ravel()))


def evolve_classifier(x, labels, *, hidden: Sequence[int] = (8,), max_evaluations: int = 3000,
                      step_size: float = 0.5, seed: int = 0) -> tuple[MLP, gradient_free.SearchResult]:
    """Train a tanh network on its error rate with the (1+1) evolution strategy.

    The error rate has no useful gradient (it is flat almost everywhere), so gradient descent
    cannot start; the strategy needs only its values.

    Parameters
    ----------
    x, labels
        Points ``(n, features)`` and their classes 0/1.
    hidden
        Hidden widths of the network (one logit output).
    max_evaluations, step_size, seed
        Of :func:`dlpbook.objectives.gradient_free.evolution_strategy`; ``seed`` also seeds
        the initial weights.

    Returns
    -------
    (MLP, SearchResult)
        The network with the best weights found, and the search record (``best_values``: the
        error rate after each evaluation).
    """
    x = np.asarray(x, dtype=np.float32)
    model = mlp(x.shape[1], hidden, 1, activation="tanh", seed=check_seed(seed))
    vector = torch.nn.utils.parameters_to_vector(model.parameters()).detach()

    def objective(weights: np.ndarray) -> float:
        torch.nn.utils.vector_to_parameters(torch.as_tensor(weights, dtype=torch.float32), model.parameters())
        return error_rate(model, x, labels)

    result = gradient_free.evolution_strategy(objective, vector.numpy(), step_size=step_size,
                                              max_evaluations=max_evaluations, target=0.0, seed=seed)
    torch.nn.utils.vector_to_parameters(torch.as_tensor(result.x, dtype=torch.float32), model.parameters())
    return model, result


@cached_result(depends=(toys, gradient_free, mlp_module))
def _search_classifier(run: dict, *, seed: int) -> dict[str, np.ndarray]:
    settings = _from_cache_key(SearchSettings, run, seed)
    classes = toys.curved_classes(settings.n_points, seed=seed, noise=settings.noise)
    model, search = evolve_classifier(classes["x"], classes["label"], hidden=settings.hidden,
                                      max_evaluations=settings.max_evaluations, seed=seed)
    return {"best_values": search.best_values, "step_size": search.step_size, **_weights("network", model)}


def classifier_search_study(settings: SearchSettings | None = None) -> tuple[dict[str, np.ndarray], MLP, np.ndarray]:
    """:func:`evolve_classifier` on the curved classes of :func:`dlpbook.data.toys.curved_classes` (cached).

    Returns
    -------
    (dict, MLP, ndarray)
        The points (``x``, ``label``), the network found and the best error rate after each
        evaluation.
    """
    settings = settings or study_settings("search")
    arrays = _search_classifier(_cache_key(settings), seed=settings.seed)
    classes = toys.curved_classes(settings.n_points, seed=settings.seed, noise=settings.noise)
    network = _load(mlp(2, settings.hidden, 1, activation="tanh"), "network", arrays)
    return classes, network, arrays["best_values"]
