"""
What the channels of a digit classifier respond to: activation maximization layer by layer
===========================================================================================

The convolutional network of Exercise 12.2 (four 3 x 3 convolutions, ReLU, max pooling before
the third and the fourth) is trained on scikit-learn's handwritten digits, upsampled to 28 x 28,
the offline substitute for MNIST; the training is cached and shared with the pages of chapter 12
and Exercise 12.2. For every channel of a layer, a noise image is changed by 50 steps of
gradient ascent on the channel's mean activation, each step of size 1 in units of the
RMS-normalised gradient (book Sec. 12.2.2, Eq. 12.1-12.3). The figures show the images that
come out, standardised, one panel per channel: the first layer answers to one small motif
repeated over the frame (stripes of one orientation), the second to textures of two scales,
and the third, which sees ten pixels square, to curved strokes and line ends, the parts of
digits. Channels marked "off" are zero for their start noise; their ReLU passes no gradient, so
they cannot be visualised from noise.
"""

import matplotlib.pyplot as plt

from dlpbook import config
from dlpbook.exercises import cnn_features

study = cnn_features.ActivationMaximizationStudy.for_profile()
model = cnn_features.trained_digits_cnn()  # trained once per code version, profile and seed, then cached
print(f"digits CNN, filters {study.training.filters}; ascent: {study.steps} steps of {study.step_size} "
      f"({config.describe()})")

# %%
# The first convolution: each channel's maximising input repeats one oriented motif.
study.plot_layer(model, "conv2d_1")
plt.show()

# %%
# The second convolution: textures that combine the first layer's motifs.
study.plot_layer(model, "conv2d_2")
plt.show()

# %%
# The third convolution, the layer the original solution visualises: strokes and line ends.
study.plot_layer(model, "conv2d_3")
plt.show()
