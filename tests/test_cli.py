import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import dlpbook
from dlpbook import cli, data
from dlpbook.data import memory, registry


def test_help_lists_every_data_set(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["data", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for name in data.datasets():
        assert name in out


def test_writes_the_simulated_arrays(tmp_path, capsys):
    out = tmp_path / "quakes.npz"
    assert cli.main(["data", "earthquakes", "--n", "50", "--seed", "3", "--timing-noise-s", "0.01", "--out", str(out)]) == 0
    written = data.load_npz(out)
    expected = data.simulate("earthquakes", 50, seed=3, timing_noise_s=0.01)
    assert written.keys() == expected.keys()
    for key in expected:
        np.testing.assert_array_equal(written[key], expected[key])
    assert "wrote" in capsys.readouterr().err


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["data", "ising-ish", "--out", "x.npz"], "invalid choice: 'ising-ish'"),
        (["data", "sine", "--n", "-5", "--out", "x.npz"], "--n must be an integer >= 1, got -5"),
        (["data", "sine", "--seed", "-1", "--out", "x.npz"], "--seed must be an integer >= 0, got -1"),
        (["data", "sine", "--out", "x.csv"], "--out must end in .npz"),
        (["data", "checkerboard", "--noise", "0.9", "--out", "x.npz"], "--noise must be a finite number >= 0 and <= 0.5, got 0.9"),
    ],
)
def test_bad_arguments_exit_with_code_2(arguments, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        cli.main(arguments)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_unwritable_output_path_exits_with_code_2(tmp_path, capsys):
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    for target in (tmp_path / "missing" / "x.npz", a_file / "x.npz"):
        with pytest.raises(SystemExit) as exit_info:
            cli.main(["data", "sine", "--n", "10", "--out", str(target)])
        assert exit_info.value.code == 2
        assert "cannot write" in capsys.readouterr().err


def test_write_failure_exits_with_code_2(tmp_path, capsys, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError("read-only file system")

    monkeypatch.setattr(cli, "save_npz", refuse)
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["data", "sine", "--n", "10", "--out", str(tmp_path / "x.npz")])
    assert exit_info.value.code == 2
    assert "read-only file system" in capsys.readouterr().err


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["maxwell_boltzmann", "--temperature-k", "inf"], "--temperature-k must be a finite number, got inf"),
        (["oscillators", "--dt", "1e308"], "--dt must be a finite number > 0 and <= 10.0, got 1e+308"),
        (["oscillators", "--dt", "nan"], "--dt must be a finite number, got nan"),
        (["airshowers", "--mass", "1e9"], "--mass must be a finite number >= 1.0 and <= 56.0, got 1000000000.0"),
        (["ising", "--t-min", "3", "--t-max", "2"], "--t-max must be a finite number >= 3.0 and <= 1000.0, got 2.0"),
        (["ising", "--L", "7"], "--L must be an even integer >= 2 and <= 256 (checkerboard updates), got 7"),
        (["cr_sphere", "--max-sources", "100000000"], "--max-sources must be an integer >= 1 and <= 500, got 100000000"),
        (["jets", "--classes", "0,0"], "--classes must be distinct labels from 0, 1, 2 (comma-separated), got '0,0'"),
    ],
)
def test_parameter_errors_name_the_flag_and_show_the_data_set_usage(arguments, message, capsys, tmp_path):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["data", *arguments, "--out", str(tmp_path / "x.npz")])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert f"usage: dlpbook data {arguments[0]} " in err
    assert err.rstrip().endswith(f"dlpbook data {arguments[0]}: error: {message}")
    assert "np.float64" not in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_output_under_a_file_says_the_parent_is_a_file(tmp_path, capsys):
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    with pytest.raises(SystemExit):
        cli.main(["data", "sine", "--out", str(a_file / "o.npz")])
    assert f"{a_file} is a file, not a folder" in capsys.readouterr().err


def test_too_large_requests_are_refused_before_generating(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(memory, "available_memory", lambda: 1_000_000)
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["data", "sine", "--n", "1000000000000", "--out", str(tmp_path / "x.npz")])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "1,000,000,000,000 samples of sine need about 32.0 TB of memory" in err
    assert "ask for at most about 31,250 samples" in err


def test_running_out_of_memory_is_a_clear_error(tmp_path, capsys, monkeypatch):
    def exhausted(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(registry, "simulate", exhausted)
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["data", "sine", "--n", "1000", "--out", str(tmp_path / "x.npz")])
    assert exit_info.value.code == 2
    assert "out of memory while generating 1,000 samples of sine; ask for fewer with --n" in capsys.readouterr().err


_SLOW_WRITER = """
import sys, time
import numpy as np
from dlpbook import cli

def slow_savez(handle, **arrays):
    handle.write(b"PK partial")
    handle.flush()
    print("writing", flush=True)
    time.sleep(60)

np.savez = slow_savez
sys.exit(cli.main(["data", "sine", "--n", "10", "--out", sys.argv[1]]))
"""


@pytest.mark.parametrize(
    "signum, code, line",
    [
        (signal.SIGTERM, 143, "dlpbook: stopped by SIGTERM, nothing written"),
        (signal.SIGINT, 130, "dlpbook: interrupted, nothing written"),
    ],
    ids=["SIGTERM", "Ctrl-C"],
)
def test_a_stopped_write_leaves_nothing_behind(tmp_path, signum, code, line):
    folder = tmp_path / "out"
    folder.mkdir()
    env = {**os.environ, "PYTHONPATH": str(Path(dlpbook.__file__).parents[1])}
    # the writer starts with the default handling of the signal even where the test runner
    # ignores it (a background job of a non-interactive shell inherits SIGINT ignored)
    writer = subprocess.Popen(
        [sys.executable, "-c", _SLOW_WRITER, str(folder / "x.npz")], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env=env, preexec_fn=lambda: signal.signal(signum, signal.SIG_DFL),
    )
    try:
        assert writer.stdout.readline().strip() == "writing"
        assert len(list(folder.iterdir())) == 1  # the temporary file
        writer.send_signal(signum)
        _, err = writer.communicate(timeout=30)
    finally:
        writer.kill()
        writer.wait()
    assert writer.returncode == code
    assert err.rstrip().splitlines()[-1] == line
    assert "Traceback" not in err
    assert list(folder.iterdir()) == []
