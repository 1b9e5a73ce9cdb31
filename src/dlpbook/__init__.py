"""dlpbook: reference implementations for *Deep Learning for Physics Research*.

The package is organised by concept, not by chapter. Where each kind of code lives:

Framework-free (NumPy, SciPy, matplotlib; never torch or TensorFlow)

- :mod:`dlpbook.config`: the execution profile, devices, seeding, the cache folder; the only
  reader of environment variables.
- :mod:`dlpbook.validation`: argument checks at the boundaries (counts, seeds, finite ranges,
  rates, choices); every module checks its parameters with it.
- :mod:`dlpbook.data`: offline, seeded simulators and loaders, the atomic ``.npz`` cache and
  the catalogue behind ``dlpbook data``.
- :mod:`dlpbook.convolution_arithmetic`: output sizes, receptive fields, parameter counts, the
  banded matrix of a 1D convolution, transposed convolution and pooling in NumPy (Ch. 8).
- :mod:`dlpbook.graph_matrices`: the matrices of a graph (Ch. 10): adjacency, degree,
  (normalised) Laplacians, the GCN renormalisation, Chebyshev scaling, grid eigenvectors.
- :mod:`dlpbook.hexagonal_grid`: offset and axial coordinates and images of hexagonal grids.
- :mod:`dlpbook.numpynet`: a from-scratch NumPy network for Part 1 (backpropagation by hand).
- :mod:`dlpbook.metrics`: evaluation by concern: ``classification`` (one convention: a sample
  is positive when ``score >= threshold``; the confusion matrix of several classes), ``regression``,
  ``sculpting`` (how a cut shapes a protected variable, Ch. 13); calibration joins in chapter 13.
- :mod:`dlpbook.model_selection`: choosing a model's capacity (Ch. 5): polynomial fits, the
  bias-variance decomposition (Eq. 5.1, 5.2), k-fold cross-validation.
- :mod:`dlpbook.history`: the record of a training run, shared by both frameworks and plots.
- :mod:`dlpbook.result_cache`: results of heavy trainings (arrays, weights as arrays) cached by
  code version, arguments, profile and seed, so that pages and gallery scripts train once.
- :mod:`dlpbook.plots`: figures (``feature_maps``: filters, feature maps, activation-maximization
  images, confusion matrices and class scores of CNNs, Ch. 12).

PyTorch (the reference framework: every model and algorithm exists here)

- :mod:`dlpbook.nn`: networks, one family per module: ``mlp`` (Ch. 3, 7; the Ex. 7.1/7.2
  networks), ``deep_mlp`` (Ch. 7: residual, batch-normalised and SELU networks), ``diagnostics``
  (activations and gradient norms per layer), ``conv`` (Ch. 8:
  convolutional blocks, the Ex. 8.x CNNs; the Ex. 12.1/12.2 CNNs with Keras' layer names), ``recurrent`` (Ch. 9: cells written out, bidirectional
  stacks), ``graph`` (Ch. 10: kNN graphs, EdgeConv, the sky-map DGCNN, GCN,
  ChebConv, Deep Sets, message passing), ``multitask`` (Ch. 11: weighted losses, station
  masking, the Ex. 11.1 network), ``init`` (Keras' ``he_normal`` and LeCun-normal
  initialisations for all of them).
- :mod:`dlpbook.train`: the training loop (``fit``), ``EpochLoop`` (history, callbacks and
  progress for explicit loops), callbacks, BatchNorm recalibration.
- :mod:`dlpbook.interpret`: interpretability (Ch. 12), one module per family of methods:
  ``activation_maximization`` (neuron, channel, deep-dream and class objectives with
  regularisers), ``deconvnet`` (Zeiler-Fergus reconstructions: transposed convolutions,
  backward ReLU, max-pool switches), ``attribution`` (saliency, gradient×input, integrated
  gradients, SmoothGrad), ``occlusion``, ``cam`` (class activation maps, Grad-CAM), ``lrp_rules`` and ``lrp`` (LRP-0,
  -ε, -γ, -αβ, z^B, composites, batch-norm folding), ``scores`` (the pre-softmax target score).
- :mod:`dlpbook.uncertainty`: uncertainties and robustness (Ch. 13), one method per module:
  the heteroscedastic Gaussian likelihood, deep ensembles and their aleatoric/epistemic
  combination, MC dropout, a Bayes-by-backprop layer, the bootstrap; decorrelation by
  planing, by an adversary behind a gradient-reversal layer (reused by Ch. 19's domain
  adaptation) and by distance correlation (DisCo); FGSM and PGD attacks. Everything
  trainable trains with ``fit`` (losses on nested targets such as ``(labels, weights)``);
  ``studies`` holds the cached trainings behind chapter 13's figures.
- :mod:`dlpbook.objectives`: objective functions (Ch. 14), one module per topic: ``fitting``
  (chi-square, Gaussian and Poisson likelihood fits by gradient descent, Hessian errors),
  ``divergences`` (KL, discrete and Gaussian), ``likelihood_ratio`` (the classifier trick
  D/(1-D)), ``gas_temperature`` (Ex. 14.3/14.4: Maxwell-Boltzmann fit, gas thermometer),
  ``robust_loss`` (Barron's general and adaptive loss), ``hamiltonian`` (Hamiltonian networks,
  leapfrog/RK4 trajectories), ``rbm`` (restricted Boltzmann machine, CD-k), ``gradient_free``
  (a (1+1) evolution strategy, NumPy only), ``studies`` (the chapter 14 page's trained
  examples, cached and shared with the gallery).
- Homes of the coming parts, each created when its first code arrives: ``generative``
  (Ch. 17-19: autoencoders, GANs, flows), ``adaptation`` (Ch. 20) and ``anomaly`` (Ch. 21). GAN, VAE and adversarial loops live there, not in ``fit``.

Keras 3 on TensorFlow (twins of the exercises only)

- :mod:`dlpbook.keras_nn`: mirrors :mod:`dlpbook.nn` module by module, with the same function
  names, signatures and defaults, limited to what the exercises use; the package's
  ``compile_for_fit`` compiles every Keras training of the exercises. TensorFlow is imported
  only through :func:`dlpbook.config.import_tensorflow`.

Solutions and tools

- :mod:`dlpbook.exercises`: the tested solutions shown on the exercise pages, one module per
  exercise topic, each with one frozen settings object per profile that both frameworks read;
  ``shower_relevance`` explains the trained Ex. 8.2 CNN with LRP for chapter 12.
- :mod:`dlpbook.cli`: the ``dlpbook`` command.

Layering rules (checked by ``tests/test_layering.py``): the framework-free modules import
neither torch nor TensorFlow; TensorFlow is imported only through ``config.import_tensorflow``;
the library never imports :mod:`dlpbook.exercises` or :mod:`dlpbook.cli`. Importing
:mod:`dlpbook` is cheap: torch and TensorFlow load only with the modules that need them.
"""

__version__ = "0.1.0"
