"""The worked examples of chapter 14, trained once and shared by the page, the gallery and the tests.

Each study has a frozen settings object per execution profile (:func:`study_settings`); its
training runs through :func:`dlpbook.result_cache.cached_result`, so that the chapter page and
a gallery script that show the same networks train them once per code version and profile. One
module per study, so that editing one retrains only that one:

- :mod:`.hamiltonian_spring`: :func:`spring_networks`, :func:`spring_trajectories`: a
  Hamiltonian network and a plain network learn the mass-spring field (Example 14.5, Fig. 14.3);
- :mod:`.gas_speeds`: :func:`speed_ratio_study`, a classifier's ``D / (1 - D)`` against the
  analytic ratio of a Maxwell-Boltzmann and a Gaussian speed density (Sec. 14.2,
  Neyman-Pearson), and :func:`thermometer_study`, the gas thermometer network against the
  analytic estimator (Example 14.4);
- :mod:`.ising_rbm`: :func:`ising_rbm_study`, a restricted Boltzmann machine learns the exactly
  known Boltzmann distribution of a 4 x 4 Ising lattice with CD-k (Sec. 14.6);
- :mod:`.robust_fits`: :func:`barron_curves` (Fig. 14.2) and a calibration line with outliers
  fitted with Barron's loss (Sec. 14.4);
- :mod:`.classifier_search`: :func:`evolve_classifier`, :func:`classifier_search_study`: a
  network trained on its error rate by an evolution strategy (Sec. 14.7).
"""

from .classifier_search import SearchSettings, classifier_search_study, error_rate, evolve_classifier
from .common import study_settings
from .gas_speeds import (
    RatioSettings,
    ThermometerSettings,
    matched_gaussian,
    relative_resolution,
    speed_ratio_study,
    thermometer_study,
)
from .hamiltonian_spring import (
    SpringNetworks,
    SpringSettings,
    energy_drift,
    spring_field,
    spring_networks,
    spring_trajectories,
    spring_training_data,
)
from .ising_rbm import MAX_ISING_ENUMERATION, IsingRBMSettings, ising_boltzmann_distribution, ising_rbm_study
from .robust_fits import adaptive_line_fit, barron_curves, line_with_outliers, robust_line_fit

__all__ = [
    "MAX_ISING_ENUMERATION", "IsingRBMSettings", "RatioSettings", "SearchSettings", "SpringNetworks", "SpringSettings",
    "ThermometerSettings", "adaptive_line_fit", "barron_curves", "classifier_search_study", "energy_drift",
    "error_rate", "evolve_classifier", "ising_boltzmann_distribution", "ising_rbm_study", "line_with_outliers",
    "matched_gaussian", "relative_resolution", "robust_line_fit", "speed_ratio_study", "spring_field",
    "spring_networks", "spring_trajectories", "spring_training_data", "study_settings", "thermometer_study",
]
