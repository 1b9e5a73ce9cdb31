"""The 2D Ising simulator against Onsager's and Yang's exact results, and its interface."""

import numpy as np
import pytest

from dlpbook import data
from dlpbook.data import ising


def chains_at(temperature, chains, samples, seed, **kwargs):
    rng = np.random.default_rng(seed)
    return ising.run_chains(np.full(chains, temperature), samples, rng=rng, **kwargs).reshape(-1, 32, 32)


def test_exact_references():
    assert ising.T_C == pytest.approx(2.269185, abs=1e-6)
    assert ising.onsager_energy(ising.T_C) == pytest.approx(-np.sqrt(2), abs=1e-6)
    assert ising.onsager_energy(0.2) == pytest.approx(-2.0, abs=1e-6)
    # high-temperature series: u = -2t - 4t^3 + O(t^5), t = tanh(J/T)
    t = np.tanh(1 / 20)
    assert ising.onsager_energy(20.0) == pytest.approx(-2 * t - 4 * t**3, abs=1e-5)
    assert ising.yang_magnetization(0.5) == pytest.approx(1.0, abs=1e-6)
    np.testing.assert_array_equal(ising.yang_magnetization([2.3, 3.0]), [0.0, 0.0])
    assert ising.yang_magnetization(2.0) == pytest.approx(0.911319, abs=1e-5)


@pytest.mark.parametrize("temperature", [1.5, 2.0])
def test_magnetisation_follows_yang_below_tc(temperature):
    # 30 chains x 20 samples; statistical error of <|m|> ~ 0.001 at T = 2, finite-size shift for
    # L = 32 smaller still (correlation length ~ 1 lattice spacing)
    configs = chains_at(temperature, 30, 20, seed=1, equilibration=100, decorrelation=3)
    m = np.abs(ising.magnetization(configs)).mean()
    assert m == pytest.approx(ising.yang_magnetization(temperature), abs=0.006)


@pytest.mark.parametrize("temperature", [1.5, 2.0, 3.0])
def test_energy_follows_onsager(temperature):
    # statistical error ~ 0.002 per spin; finite-size corrections are exponentially small in L / xi
    configs = chains_at(temperature, 30, 20, seed=2, equilibration=100, decorrelation=3)
    assert ising.energy(configs).mean() == pytest.approx(ising.onsager_energy(temperature), abs=0.008)


def test_susceptibility_peaks_slightly_above_tc_for_l32():
    temperatures = np.arange(2.1, 2.71, 0.05)
    rng = np.random.default_rng(3)
    configs = ising.run_chains(
        np.repeat(temperatures, 12), 25, rng=rng, equilibration=60, decorrelation=2, cluster_t_max=1e9
    ).reshape(len(temperatures), -1, 32, 32)
    chi = np.array([ising.susceptibility(c, t) for c, t in zip(configs, temperatures, strict=True)])
    peak = temperatures[np.argmax(chi)]
    assert 2.25 <= peak <= 2.45
    assert chi.max() > 5 * chi[0] and chi.max() > 5 * chi[-1]


def test_zero_temperature_orders_and_high_temperature_disorders():
    cold = chains_at(0.5, 20, 2, seed=4, equilibration=30, decorrelation=2)
    assert np.all(np.abs(ising.magnetization(cold)) == 1.0)
    hot = chains_at(20.0, 20, 10, seed=5, equilibration=30, decorrelation=2)
    m = ising.magnetization(hot)
    # independent-spin limit: m ~ N(0, 1/L^2), so |<m>| over 200 samples < 4 / (32 sqrt 200)
    assert abs(m.mean()) < 4 / (32 * np.sqrt(200))
    assert np.abs(m).mean() == pytest.approx(np.sqrt(2 / np.pi) / 32, rel=0.25)


def test_metropolis_and_swendsen_wang_agree():
    temperature = 2.5
    results = []
    for cluster_t_max, seed in ((0.0, 6), (1e9, 7)):
        configs = chains_at(
            temperature, 30, 15, seed=seed, equilibration=100, decorrelation=4, cluster_t_max=cluster_t_max
        )
        results.append((np.abs(ising.magnetization(configs)).mean(), ising.energy(configs).mean()))
    (m_metropolis, e_metropolis), (m_cluster, e_cluster) = results
    assert m_metropolis == pytest.approx(m_cluster, abs=0.02)
    assert e_metropolis == pytest.approx(e_cluster, abs=0.01)


def test_clusters_cover_equal_spin_domains_across_the_boundary():
    spins = -np.ones((2, 8, 8), dtype=np.int8)
    spins[:, :, :2] = 1
    spins[:, :, 6:] = 1  # one +1 stripe wrapping around the periodic edge
    rng = np.random.default_rng(0)
    always = ising.swendsen_wang_clusters(spins, np.ones((2, 1, 1)), rng)
    assert len(np.unique(always)) == 4  # two domains per chain, labels unique across chains
    assert len(np.unique(always[0][spins[0] == 1])) == 1
    never = ising.swendsen_wang_clusters(spins, np.zeros((2, 1, 1)), rng)
    assert len(np.unique(never)) == spins.size


def test_simulate_shapes_dtypes_range_and_chain_layout():
    out = ising.simulate(45, seed=0, L=8, equilibration=5, decorrelation=1, samples_per_chain=10)
    assert out["C"].shape == (45, 8, 8) and out["C"].dtype == np.int8
    assert out["T"].shape == (45,) and out["T"].dtype == np.float64
    assert set(np.unique(out["C"])) <= {-1, 1}
    assert np.all((out["T"] >= ising.T_MIN) & (out["T"] <= ising.T_MAX))
    assert ising.T_MAX - ising.T_C == pytest.approx(ising.T_C - ising.T_MIN)
    assert len(np.unique(out["T"][:10])) == 1 and out["T"][9] != out["T"][10]


def test_simulate_is_deterministic_and_registered():
    kwargs = {"L": 8, "equilibration": 5, "decorrelation": 1}
    first = data.simulate("ising", 30, seed=3, **kwargs)
    second = ising.simulate(30, seed=3, **kwargs)
    np.testing.assert_array_equal(first["C"], second["C"])
    np.testing.assert_array_equal(first["T"], second["T"])
    other = ising.simulate(30, seed=4, **kwargs)
    assert not np.array_equal(first["C"], other["C"])
    assert {p.name for p in ising.SPEC.params} >= {"L", "t_min", "t_max", "equilibration", "decorrelation"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n": 0}, "n must be an integer >= 1"),
        ({"L": 1}, "L must be an integer >= 2 and <= 256"),
        ({"L": 258}, "L must be an integer >= 2 and <= 256"),
        ({"L": 7}, "L must be an even integer >= 2"),
        ({"t_min": 0.0}, "t_min must be a finite number > 0"),
        ({"t_max": -1.0}, r"t_max must be a finite number >= 1.0 and <= 1000.0, got -1.0"),
        ({"t_min": 3.0, "t_max": 2.0}, r"t_max must be a finite number >= 3.0"),
        ({"t_max": np.inf}, "t_max must be a finite number"),
        ({"cluster_t_max": np.inf}, "cluster_t_max must be a finite number >= 0, got inf"),
        ({"samples_per_chain": 0}, "samples_per_chain must be an integer >= 1"),
        ({"equilibration": -1}, "equilibration must be an integer >= 0"),
        ({"equilibration": 10**9}, "equilibration must be an integer >= 0 and <= 100000"),
        ({"decorrelation": 0}, "decorrelation must be an integer >= 1"),
    ],
)
def test_parameter_errors(kwargs, message):
    kwargs = {"n": 5, **kwargs}
    with pytest.raises(ValueError, match=message):
        ising.simulate(kwargs.pop("n"), seed=0, **kwargs)


def test_observable_helpers_reject_bad_temperatures():
    with pytest.raises(ValueError, match="temperatures must be finite and > 0"):
        ising.onsager_energy(0.0)
    with pytest.raises(ValueError, match="temperatures must be finite and > 0"):
        ising.susceptibility(np.ones((2, 4, 4)), -1.0)
