"""The quick settings of Exercise 11.1 (book/exercises/ex11-1.md) still show what the page says.

- Every task is learnt: each 68 % resolution is far better than that of a predictor that answers
  every shower with the mean training target (46 deg, 630 m, 149 % on the quick test showers).
- The loss weights 15 : 9 : 2 do not reliably beat equal weights on the weakest task in the quick
  training (the core, 5 to 15 times its goal, or the axis, 5 to 6 times): over eight PyTorch
  seeds the weighted run was better on the core in 2 (ratios weighted / equal 0.94 to 1.25) and on
  the axis in 3 (0.85 to 1.09), and the energy resolutions differ by up to a factor 2 either way
  (0.51 to 1.78). So this is not asserted. What holds is that the weights change the axis and
  core resolutions far less than the seeds do (the core ranges over 120 to 390 m), and the
  reason the page gives for it: with Adam, a task's weight does not change how its own tower
  learns; only the shared trunk feels it.
"""

import numpy as np
import pytest
import torch

from dlpbook.exercises import multitask_reconstruction as mt
from dlpbook.nn.multitask import MultiTaskLoss, airshower_multitask_net


def assert_far_better_than_trivial(fit, trivial, fraction):
    for task in mt.TASKS:
        assert fit.resolutions[task] < fraction[task] * trivial[task], task


def test_ex111_quick_learns_every_task_with_and_without_the_weights():
    study = mt.MultitaskStudy.for_profile("quick")
    training, _, test = mt.load_data(study.run)
    trivial = mt.trivial_resolutions(training.y, test.y)
    weighted, equal = mt.train_torch(study.run), mt.train_torch(study.unweighted())
    # measured (seed 0): weighted 7.77 deg, 122 m, 23.9 %; equal weights 8.06 deg, 122 m, 17.7 %,
    # i.e. at most 0.19 of the trivial resolutions (46.2 deg, 630 m, 149 %)
    limits = {"axis": 0.3, "core": 0.3, "energy": 0.3}
    assert_far_better_than_trivial(weighted, trivial, limits)
    assert_far_better_than_trivial(equal, trivial, limits)
    # the validation MSE of every task falls in both runs, to at most 0.07 of the untrained network's
    for fit in (weighted, equal):
        for task in mt.TASKS:
            assert fit.curves[f"val_{task}"][-1] < 0.1 * fit.curves[f"val_{task}"][0], task
    # the weights move the axis and core resolutions much less than the seeds do
    # (seed 0: ratios weighted / equal 0.96 and 1.00; seeds 0-7: 0.85-1.09 and 0.94-1.25)
    for task in ("axis", "core"):
        assert 0.8 < weighted.resolutions[task] / equal.resolutions[task] < 1.25, task


def test_with_adam_a_task_weight_does_not_change_its_own_tower():
    # trunk frozen: the towers of a weighted and an unweighted training take the same Adam steps,
    # since Adam divides each parameter's gradient by its running root mean square
    training, _, _ = mt.load_data(mt.MultitaskSettings(n_train=64, n_test=1, validation_split=0.0, patience=0, lr_patience=0))
    x = torch.from_numpy(training.x)
    y = {task: torch.from_numpy(values) for task, values in training.y.items()}

    def steps(weights, freeze_trunk):
        # the change of every parameter in five Adam steps
        model = airshower_multitask_net(steps=1, growth=4, seed=3)
        start = {name: p.detach().clone() for name, p in model.named_parameters()}
        trainable = model.towers.parameters() if freeze_trunk else model.parameters()
        optimizer = torch.optim.Adam(trainable, 1e-3)
        loss = MultiTaskLoss(dict(zip(mt.TASKS, weights)))
        for step in range(5):
            batch = slice(16 * (step % 4), 16 * (step % 4 + 1))
            optimizer.zero_grad()
            loss(model(x[batch]), {task: v[batch] for task, v in y.items()}).backward()
            optimizer.step()
        return {name: p.detach() - start[name] for name, p in model.named_parameters()}

    def differences(freeze_trunk):
        # per tensor: the difference between the two runs' steps, relative to the steps (2-norms)
        weighted, equal = steps((15, 9, 2), freeze_trunk), steps((1, 1, 1), freeze_trunk)
        return {
            name: float((weighted[name] - equal[name]).norm() / equal[name].norm().clamp(min=1e-12))
            for name in equal
        }

    frozen = differences(True)
    towers = [name for name in frozen if name.startswith("towers.")]
    # equal up to Adam's epsilon (1e-8), which matters only for the few parameters with tiny gradients
    assert max(frozen[name] for name in towers) < 0.01, max(towers, key=frozen.get)  # measured: at most 0.0021
    together = differences(False)
    trunk = [name for name in together if not name.startswith("towers.")]
    # trained together, the trunk sums the weighted gradients of the tasks, and its steps differ
    assert max(together[name] for name in trunk) > 0.1  # measured: 0.68


@pytest.mark.keras
def test_ex111_quick_keras_learns_every_task():
    pytest.importorskip("tensorflow")
    study = mt.MultitaskStudy.for_profile("quick")
    training, _, test = mt.load_data(study.run)
    trivial = mt.trivial_resolutions(training.y, test.y)
    fit = mt.train_keras(study.run)
    # measured (seed 0): 7.80 deg, 286 m, 43.6 % with one TensorFlow thread, as the site build runs it,
    # 7.77 deg, 318 m, 51.8 % with two (seeds 1, 2: 8.65 / 8.86 deg, 103 / 182 m, 50 / 25 %)
    assert_far_better_than_trivial(fit, trivial, {"axis": 0.3, "core": 0.6, "energy": 0.45})
    # the validation MSE falls to 0.024, 0.22 and 0.027 of the untrained network's
    for task in mt.TASKS:
        assert fit.curves[f"val_{task}"][-1] < 0.35 * fit.curves[f"val_{task}"][0], task
    assert np.isfinite(fit.curves["loss"][1:]).all()
