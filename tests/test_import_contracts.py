"""The layer rules of pyproject.toml's [tool.importlinter] hold (import-linter, dev extra).

Run in a child process: import-linter reconfigures logging, which would silence the log
records that later tests of this process check.
"""

import subprocess
import sys
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
LINT = (
    "import sys; from importlinter.cli import lint_imports; "
    "sys.exit(lint_imports(sys.argv[1], no_cache=True, no_logo=True))"
)


def test_the_import_contracts_hold():
    result = subprocess.run(
        [sys.executable, "-c", LINT, str(PYPROJECT)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
