"""
An adversarial example for a jet-image classifier
=================================================

A fully-connected network tells QCD jets from two-prong (W-like) jets in 16 x 16 toy jet images
(``dlpbook.data.jets``, each image scaled to its hottest pixel), as in Sec. 13.3 of chapter 13.
The fast gradient sign method (FGSM) then changes every pixel of a test image by at most 1 % of
its hottest pixel, in the direction that raises the network's loss. The first figure shows a
jet the network classifies right with near certainty, the change (mostly a faint haze on the
empty pixels around the jet) and the attacked image, which the network assigns to the wrong
class; the titles give the class probabilities. The training is shared with the chapter page
(``dlpbook.uncertainty.studies.adversarial_attacks``, a cached result).
"""

import matplotlib.pyplot as plt

from dlpbook import config
from dlpbook.plots.uncertainty import plot_accuracy_vs_epsilon, plot_adversarial_example
from dlpbook.uncertainty import studies

attacked = studies.adversarial_attacks(seed=0)
print(f"true class of the example: {['QCD', 'two-prong'][int(attacked['example_label'])]} ({config.describe()})")
plot_adversarial_example(attacked["image"], attacked["adversarial"], attacked["clean_probability"],
                         attacked["adversarial_probability"], class_names=["QCD", "two-prong"],
                         unit="relative to the hottest pixel")
plt.show()

# %%
# Accuracy against the attack budget: FGSM (one step) and PGD (10 projected steps from a random
# start) on 1,000 test jets. A budget of a few percent of the hottest pixel per pixel makes the
# network wrong on almost every jet, far below guessing (0.5).

fig, ax = plt.subplots(figsize=(6.5, 4), layout="constrained")
plot_accuracy_vs_epsilon(attacked["epsilons"], {"FGSM": attacked["fgsm"], "PGD": attacked["pgd"]}, chance=0.5, ax=ax)
plt.show()
