"""The layer rules of pyproject.toml's [tool.importlinter] hold (import-linter, dev extra)."""

from pathlib import Path

from importlinter.cli import lint_imports

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def test_the_import_contracts_hold(tmp_path, capsys):
    code = lint_imports(str(PYPROJECT), cache_dir=str(tmp_path / "cache"), no_logo=True)
    assert code == 0, capsys.readouterr().out
