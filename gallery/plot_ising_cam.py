"""
Class activation maps of Ising configurations
=============================================

Where does a convolutional network see the phase of a spin configuration? The network of
Exercise 12.3 (the CNN of Ex. 8.1 with global average pooling and two softmax outputs,
ferromagnetic and paramagnetic) is trained once on simulated 32 x 32 Ising configurations; its
class activation maps weight the 32 feature maps of the last convolution with the output
layer's weights, pixel by pixel (book Sec. 12.3.2.1), so that their average is the class score.
Three test configurations, below, just below and above T_c = 2.269, are shown with both maps
on top, bilinearly stretched from the 16 x 16 grid of the last convolution. The ferromagnetic
map is bright where the spins are ordered and dark at islands of flipped spins and domain
walls; the paramagnetic map is its mirror image, because with two classes only the difference
of the two scores matters.
"""

import matplotlib.pyplot as plt
import numpy as np

from dlpbook import config
from dlpbook.exercises import ising_cam as ic
from dlpbook.plots.class_activation import plot_class_activation_maps

study = ic.CamStudy.for_profile()
result = ic.run(study, "torch")  # the training is cached and shared with the page of Ex. 12.3
temperature, probability = result.run.temperature, result.run.output
shown = [int(np.argmin(np.abs(temperature - t))) for t in (1.9, 2.2, 2.45)]
ferro, para = result.order_correlation(study.window)
print(f"test accuracy {result.run.test_accuracy:.3f}; correlation with the local |m| over "
      f"{study.window} x {study.window} sites: ferromagnetic map {ferro:+.2f}, paramagnetic map {para:+.2f} "
      f"({config.describe()})")
labels = [f"$T$ = {temperature[i]:.2f} $J/k_B$\nP(para) = {probability[i]:.2f}" for i in shown]
plot_class_activation_maps(result.spins[shown], result.maps[shown], labels, ic.CLASSES)
plt.show()
