"""The ``checkout-app`` command line: one module per command group, each a thin layer over
services; ``main.py`` assembles them, ``errors.py`` holds the exit codes they share.

Nothing outside this package imports it (an import-linter contract in pyproject.toml). What is
slow to import (``app.py`` with its models, Qt, onnxruntime's quantization) is imported inside the
handlers that need it, so ``--help`` and a bad argument answer at once.
"""
