"""Plain text for places that cannot show markup: tooltips and image alt text.

Inline math is written out in Unicode characters, since neither a ``title`` nor an ``alt``
attribute can hold MathJax, and raw LaTeX reads badly there.
"""

import re

from docutils import nodes

GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "eta": "η",
    "theta": "θ", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν", "pi": "π", "rho": "ρ",
    "sigma": "σ", "tau": "τ", "phi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
    "Delta": "Δ", "Sigma": "Σ", "Omega": "Ω",
}
SYMBOLS = {
    "partial": "∂", "sum": "Σ", "leftarrow": "←", "rightarrow": "→", "to": "→", "times": "×",
    "cdot": "·", "approx": "≈", "le": "≤", "ge": "≥", "lesssim": "≲", "sim": "~", "in": "∈",
    "infty": "∞", "nabla": "∇", "pm": "±", "prod": "Π", "int": "∫",
}
BIG_OPERATORS = {"sum", "prod", "int"}
SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")


def plain_math(latex):
    """Inline LaTeX in plain Unicode characters, good enough for a tooltip.

    >>> plain_math(r"L = \\frac1k\\sum_i [f(\\vec x_i) - y_i]^2")
    'L = 1/k Σ_i [f(x_i) - y_i]²'
    """
    text = re.sub(r"\\frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}", r"\1/\2", latex)
    text = re.sub(r"\\frac\s*(\w)\s*(\w)", r"\1/\2", text)
    text = re.sub(r"\\(?:vec|mathrm|mathbf|text|hat|bar)\s*", "", text)
    text = re.sub(r"\^\{?(-?\d+)\}?", lambda match: match.group(1).translate(SUPERSCRIPTS), text)
    text = re.sub(r"_\{([^{}]*)\}", r"_\1", text)

    def symbol(match):
        name = match.group(1)
        character = GREEK.get(name) or SYMBOLS.get(name) or name
        # a space between a factor and a big operator: "1/k Σ", not "1/kΣ"
        follows_factor = match.start() > 0 and match.string[match.start() - 1].isalnum()
        if name in BIG_OPERATORS:
            return (" " if follows_factor else "") + character + (" " if match.group(0)[-1].isspace() else "")
        return character

    text = re.sub(r"\\([A-Za-z]+)\s?", symbol, text)
    text = text.replace("\\,", " ").replace("\\", "")
    return re.sub(r"[{}]", "", text)


def plain_text(node):
    """The text of a docutils node with its inline math written by :func:`plain_math`."""
    parts = []
    for child in node.findall(lambda n: isinstance(n, (nodes.Text, nodes.math)), include_self=False):
        if isinstance(child, nodes.math):
            parts.append(plain_math(child.astext()))
        elif not isinstance(child.parent, nodes.math):
            parts.append(child.astext())
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def first_sentence(text):
    """Text up to and including its first full stop that ends a sentence."""
    return SENTENCE_END.split(text, maxsplit=1)[0]
