"""Tested solutions of the book's exercises, one module per topic.

Each module holds the solution of one exercise in PyTorch (``train_torch``) and, where the
original exercise taught Keras, in Keras 3 on TensorFlow (``train_keras``); exercises that the
original solved in NumPy keep a NumPy solution. The exercise pages show these functions with
``literalinclude`` and execute them when the site is built. TensorFlow is imported only inside
the Keras functions (through :func:`dlpbook.config.import_tensorflow`).
"""
