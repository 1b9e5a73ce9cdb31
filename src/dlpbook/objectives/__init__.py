"""Objective functions (book Ch. 14): what a network, or a fit, is asked to minimise.

One module per topic, used as submodules (``from dlpbook.objectives import robust_loss``):

- :mod:`dlpbook.objectives.fitting`: chi-square (Eq. 14.1), Gaussian (Eq. 14.23) and Poisson
  negative log-likelihoods (Eq. 14.4), minimised by gradient descent with the parameter
  covariance from the Hessian (Examples 14.1, 14.2);
- :mod:`dlpbook.objectives.divergences`: Kullback-Leibler divergences in closed form, discrete
  and between Gaussians (Eqs. 14.11-14.13);
- :mod:`dlpbook.objectives.likelihood_ratio`: the classifier trick ``p/q ≈ D/(1-D)``
  (Eqs. 14.14, 14.15);
- :mod:`dlpbook.objectives.gas_temperature`: the Maxwell-Boltzmann temperature fit and the
  gas thermometer network (Examples 14.3, 14.4);
- :mod:`dlpbook.objectives.robust_loss`: Barron's general and adaptive robust loss (Eq. 14.30);
- :mod:`dlpbook.objectives.hamiltonian`: Hamiltonian neural networks with the corrected loss
  (Eqs. 14.31-14.40), a baseline network and leapfrog/RK4 trajectories;
- :mod:`dlpbook.objectives.rbm`: a binary restricted Boltzmann machine, Gibbs sampling and
  contrastive divergence (Eqs. 14.41, 14.42);
- :mod:`dlpbook.objectives.gradient_free`: a (1+1) evolution strategy (Sec. 14.7);
- :mod:`dlpbook.objectives.studies`: the worked examples of the chapter 14 page, one module per
  study, trained once (result cache) and shared with the gallery and the tests.

PyTorch where something is trained or differentiated; ``gradient_free`` uses NumPy alone.
"""
