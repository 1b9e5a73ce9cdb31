"""Check that the ``radio`` traces are as hard to classify as the original file of site Ex. 9.2.

The original ``radio_data.npz`` (SNR 2; 40,000 training and 10,000 test traces) was classified
by three bidirectional LSTMs with test accuracy 0.992. That accuracy is a lower bound on how
separable the original traces are, so the simulated default traces should let strong
classifiers reach about 0.99, neither much less nor 1.000. This script simulates a training
and a test set (default parameters unless ``--snr`` or ``--rfi-amplitude-mv`` are given) and
prints the test accuracy and AUC of

* the **known-pulse detector**: told each pulse's shape, arrival time, phase and amplitude (for
  a noise-only trace, the pulse of a random training trace), it takes the log-likelihood
  ratio of that known signal in Gaussian noise with the noise covariance of the training
  noise traces, and decides at 0. For Gaussian noise nothing can beat it; the RFI carriers
  are not Gaussian, so here it is a strong, not a strict, bound;
* a **matched filter** built from the training data: whitened with that covariance, with the
  mean amplitude spectrum of the training pulses as template, maximised over arrival time
  and phase (the two quadratures of the template), cut where it best separates the
  training traces;
* a **reference network** trained at the original's sizes (10 % of the training traces held
  out for validation, as in the original): a small 1D CNN ending in a global max-pool
  (default, about 20 s per epoch on one CPU core), or the original's network
  (``--model bilstm``: BiLSTM 32, 64, 10, Flatten, Dropout 0.3, Dense; 500 sequential steps,
  meant for a GPU). Adam with learning rate 1e-3, batch 128, the learning rate halved when
  the validation loss stalls for 5 epochs, as in the original.

Usage: ``.venv/bin/python benchmarks/radio_difficulty.py [--train 40000] [--test 10000]
[--epochs 10] [--model cnn|bilstm] [--snr 2] [--rfi-amplitude-mv A] [--seed 0]``
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import torch
from torch import nn

from dlpbook import config
from dlpbook.data import radio
from dlpbook.metrics import accuracy, roc_auc, roc_curve
from dlpbook.nn import count_parameters
from dlpbook.train import Callback, ReduceLROnPlateau, fit, predict


def whitening_matrix(noise: np.ndarray) -> np.ndarray:
    """Symmetric ``C^(-1/2)`` of the covariance ``C`` of noise-only traces, (500, 500).

    The band-limited noise has (almost) no power outside 30-80 MHz, so ``C`` is singular; a
    floor of 1e-4 of the mean eigenvalue keeps those directions finite (neither pulses nor
    noise have a component there).
    """
    eigenvalues, vectors = np.linalg.eigh(np.cov(noise, rowvar=False))
    floor = 1e-4 * eigenvalues.mean()
    return (vectors / np.sqrt(np.maximum(eigenvalues, 0) + floor)) @ vectors.T


def known_pulse_statistic(traces: np.ndarray, pulses: np.ndarray, whiten: np.ndarray) -> np.ndarray:
    """Log-likelihood ratio ``s C^-1 x - s C^-1 s / 2`` of a known pulse ``s`` in Gaussian noise, (n,)."""
    x, s = traces @ whiten, pulses @ whiten
    return np.sum(s * x, axis=1) - 0.5 * np.sum(s * s, axis=1)


def matched_filter_templates(signals: np.ndarray, whiten: np.ndarray) -> np.ndarray:
    """Whitened, orthonormalised template pairs for every arrival sample, (500, 2, 500).

    The template has the mean amplitude spectrum of the training pulses (each scaled to unit
    norm); its two quadratures (phase 0 and 90 degrees) span every pulse phase.
    """
    spectra = np.abs(np.fft.rfft(signals, axis=1))
    template = np.mean(spectra / np.linalg.norm(spectra, axis=1, keepdims=True), axis=0)
    shift = np.exp(-2j * np.pi * np.outer(np.arange(radio.N_SAMPLES), np.arange(template.size)) / radio.N_SAMPLES)
    pairs = [np.fft.irfft(template * shift * phase, n=radio.N_SAMPLES, axis=1) @ whiten for phase in (1, -1j)]
    first = pairs[0] / np.linalg.norm(pairs[0], axis=1, keepdims=True)
    second = pairs[1] - np.sum(pairs[1] * first, axis=1, keepdims=True) * first
    second /= np.linalg.norm(second, axis=1, keepdims=True)
    return np.stack([first, second], axis=1)


def matched_filter_statistic(traces: np.ndarray, templates: np.ndarray, whiten: np.ndarray) -> np.ndarray:
    """Largest whitened template response over arrival sample and phase, (n,)."""
    flat = templates.reshape(-1, templates.shape[-1]).T  # (500, 1000): arrival x quadrature columns
    best = np.zeros(len(traces))
    for start in range(0, len(traces), 2000):  # bounded memory: 2000 x 1000 responses at a time
        response = (traces[start : start + 2000] @ whiten @ flat).reshape(-1, *templates.shape[:2])
        best[start : start + 2000] = np.sqrt(np.sum(response**2, axis=2)).max(axis=1)
    return best


def best_training_cut(label: np.ndarray, score: np.ndarray) -> float:
    """Threshold ``score >= cut -> signal`` with the highest accuracy on the training traces."""
    roc = roc_curve(label, score)
    n_signal = int(np.sum(label))
    correct = roc.tpr * n_signal + (1 - roc.fpr) * (len(label) - n_signal)
    return float(roc.thresholds[np.argmax(correct)])


def report(name: str, label: np.ndarray, score: np.ndarray, cut: float) -> None:
    print(f"{name}: test accuracy {accuracy(label, score >= cut):.4f}, AUC {roc_auc(label, score):.4f}", flush=True)


class BiLSTMClassifier(nn.Module):
    """The network of the original solution: BiLSTM 32, 64, 10 (all steps), Flatten, Dropout 0.3, Dense.

    Input (n, 500, 1); output (n, 1) logits. Keras counts 95,873 parameters; torch's LSTM has
    a second bias vector per gate, 848 more.
    """

    def __init__(self) -> None:
        super().__init__()
        self.lstms = nn.ModuleList(
            nn.LSTM(size_in, size, batch_first=True, bidirectional=True)
            for size_in, size in ((1, 32), (64, 64), (128, 10))
        )
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(0.3), nn.Linear(radio.N_SAMPLES * 20, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for lstm in self.lstms:
            x, _ = lstm(x)
        return self.head(x)


def small_cnn() -> nn.Sequential:
    """Three convolutions, max-pooled over time: (n, 1, 500) -> (n, 1) logits.

    The first layer's 16 filters span 65 samples (0.36 us), long enough to learn narrow notches
    at the RFI lines together with the pulse's matched filter; then 32 and 32 filters of 9
    samples, ReLU, and the maximum over all times, since the pulse may arrive anywhere.
    """
    return nn.Sequential(
        nn.Conv1d(1, 16, 65, padding=32), nn.ReLU(), nn.MaxPool1d(2),
        nn.Conv1d(16, 32, 9, padding=4), nn.ReLU(), nn.MaxPool1d(2),
        nn.Conv1d(32, 32, 9, padding=4), nn.ReLU(),
        nn.AdaptiveMaxPool1d(1), nn.Flatten(), nn.Linear(32, 1),
    )


class PrintTestAccuracy(Callback):
    """After each epoch, print the training and validation loss and the test accuracy (logit >= 0)."""

    def __init__(self, x_test: np.ndarray, label: np.ndarray) -> None:
        self.x, self.label = x_test, label
        self.start = time.perf_counter()

    def on_epoch_end(self, model, optimizer, history) -> bool:
        logits = predict(model, self.x, batch_size=500)[:, 0]
        print(f"epoch {history.epochs[-1]}: loss {history['loss'][-1]:.4f}, val_loss {history['val_loss'][-1]:.4f}, "
              f"lr {history['lr'][-1]:.2g}, test accuracy {accuracy(self.label, logits >= 0):.4f}, "
              f"AUC {roc_auc(self.label, logits):.4f} after {time.perf_counter() - self.start:.0f} s", flush=True)
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=int, default=40_000, help="training traces (default 40,000 as the original)")
    parser.add_argument("--test", type=int, default=10_000, help="test traces (default 10,000)")
    parser.add_argument("--epochs", type=int, default=10, help="training epochs of the network (0: detectors only)")
    parser.add_argument("--model", choices=("cnn", "bilstm"), default="cnn", help="reference network (default cnn)")
    parser.add_argument("--snr", type=float, default=2.0, help="max|pulse| / RMS(trace) (default 2, the original's)")
    parser.add_argument("--rfi-amplitude-mv", type=float, default=radio.RFI_AMPLITUDE_MV,
                        help=f"amplitude of each RFI carrier, mV (default {radio.RFI_AMPLITUDE_MV})")
    parser.add_argument("--seed", type=int, default=0, help="seed of the data and the network")
    args = parser.parse_args()
    print(f"{config.describe()}; torch threads {torch.get_num_threads()}", flush=True)

    settings = {"snr": args.snr, "rfi_amplitude_mv": args.rfi_amplitude_mv}
    train = radio.simulate(args.train, seed=args.seed, **settings)
    test = radio.simulate(args.test, seed=args.seed + 1, **settings)
    x_train, x_test = train["traces"].astype(float), test["traces"].astype(float)
    y_train, y_test = radio.signal_labels(train["signals"]), radio.signal_labels(test["signals"])
    print(f"radio traces: snr {args.snr}, RFI carriers {args.rfi_amplitude_mv} mV; {args.train} training, "
          f"{args.test} test traces; noise RMS {np.sqrt(np.mean(x_test[y_test == 0] ** 2)):.2f} mV", flush=True)

    whiten = whitening_matrix(x_train[y_train == 0])
    training_pulses = train["signals"][y_train == 1].astype(float)
    rng = np.random.default_rng(args.seed)
    hypotheses = np.where(y_test[:, None] == 1, test["signals"], training_pulses[rng.integers(len(training_pulses), size=args.test)])
    report("known-pulse detector (told arrival time, phase and amplitude)", y_test,
           known_pulse_statistic(x_test, hypotheses, whiten), 0.0)
    templates = matched_filter_templates(training_pulses, whiten)
    cut = best_training_cut(y_train, matched_filter_statistic(x_train, templates, whiten))
    report("matched filter from the training data (scan over arrival time and phase)", y_test,
           matched_filter_statistic(x_test, templates, whiten), cut)
    if args.epochs == 0:
        return

    torch.manual_seed(args.seed)
    scale = x_train.std()  # one global scale, as the original divides by the std of x_train
    if args.model == "cnn":
        model, shape = small_cnn(), (1, radio.N_SAMPLES)
    else:
        model, shape = BiLSTMClassifier(), (radio.N_SAMPLES, 1)
    inputs = (x_train / scale).reshape(-1, *shape).astype(np.float32)
    n_fit = int(0.9 * args.train)
    print(f"{args.model}: {count_parameters(model)} trainable parameters; {n_fit} training and "
          f"{args.train - n_fit} validation traces, {args.epochs} epochs", flush=True)
    fit(
        model,
        (inputs[:n_fit], y_train[:n_fit, None].astype(np.float32)),
        validation=(inputs[n_fit:], y_train[n_fit:, None].astype(np.float32)),
        loss=nn.BCEWithLogitsLoss(),
        optimizer=torch.optim.Adam(model.parameters(), lr=1e-3),
        epochs=args.epochs,
        batch_size=128,
        callbacks=[ReduceLROnPlateau(0.5, patience=5, min_lr=1e-5),
                   PrintTestAccuracy((x_test / scale).reshape(-1, *shape).astype(np.float32), y_test)],
        seed=args.seed,
        progress=False,
    )
    print("target: about 0.99 (the original BiLSTM: test accuracy 0.992 at SNR 2)")
    print(f"command: .venv/bin/python benchmarks/radio_difficulty.py --train {args.train} --test {args.test} "
          f"--epochs {args.epochs} --model {args.model} --snr {args.snr} --rfi-amplitude-mv {args.rfi_amplitude_mv} "
          f"--seed {args.seed}")


if __name__ == "__main__":
    main()
