"""dlpbook.objectives.gas_temperature: the Maxwell-Boltzmann likelihood fit (Example 14.3) equals
the analytic estimator, and the gas thermometer (Example 14.4) comes close to its resolution."""

import numpy as np
import pytest
import torch

from dlpbook.data import gas
from dlpbook.objectives import gas_temperature
from dlpbook.validation import ParameterError


def test_the_likelihood_fit_equals_the_analytic_estimator_and_its_resolution():
    speed = gas.simulate(2000, seed=3, temperature_k=420.0)["speed"]
    result = gas_temperature.fit_temperature(speed, initial_k=200.0)
    estimate = float(gas.temperature_estimate(speed))
    assert result.parameters[0] == pytest.approx(estimate, rel=1e-7)
    assert result.errors[0] == pytest.approx(estimate * np.sqrt(2 / (3 * len(speed))), rel=1e-5)
    assert abs(estimate - 420.0) < 4 * result.errors[0]


def test_the_likelihood_is_the_maxwell_boltzmann_density():
    speed = np.array([300.0, 1200.0, 2500.0])
    scan = gas_temperature.temperature_nll(speed, torch.tensor([150.0, 600.0]))
    expected = [-np.log(gas.maxwell_boltzmann_pdf(speed, t)).sum() for t in (150.0, 600.0)]
    np.testing.assert_allclose(scan.numpy(), expected, rtol=1e-12)


def test_the_thermometer_network_approaches_the_analytic_resolution():
    train = gas.thermometer_sets(1500, 30, seed=0)
    test = gas.thermometer_sets(300, 30, seed=1)
    model, history = gas_temperature.train_gas_thermometer(train["speed"], train["T"], hidden=(16,), epochs=10,
                                                           batch_size=50, learning_rate=1e-2)
    assert history["loss"][-1] < history["loss"][0]
    with torch.no_grad():
        predicted = model(torch.as_tensor(test["speed"], dtype=torch.float32)).numpy()
    network = np.sqrt(np.mean((predicted / test["T"] - 1) ** 2))
    analytic = np.sqrt(np.mean((gas.temperature_estimate(test["speed"]) / test["T"] - 1) ** 2))
    assert analytic == pytest.approx(np.sqrt(2 / 90), rel=0.2)
    assert network < 1.3 * analytic


def test_bad_arguments_are_refused():
    with pytest.raises(ParameterError, match="speed"):
        gas_temperature.fit_temperature([-1.0, 2.0])
    with pytest.raises(ParameterError, match="initial_k"):
        gas_temperature.fit_temperature([1.0, 2.0], initial_k=0)
    with pytest.raises(ParameterError, match="temperature_k"):
        gas_temperature.train_gas_thermometer(np.ones((3, 4)), [300.0, 200.0])
    with pytest.raises(ParameterError, match="hidden"):
        gas_temperature.GasThermometer(())
