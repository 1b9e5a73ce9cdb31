"""Plotting helpers shared by pages and the gallery."""
