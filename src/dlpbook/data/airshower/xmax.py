"""Depth of the shower maximum: the Gumbel parametrisation of De Domenico et al. (book D3).

De Domenico, Settimo, Riggi and Bertin, JCAP 07 (2013) 050, fit the Xmax distribution of
simulated showers (here the EPOS-LHC fit) with a generalised Gumbel density in
``z = (Xmax - mu) / sigma``,

.. math:: f(X_{max}) = \\frac{\\lambda^\\lambda}{\\sigma\\,\\Gamma(\\lambda)}\\,
          \\exp\\left(-\\lambda z - \\lambda e^{-z}\\right),

whose parameters are polynomials in ``lE = log10(E / eV) - 19`` with coefficients
quadratic in ``ln A``. If ``G ~ Gamma(shape=lambda, scale=1/lambda)`` then
``mu - sigma ln G`` has this density, which is how :func:`sample_xmax` draws. Its moments
follow from ``E[ln G] = psi(lambda) - ln(lambda)`` and ``Var[ln G] = psi'(lambda)``:

.. math:: \\langle X_{max}\\rangle = \\mu + \\sigma\\,(\\ln\\lambda - \\psi(\\lambda)), \\qquad
          \\mathrm{RMS}(X_{max}) = \\sigma\\,\\sqrt{\\psi'(\\lambda)}.
"""

from __future__ import annotations

import numpy as np

from ...validation import check_float

MU_COEFFS = np.array([[775.589, -7.047, -2.427], [57.589, -0.743, 0.214], [-0.820, -0.169, -0.027]])
"""Rows give (p0, p1, p2) of ``mu = p0 + p1 lE + p2 lE^2`` as (1, ln A, ln^2 A) coefficients, g/cm^2."""
SIGMA_COEFFS = np.array([[29.403, 13.553, -3.154], [0.096, -0.961, 0.150]])
"""Rows give (q0, q1) of ``sigma = q0 + q1 lE``, g/cm^2."""
LAMBDA_COEFFS = np.array([[0.563, 0.711, 0.058], [0.039, 0.067, -0.004]])
"""Rows give (r0, r1) of ``lambda = r0 + r1 lE`` (dimensionless)."""


MASS_RANGE = (1.0, 56.0)
"""Mass numbers A of the primaries the parametrisation was fitted to: proton to iron."""


def check_mass(mass: float) -> float:
    """Validate a mass number A in :data:`MASS_RANGE` (1 = proton, 56 = iron)."""
    return check_float(mass, "mass", low=MASS_RANGE[0], high=MASS_RANGE[1])


def gumbel_parameters(log10_energy_ev: np.ndarray, mass: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``mu`` (g/cm^2), ``sigma`` (g/cm^2) and ``lambda`` for energies ``log10(E/eV)`` and mass ``A``."""
    ln_a = np.log(check_mass(mass))
    d = np.array([1.0, ln_a, ln_a**2])
    le = np.asarray(log10_energy_ev, dtype=float) - 19.0
    p, q, r = MU_COEFFS @ d, SIGMA_COEFFS @ d, LAMBDA_COEFFS @ d
    return p[0] + p[1] * le + p[2] * le**2, q[0] + q[1] * le, r[0] + r[1] * le


def xmax_moments(log10_energy_ev: np.ndarray, mass: float) -> tuple[np.ndarray, np.ndarray]:
    """Analytic mean and RMS of Xmax (g/cm^2) of the Gumbel parametrisation (no ground cut)."""
    from scipy.special import digamma, polygamma

    mu, sigma, lam = gumbel_parameters(log10_energy_ev, mass)
    return mu + sigma * (np.log(lam) - digamma(lam)), sigma * np.sqrt(polygamma(1, lam))


def sample_xmax(
    log10_energy_ev: np.ndarray,
    mass: float,
    rng: np.random.Generator,
    max_depth_g_cm2: np.ndarray | float = np.inf,
) -> np.ndarray:
    """Draw Xmax (g/cm^2) for each energy, redrawing values deeper than ``max_depth_g_cm2``.

    The redraw keeps the shower maximum above the ground (D3 uses the slant depth of the
    point 200 m above the array), so the result follows the Gumbel density truncated there.
    """
    mu, sigma, lam = gumbel_parameters(log10_energy_ev, mass)
    limit = np.broadcast_to(max_depth_g_cm2, mu.shape)
    xmax = np.full(mu.shape, np.inf)
    pending = np.ones(mu.shape, dtype=bool)
    for _ in range(1000):
        if not pending.any():
            return xmax
        draw = mu[pending] - sigma[pending] * np.log(rng.gamma(lam[pending], 1.0 / lam[pending]))
        xmax[pending] = draw
        pending[pending] = draw > limit[pending]
    raise RuntimeError("Xmax redraw did not converge: max_depth_g_cm2 is too shallow")
