"""Tested solutions of the book's exercises, one module per topic.

Each module holds the solution of one exercise in PyTorch (``train_torch``) and, where the
original exercise taught Keras, in Keras 3 on TensorFlow (``train_keras``); exercises that the
original solved in NumPy keep a NumPy solution. The hyperparameters, data size and seeds of an
exercise live in one frozen settings object per profile (:mod:`dlpbook.exercises.settings`)
that both framework twins read. The exercise pages show these functions with ``literalinclude``
and execute them when the site is built. TensorFlow is imported only inside the Keras functions
(through :func:`dlpbook.config.import_tensorflow`).

:data:`INDEX` maps each exercise number to its module; ``tests/test_exercise_index.py``
checks it against the pages ``book/exercises/exNN-M.md``.
"""

INDEX: dict[str, str | None] = {
    "3.1": None,  # getting started: the page explains the site and the package, no solution code
    "3.2": "linear_regression",
    "3.3": "checkerboard",
    "4.1": "hand_network",
    "4.2": "linear_fit",
    "4.3": "classification_basics",
    "5.1": "checkerboard",
    "5.2": "interpolation",
    "5.3": "wine_regression",
    "7.1": "ising_phases",
    "7.2": "airshower_energy",
    "8.1": "ising_phases",
    "8.2": "airshower_energy",
    "9.1": "sine_forecast",
    "9.2": "radio_signals",
    "10.1": "skymaps",
    "11.1": "multitask_reconstruction",
    "12.1": "cnn_features",
    "12.2": "cnn_features",
    "12.3": "ising_cam",
    "13.1": "planing",
    "16.1": "karate_club",
}
"""Exercise number (chapter.exercise, as in the book) -> module of :mod:`dlpbook.exercises`."""


def page_name(number: str) -> str:
    """The page of an exercise: ``"5.2"`` -> ``"ex05-2"`` (``book/exercises/ex05-2.md``)."""
    chapter, exercise = number.split(".")
    return f"ex{int(chapter):02d}-{int(exercise)}"
