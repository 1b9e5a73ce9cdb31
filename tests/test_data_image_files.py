"""Readers of the original MNIST / Fashion-MNIST (IDX), CIFAR-10 (binary) and Keras .npz files.

Every test writes tiny files in the original formats itself; nothing is downloaded.
"""

import gzip

import numpy as np
import pytest

from dlpbook.data import image_files


def idx_bytes(array: np.ndarray, magic: int) -> bytes:
    """The IDX encoding of a uint8 array: big-endian magic, sizes, then the bytes."""
    header = magic.to_bytes(4, "big") + b"".join(int(size).to_bytes(4, "big") for size in array.shape)
    return header + np.ascontiguousarray(array, dtype=np.uint8).tobytes()


def write_mnist(folder, n_train=5, n_test=3, *, compress=False, seed=0):
    rng = np.random.default_rng(seed)
    arrays = {
        "x_train": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "y_train": rng.integers(0, 10, n_train).astype(np.uint8),
        "x_test": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "y_test": rng.integers(0, 10, n_test).astype(np.uint8),
    }
    for split, prefix in (("train", "train"), ("test", "t10k")):
        for kind, key, magic in (("images-idx3", "x", 2051), ("labels-idx1", "y", 2049)):
            content = idx_bytes(arrays[f"{key}_{split}"], magic)
            name = f"{prefix}-{kind}-ubyte"
            if compress:
                (folder / f"{name}.gz").write_bytes(gzip.compress(content))
            else:
                (folder / name).write_bytes(content)
    return arrays


@pytest.mark.parametrize("compress", [False, True])
def test_mnist_idx_files_read_back_exactly(tmp_path, compress):
    written = write_mnist(tmp_path, compress=compress)
    read = image_files.load_mnist(tmp_path)
    assert list(read) == ["x_train", "y_train", "x_test", "y_test"]
    for key, array in written.items():
        np.testing.assert_array_equal(read[key], array)
    assert read["x_train"].dtype == np.uint8 and read["x_train"].shape == (5, 28, 28)
    assert read["y_test"].dtype == np.int64 and read["y_test"].shape == (3,)


def test_idx_header_is_big_endian(tmp_path):
    path = tmp_path / "images"
    path.write_bytes(bytes([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 3]) + bytes([1, 2, 3, 4, 5, 6]))
    np.testing.assert_array_equal(image_files.read_idx_images(path), [[[1, 2, 3]], [[4, 5, 6]]])


def test_idx_bad_magic(tmp_path):
    path = tmp_path / "train-images-idx3-ubyte"
    path.write_bytes(idx_bytes(np.zeros((2, 28, 28), np.uint8), 2049 + 1))
    with pytest.raises(ValueError, match="magic number must be 2051, got 2050"):
        image_files.read_idx_images(path)
    labels = tmp_path / "labels"
    labels.write_bytes(idx_bytes(np.zeros((2, 28, 28), np.uint8), 2051))
    with pytest.raises(ValueError, match="magic number must be 2049, got 2051"):
        image_files.read_idx_labels(labels)


def test_idx_truncated_and_too_long(tmp_path):
    content = idx_bytes(np.ones((3, 28, 28), np.uint8), 2051)
    path = tmp_path / "images"
    path.write_bytes(content[:-1])
    with pytest.raises(ValueError, match="truncated: header shape \\(3, 28, 28\\) needs 2368 bytes, file has 2367"):
        image_files.read_idx_images(path)
    path.write_bytes(content + b"\0")
    with pytest.raises(ValueError, match="too long"):
        image_files.read_idx_images(path)
    path.write_bytes(content[:10])
    with pytest.raises(ValueError, match="truncated IDX header"):
        image_files.read_idx_images(path)
    path.write_bytes(b"\0\0")
    with pytest.raises(ValueError, match="too short for an IDX header"):
        image_files.read_idx_images(path)
    path.write_bytes(gzip.compress(content)[:-8])
    with pytest.raises(ValueError, match="corrupt gzip"):
        image_files.read_idx_images(path)


def test_mnist_mismatched_counts_wrong_size_and_missing_files(tmp_path):
    write_mnist(tmp_path)
    (tmp_path / "t10k-labels-idx1-ubyte").write_bytes(idx_bytes(np.zeros(4, np.uint8), 2049))
    with pytest.raises(ValueError, match="3 images but 4 labels"):
        image_files.load_mnist(tmp_path)
    (tmp_path / "t10k-labels-idx1-ubyte").write_bytes(idx_bytes(np.full(3, 10, np.uint8), 2049))
    with pytest.raises(ValueError, match="labels must lie in \\[0, 9\\], got \\[10, 10\\]"):
        image_files.load_mnist(tmp_path)
    (tmp_path / "train-images-idx3-ubyte").write_bytes(idx_bytes(np.zeros((5, 32, 32), np.uint8), 2051))
    with pytest.raises(ValueError, match="must be 28 x 28, got 32 x 32"):
        image_files.load_mnist(tmp_path)
    (tmp_path / "train-images-idx3-ubyte").unlink()
    with pytest.raises(FileNotFoundError, match="neither train-images-idx3-ubyte nor train-images-idx3-ubyte.gz"):
        image_files.load_mnist(tmp_path)


def cifar_records(images: np.ndarray, labels: np.ndarray) -> bytes:
    """The CIFAR-10 binary encoding: per record a label byte, then R, G, B planes row by row."""
    planes = images.transpose(0, 3, 1, 2).reshape(len(images), -1)
    return np.concatenate([labels[:, None].astype(np.uint8), planes], axis=1).tobytes()


def test_cifar10_binary_reads_back_exactly(tmp_path):
    rng = np.random.default_rng(1)
    folder = tmp_path / "cifar-10-batches-bin"
    folder.mkdir()
    written = {}
    for name, n in [*((f"data_batch_{i}.bin", 2) for i in range(1, 6)), ("test_batch.bin", 3)]:
        images = rng.integers(0, 256, (n, 32, 32, 3), dtype=np.uint8)
        labels = rng.integers(0, 10, n)
        (folder / name).write_bytes(cifar_records(images, labels))
        written[name] = images, labels
    read = image_files.load_cifar10_binary(tmp_path)
    assert read["x_train"].shape == (10, 32, 32, 3) and read["x_train"].dtype == np.uint8
    np.testing.assert_array_equal(read["x_train"][:2], written["data_batch_1.bin"][0])
    np.testing.assert_array_equal(read["y_train"][8:], written["data_batch_5.bin"][1])
    np.testing.assert_array_equal(read["x_test"], written["test_batch.bin"][0])
    assert read["y_test"].dtype == np.int64


def test_cifar10_channel_layout(tmp_path):
    record = bytes([7]) + bytes([10]) * 1024 + bytes([20]) * 1024 + bytes([30]) * 1023 + bytes([31])
    path = tmp_path / "one.bin"
    path.write_bytes(record)
    images, labels = image_files.read_cifar10_binary(path)
    assert labels.tolist() == [7]
    assert images[0, 0, 0].tolist() == [10, 20, 30]
    assert images[0, 31, 31].tolist() == [10, 20, 31]


def test_cifar10_errors(tmp_path):
    path = tmp_path / "data_batch_1.bin"
    path.write_bytes(bytes(3073 * 2 - 1))
    with pytest.raises(ValueError, match="length 6145 is not a positive multiple of the 3073-byte record"):
        image_files.read_cifar10_binary(path)
    path.write_bytes(b"")
    with pytest.raises(ValueError, match="length 0"):
        image_files.read_cifar10_binary(path)
    path.write_bytes(bytes([12]) + bytes(3072))
    with pytest.raises(ValueError, match="labels must lie in \\[0, 9\\]"):
        image_files.read_cifar10_binary(path)
    path.write_bytes(bytes(3073))
    with pytest.raises(FileNotFoundError, match="data_batch_2.bin"):
        image_files.load_cifar10_binary(tmp_path)


def test_keras_npz_reads_grey_and_colour(tmp_path):
    rng = np.random.default_rng(2)
    arrays = {
        "x_train": rng.integers(0, 256, (4, 32, 32, 3), dtype=np.uint8),
        "y_train": rng.integers(0, 10, (4, 1)).astype(np.uint8),
        "x_test": rng.integers(0, 256, (2, 32, 32, 3), dtype=np.uint8),
        "y_test": rng.integers(0, 10, (2, 1)).astype(np.uint8),
    }
    np.savez(tmp_path / "cifar.npz", **arrays)
    read = image_files.load_image_npz(tmp_path / "cifar.npz")
    np.testing.assert_array_equal(read["x_train"], arrays["x_train"])
    np.testing.assert_array_equal(read["y_test"], arrays["y_test"][:, 0])
    assert read["y_train"].dtype == np.int64 and read["y_train"].shape == (4,)
    grey = {key: (value[..., 0] if key[0] == "x" else value[:, 0]) for key, value in arrays.items()}
    np.savez(tmp_path / "mnist.npz", **grey)
    assert image_files.load_image_npz(tmp_path / "mnist.npz")["x_test"].shape == (2, 32, 32)


def test_keras_npz_errors(tmp_path):
    good = {
        "x_train": np.zeros((2, 28, 28), np.uint8),
        "y_train": np.zeros(2, np.int64),
        "x_test": np.zeros((1, 28, 28), np.uint8),
        "y_test": np.zeros(1, np.int64),
    }
    path = tmp_path / "data.npz"
    cases = [
        ({"y_test": np.array([{"label": 1}], dtype=object)}, "not a readable .npz file"),
        ({"x_train": good["x_train"].astype(np.float32)}, "x_train must be uint8, got float32"),
        ({"x_test": np.zeros((1, 28, 28, 2), np.uint8)}, "x_test must be \\(n, rows, cols\\) or"),
        ({"y_train": np.zeros(2, np.float64)}, "y_train must be integer labels"),
        ({"y_train": np.zeros(3, np.int64)}, "2 images but 3 labels"),
        ({"y_test": np.array([-1])}, "labels must lie in \\[0, 9\\]"),
    ]
    for change, message in cases:
        np.savez(path, **{**good, **change})
        with pytest.raises(ValueError, match=message):
            image_files.load_image_npz(path)
    np.savez(path, **{key: value for key, value in good.items() if key != "y_test"})
    with pytest.raises(ValueError, match="missing array\\(s\\) \\['y_test'\\]"):
        image_files.load_image_npz(path)
