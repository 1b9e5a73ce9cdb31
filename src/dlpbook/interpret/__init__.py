"""Interpretability (book Ch. 12): what a network has learned and why it predicts what it does.

One module per family of methods, used as submodules (``from dlpbook.interpret import lrp``):

- :mod:`dlpbook.interpret.activation_maximization`: feature visualisation, gradient ascent on
  the input for neuron, channel, layer ("deep dream") and class objectives (Eq. 12.1-12.4),
  with gradient normalisation, L2, jitter and blur;
- :mod:`dlpbook.interpret.deconvnet`: the DeconvNet of Zeiler and Fergus (Sec. 12.2.1), one
  activation projected back to the input with transposed convolutions, ReLUs on the backward
  signal and max-pool switches;
- :mod:`dlpbook.interpret.attribution`: saliency (Eq. 12.5), gradient×input, integrated
  gradients and SmoothGrad;
- :mod:`dlpbook.interpret.occlusion`: occlusion maps with a chosen patch, stride and baseline
  (Sec. 12.3.3);
- :mod:`dlpbook.interpret.cam`: class activation maps (Eq. 12.6-12.8) and Grad-CAM;
- :mod:`dlpbook.interpret.lrp_rules` and :mod:`dlpbook.interpret.lrp`: layer-wise relevance
  propagation (Eq. 12.9) with the rules LRP-0, LRP-ε, LRP-γ, LRP-αβ and z^B, composites that
  assign them per layer, and the folding of batch normalisation into the layer before it;
- :mod:`dlpbook.interpret.scores`: the class score before the softmax that all of them
  explain, and the ``target`` convention.

Every method works on torch modules in evaluation mode and leaves their parameters untouched.
"""
