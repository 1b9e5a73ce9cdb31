"""Optimisers of dlpbook.numpynet (Sec. 4.6-4.8) step by step against torch.optim, and the book forms."""

import numpy as np
import pytest

from dlpbook.numpynet import SGD, Adagrad, Adam, Momentum, RMSprop, beale, descend, elongated_valley, rosenbrock

torch = pytest.importorskip("torch")

STEPS = 25


def _gradient(p: np.ndarray, t: int) -> np.ndarray:
    """A gradient that depends on the parameters and changes from step to step."""
    return np.sin(3 * p + t) + 0.5 * p


def _run_numpy(optimizer, p0, steps=STEPS):
    params = [p.copy() for p in p0]
    path = []
    for t in range(steps):
        optimizer.step(params, [_gradient(p, t) for p in params])
        path.append([p.copy() for p in params])
    return path


def _run_torch(make, p0, steps=STEPS):
    params = [torch.tensor(p, requires_grad=True) for p in p0]
    optimizer = make(params)
    path = []
    for t in range(steps):
        for p in params:
            p.grad = torch.tensor(_gradient(p.detach().numpy(), t))
        optimizer.step()
        path.append([p.detach().numpy().copy() for p in params])
    return path


def _start():
    rng = np.random.default_rng(7)
    return [rng.normal(size=(3, 4)), rng.normal(size=(4,))]


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (lambda: SGD(0.1), lambda p: torch.optim.SGD(p, lr=0.1)),
        (lambda: Momentum(0.05, 0.9), lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9)),
        (lambda: Adagrad(0.1, eps=1e-10), lambda p: torch.optim.Adagrad(p, lr=0.1, eps=1e-10)),
        (lambda: Adagrad(0.1, initial_accumulator=0.1),
         lambda p: torch.optim.Adagrad(p, lr=0.1, eps=1e-8, initial_accumulator_value=0.1)),
        (lambda: RMSprop(0.01, beta=0.9), lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, eps=1e-8)),
        (lambda: Adam(0.01), lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.9, 0.999), eps=1e-8)),
    ],
    ids=["sgd", "momentum", "adagrad", "adagrad-keras-accumulator", "rmsprop", "adam"],
)
def test_standard_forms_equal_torch_step_by_step(ours, theirs):
    p0 = _start()
    for step, (a, b) in enumerate(zip(_run_numpy(ours(), p0), _run_torch(theirs, p0), strict=True)):
        for x, y in zip(a, b, strict=True):
            np.testing.assert_allclose(x, y, rtol=1e-10, atol=1e-12, err_msg=f"step {step + 1}")


def test_book_momentum_is_standard_momentum_with_lr_times_one_minus_beta():
    p0, beta = _start(), 0.8
    book = _run_numpy(Momentum(0.1, beta, form="book"), p0)
    scaled = _run_numpy(Momentum(0.1 * (1 - beta), beta), p0)
    plain = _run_numpy(Momentum(0.1, beta), p0)
    for a, b in zip(book, scaled):
        np.testing.assert_allclose(a[0], b[0], rtol=1e-12)
    assert not np.allclose(book[-1][0], plain[-1][0])


def test_book_adam_first_step_equals_standard_then_steps_shrink():
    p0 = [np.array([2.0, -1.0])]
    standard = _run_numpy(Adam(0.01), p0, steps=30)
    book = _run_numpy(Adam(0.01, form="book"), p0, steps=30)
    np.testing.assert_allclose(book[0][0], standard[0][0], rtol=1e-14)
    assert not np.allclose(book[1][0], standard[1][0])
    book_step = np.abs(book[-1][0] - book[-2][0]).max()
    standard_step = np.abs(standard[-1][0] - standard[-2][0]).max()
    assert book_step < 1e-6 * standard_step


def test_book_adam_constant_gradient_second_moment_compounds():
    """For a constant gradient g the book's nu_2 = g^2 / (1 - beta^2), while the standard nu_hat stays g^2."""
    p = np.zeros(1)
    adam = Adam(0.01, form="book")
    for _ in range(2):
        adam.step([p], [np.ones(1)])
    assert adam._state[0]["nu"][0] == pytest.approx(1 / (1 - 0.999**2))
    assert adam._state[0]["m"][0] == pytest.approx(1 / (1 - 0.9**2))


def test_momentum_beats_sgd_in_an_elongated_valley():
    sgd = descend(elongated_valley, SGD(0.9), (-9.0, 1.5), 60)
    momentum = descend(elongated_valley, Momentum(0.9 * 0.25, 0.75), (-9.0, 1.5), 60)
    assert elongated_valley(momentum[-1])[0] < 0.1 * elongated_valley(sgd[-1])[0]


def test_adam_reaches_the_rosenbrock_valley_floor():
    path = descend(rosenbrock, Adam(0.02), (-1.5, 2.0), 2000)
    assert rosenbrock(path[-1])[0] < 1e-2 < rosenbrock(path[0])[0]

@pytest.mark.parametrize("surface", [rosenbrock, beale, elongated_valley])
def test_surface_gradients_match_finite_differences(surface):
    h, p = 1e-6, np.array([0.3, -0.7])
    numeric = [(surface(p + d)[0] - surface(p - d)[0]) / (2 * h) for d in np.eye(2) * h]
    np.testing.assert_allclose(surface(p)[1], numeric, rtol=1e-6)
    assert beale(np.array([3.0, 0.5]))[0] == 0.0


def test_validation_errors():
    with pytest.raises(ValueError, match="lr must be a finite number > 0, got -1.0"):
        SGD(-1.0)
    with pytest.raises(ValueError, match="beta must be a finite number >= 0 and < 1"):
        Momentum(0.1, beta=1.0)
    with pytest.raises(ValueError, match="form must be one of 'standard', 'book'"):
        Adam(form="paper")
    with pytest.raises(ValueError, match="eps must be a finite number > 0"):
        RMSprop(0.1, eps=0.0)
    with pytest.raises(ValueError, match="initial_accumulator"):
        Adagrad(0.1, initial_accumulator=-1)
    opt = SGD(0.1)
    with pytest.raises(ValueError, match="does not match"):
        opt.step([np.zeros(2)], [np.zeros(3)])
    with pytest.raises(TypeError, match="numpy arrays"):
        opt.step([1.0], [1.0])
    opt.step([np.zeros(2)], [np.ones(2)])
    with pytest.raises(ValueError, match="used with 1 parameters"):
        opt.step([np.zeros(2), np.zeros(1)], [np.ones(2), np.ones(1)])
    with pytest.raises(ValueError, match="start must be a point"):
        descend(rosenbrock, SGD(0.1), (1.0, 2.0, 3.0), 2)
