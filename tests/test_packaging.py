"""The wheel holds every package of the source tree (a package left out of pyproject's
list installs nothing of it, and the installed crmflags fails at its first import)."""

from __future__ import annotations

from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib", reason="tomllib is in the standard library from 3.11")

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_folder_is_listed_in_pyproject():
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    folders = {name: ROOT / path for name, path in setuptools["package-dir"].items()}
    found = set()
    for top, folder in folders.items():
        for init in folder.rglob("__init__.py"):
            if "__pycache__" not in init.parts:
                relative = init.parent.relative_to(folder).parts
                found.add(".".join((top, *relative)))
    missing = sorted(found - set(setuptools["packages"]))
    assert not missing, (
        f"packages missing from pyproject.toml's [tool.setuptools] packages: {missing}"
    )
