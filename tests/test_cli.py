import numpy as np
import pytest

from dlpbook import cli, data


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
