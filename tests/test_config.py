import os
import subprocess
import sys

import numpy as np
import pytest

from dlpbook import config


def test_profile_default_and_choice(monkeypatch):
    monkeypatch.delenv("DLPBOOK_PROFILE", raising=False)
    assert config.profile() == "quick"
    assert config.by_profile(quick=1, full=2) == 1
    monkeypatch.setenv("DLPBOOK_PROFILE", "FULL")
    assert config.profile() == "full"
    assert config.by_profile(quick=1, full=2) == 2


def test_unknown_profile_is_an_error(monkeypatch):
    monkeypatch.setenv("DLPBOOK_PROFILE", "fast")
    with pytest.raises(ValueError, match="DLPBOOK_PROFILE must be one of"):
        config.profile()


def test_cache_dir_from_environment(private_cache):
    assert config.cache_dir() == private_cache


def test_seed_everything_is_reproducible():
    import torch

    config.seed_everything(3)
    a = (np.random.rand(), torch.rand(1).item())
    rng = config.seed_everything(3)
    assert (np.random.rand(), torch.rand(1).item()) == a
    assert isinstance(rng, np.random.Generator)
    with pytest.raises(ValueError, match="seed must be >= 0"):
        config.seed_everything(-1)


def test_torch_device_on_this_machine():
    import torch

    assert config.torch_device().type in {"cpu", "cuda", "mps"}
    if not torch.cuda.is_available():
        assert config.torch_device().type in {"cpu", "mps"}


def test_importing_dlpbook_and_data_stays_cheap():
    code = (
        "import sys, dlpbook, dlpbook.data, dlpbook.config, dlpbook.data.wine;"
        "heavy = [m for m in ('torch', 'tensorflow', 'keras', 'sklearn', 'scipy', 'networkx') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


@pytest.mark.skipif(sys.platform in ("darwin", "win32"), reason="XDG_CACHE_HOME is read on Linux and other Unix")
@pytest.mark.parametrize("xdg", ["", "   ", "relative/cache"])
def test_an_empty_or_relative_xdg_cache_home_is_ignored(monkeypatch, tmp_path, xdg):
    monkeypatch.delenv("DLPBOOK_CACHE")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    assert config.cache_dir() == tmp_path / ".cache" / "dlpbook"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert config.cache_dir() == tmp_path / "xdg" / "dlpbook"


def test_an_empty_dlpbook_cache_falls_back_to_the_user_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("DLPBOOK_CACHE", "")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    assert config.cache_dir().is_absolute()
    assert config.CACHE_VARIABLE == "DLPBOOK_CACHE"


@pytest.mark.keras
def test_tensorflow_loads_with_onednn_and_nothing_on_stderr():
    pytest.importorskip("tensorflow")
    env = {key: value for key, value in os.environ.items() if key not in ("TF_ENABLE_ONEDNN_OPTS", "TF_CPP_MIN_LOG_LEVEL")}
    code = ("from dlpbook import config; tf = config.import_tensorflow(); "
            "print(tf.nn.conv2d(tf.ones((1, 4, 4, 1)), tf.ones((3, 3, 1, 1)), 1, 'VALID').numpy().ravel())")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert result.stdout == "[9. 9. 9. 9.]\n"
    assert result.stderr == ""  # TensorFlow announces oneDNN's operations twice when nothing holds the line back


def test_held_back_stderr_keeps_every_other_line(capfd):
    with config._stderr_without(("oneDNN custom operations are on",)):
        os.write(2, b"first\nI0000 port.cc:153] oneDNN custom operations are on. You may see...\nlast\n")
    assert capfd.readouterr().err == "first\nlast\n"
