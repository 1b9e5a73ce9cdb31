"""Small networks and inputs shared by the tests of dlpbook.interpret (tests/test_interpret_*.py)."""

import torch
from torch import nn

from dlpbook.nn.conv import GlobalPooling2d


def images(n: int = 4, size: int = 8, channels: int = 1, seed: int = 1) -> torch.Tensor:
    """Float64 images with values in [0, 1)."""
    return torch.rand(n, channels, size, size, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)


def cnn(bias: bool = True, seed: int = 0) -> nn.Sequential:
    """A float64 ReLU CNN on 1 x 8 x 8 images with max and average pooling, flatten and two
    dense layers; 3 outputs."""
    torch.manual_seed(seed)
    return nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1, bias=bias), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(4, 6, 3, padding=1, bias=bias), nn.ReLU(), nn.AvgPool2d(2),
        nn.Flatten(), nn.Linear(24, 8, bias=bias), nn.ReLU(), nn.Linear(8, 3, bias=bias),
    ).double().eval()


def mlp(bias: bool = True, seed: int = 0, activation: type[nn.Module] = nn.ReLU) -> nn.Sequential:
    """A float64 network 6 -> 10 -> 8 -> 3."""
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(6, 10, bias=bias), activation(), nn.Linear(10, 8, bias=bias), activation(),
                         nn.Linear(8, 3, bias=bias)).double().eval()


def gap_cnn(seed: int = 0) -> nn.Sequential:
    """A float64 CAM network: two convolutions -> global average pooling -> dropout -> dense (3
    classes) -> softmax; ``[3]`` is the last feature map, ``[6]`` the classifier."""
    torch.manual_seed(seed)
    return nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.Conv2d(4, 5, 3, padding=1), nn.ReLU(),
                         GlobalPooling2d("average"), nn.Dropout(0.5), nn.Linear(5, 3),
                         nn.Softmax(dim=-1)).double().eval()
