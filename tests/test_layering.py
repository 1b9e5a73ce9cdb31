"""The layering rules of the package docstring (src/dlpbook/__init__.py), checked on the sources.

The rules, by the names the failure messages use:

framework-free
    The framework-free modules (:data:`FRAMEWORK_FREE`, by their top-level name under dlpbook)
    import neither torch, TensorFlow nor Keras, nor a dlpbook module outside that list (which
    would import them in turn). The only exceptions are :data:`LAZY_IMPORTS`: config imports
    torch inside ``torch_device`` and TensorFlow inside ``import_tensorflow``.
tensorflow-through-config
    TensorFlow is imported only inside ``dlpbook.config.import_tensorflow``.
keras-after-config
    A module that imports Keras calls ``import_tensorflow()`` earlier in the same function (or
    at module level), so TensorFlow starts silenced; other modules get Keras through such a
    helper.
library-independent
    Library modules (everything but dlpbook.exercises and dlpbook.cli) never import
    dlpbook.exercises or dlpbook.cli.
inside-package
    Relative imports do not climb out of the dlpbook package.

Modules are classified by their top-level name under ``dlpbook``. The last test imports
the framework-free modules in fresh interpreters and looks into ``sys.modules``.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[1] / "src" / "dlpbook"

FRAMEWORK_FREE = {
    "config", "validation", "data", "numpynet", "metrics", "model_selection", "history", "result_cache", "plots", "cli",
    "convolution_arithmetic", "hexagonal_grid", "graph_matrices",
}
"""Top-level modules and packages of dlpbook that import neither torch nor TensorFlow."""
FRAMEWORKS = {"torch", "tensorflow", "keras"}
LAZY_IMPORTS = {("dlpbook.config", "torch_device"): {"torch"}, ("dlpbook.config", "import_tensorflow"): {"tensorflow"}}
"""(module, function) -> the frameworks that this function alone may import."""
TOOLS = {"exercises", "cli"}
"""Top-level names of dlpbook that the library (everything else) never imports."""


class _Imports(ast.NodeVisitor):
    """Every import statement with its innermost enclosing function (``None`` at module level)."""

    def __init__(self):
        self.function: ast.FunctionDef | None = None
        self.found: list[tuple[ast.Import | ast.ImportFrom, ast.FunctionDef | None]] = []

    def visit_FunctionDef(self, node):
        outer, self.function = self.function, node
        self.generic_visit(node)
        self.function = outer

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Import(self, node):
        self.found.append((node, self.function))

    visit_ImportFrom = visit_Import


def _is_module(root: Path, name: str) -> bool:
    path = root.joinpath(*name.split(".")[1:])
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _imported_modules(node, module: str, is_package: bool, root: Path) -> list[str] | None:
    """Absolute names of the modules an import statement loads; ``None`` if it leaves dlpbook."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    source = node.module or ""
    if node.level:
        package = module.split(".") if is_package else module.split(".")[:-1]
        if node.level > len(package):
            return None
        source = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else []))
    if source.split(".")[0] != "dlpbook":
        return [source]
    # "from dlpbook.x import y" loads dlpbook.x.y when y is a module, else just dlpbook.x
    return [f"{source}.{a.name}" if _is_module(root, f"{source}.{a.name}") else source for a in node.names]


def _calls_import_tensorflow_before(scope: ast.AST, line: int) -> bool:
    statements = scope.body if not isinstance(scope, ast.Module) else [
        s for s in scope.body if not isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
    ]
    for node in (n for s in statements for n in ast.walk(s)):
        if isinstance(node, ast.Call) and node.lineno < line:
            callee = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
            if callee == "import_tensorflow":
                return True
    return False


def layering_violations(root: Path) -> list[str]:
    """Every broken rule in the package folder ``root``, as ``file:line: [rule] message``."""
    found = []
    for path in sorted(root.rglob("*.py")):
        parts = ["dlpbook", *path.relative_to(root).with_suffix("").parts]
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        top = parts[1] if len(parts) > 1 and parts[1] != "__init__" else ""
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        collector = _Imports()
        collector.visit(tree)
        for node, function in collector.found:
            where = f"{path.relative_to(root.parent)}:{node.lineno}"
            function_name = function.name if function is not None else None
            names = _imported_modules(node, module, path.name == "__init__.py", root)
            if names is None:
                found.append(f"{where}: [inside-package] the relative import climbs above the dlpbook package")
                continue
            for name in names:
                head, *rest = name.split(".")
                if top in FRAMEWORK_FREE or module == "dlpbook":
                    if head in FRAMEWORKS and head not in LAZY_IMPORTS.get((module, function_name), set()):
                        found.append(f"{where}: [framework-free] {module} imports {name}")
                    if head == "dlpbook" and rest and rest[0] not in FRAMEWORK_FREE:
                        found.append(f"{where}: [framework-free] {module} imports {name}, which is not framework-free")
                if head == "tensorflow" and (module, function_name) != ("dlpbook.config", "import_tensorflow"):
                    found.append(f"{where}: [tensorflow-through-config] {module} imports {name}; use config.import_tensorflow()")
                if head == "keras" and not _calls_import_tensorflow_before(function or tree, node.lineno):
                    scope = f"{function_name}()" if function_name else "module level"
                    found.append(f"{where}: [keras-after-config] {module} imports keras in {scope} without calling "
                                 "config.import_tensorflow() before")
                if top not in TOOLS and head == "dlpbook" and rest and rest[0] in TOOLS:
                    found.append(f"{where}: [library-independent] {module} imports {name}")
    return found


def test_the_package_keeps_its_layering_rules():
    assert SOURCE.is_dir()
    violations = layering_violations(SOURCE)
    assert not violations, "layering rules of src/dlpbook/__init__.py broken:\n" + "\n".join(violations)


def test_every_rule_is_detected(tmp_path):
    root = tmp_path / "dlpbook"
    files = {
        "__init__.py": "",
        "config.py": "def torch_device():\n    import torch\n\ndef import_tensorflow():\n    import tensorflow\n"
                     "\ndef describe():\n    import torch\n",
        "nn/__init__.py": "import torch\nfrom ..exercises import ex\n",
        "plots/curves.py": "from ..nn import mlp\nfrom .. import config, nn\n",
        "data/toys.py": "from ..train import fit\nfrom .. import validation\n",
        "data/deep.py": "from ... import outside\n",
        "keras_nn/__init__.py": "from .. import config\n\ndef keras():\n    config.import_tensorflow()\n    import keras\n"
                                "    return keras\n\ndef early():\n    import keras\n    config.import_tensorflow()\n",
        "keras_nn/layers.py": "import tensorflow as tf\nfrom keras import layers\n",
        "exercises/ex.py": "from .. import cli, nn\n",
        "cli.py": "from .exercises import ex\n",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    assert sorted(layering_violations(root)) == sorted([
        "dlpbook/config.py:8: [framework-free] dlpbook.config imports torch",
        "dlpbook/cli.py:1: [framework-free] dlpbook.cli imports dlpbook.exercises.ex, which is not framework-free",
        "dlpbook/nn/__init__.py:2: [library-independent] dlpbook.nn imports dlpbook.exercises.ex",
        "dlpbook/plots/curves.py:1: [framework-free] dlpbook.plots.curves imports dlpbook.nn, which is not framework-free",
        "dlpbook/plots/curves.py:2: [framework-free] dlpbook.plots.curves imports dlpbook.nn, which is not framework-free",
        "dlpbook/data/toys.py:1: [framework-free] dlpbook.data.toys imports dlpbook.train, which is not framework-free",
        "dlpbook/data/deep.py:1: [inside-package] the relative import climbs above the dlpbook package",
        "dlpbook/keras_nn/__init__.py:9: [keras-after-config] dlpbook.keras_nn imports keras in early() without calling "
        "config.import_tensorflow() before",
        "dlpbook/keras_nn/layers.py:1: [tensorflow-through-config] dlpbook.keras_nn.layers imports tensorflow; use "
        "config.import_tensorflow()",
        "dlpbook/keras_nn/layers.py:2: [keras-after-config] dlpbook.keras_nn.layers imports keras in module level without "
        "calling config.import_tensorflow() before",
    ])


FREE_MODULES = ["dlpbook", "dlpbook.config", "dlpbook.validation", "dlpbook.data", "dlpbook.numpynet", "dlpbook.metrics",
                "dlpbook.history", "dlpbook.plots.training", "dlpbook.plots.resolution", "dlpbook.cli",
                "dlpbook.convolution_arithmetic", "dlpbook.hexagonal_grid", "dlpbook.graph_matrices"]


@pytest.mark.parametrize("module", FREE_MODULES)
def test_framework_free_modules_load_no_framework(module):
    code = (f"import sys, importlib; importlib.import_module({module!r}); "
            "print(sorted(name for name in ('torch', 'tensorflow', 'keras') if name in sys.modules))")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SOURCE.parent), os.environ.get("PYTHONPATH", "")])}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120, check=True)
    assert result.stdout.strip() == "[]", f"importing {module} loads {result.stdout.strip()}"
