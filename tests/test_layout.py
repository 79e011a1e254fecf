"""The README's map of the code matches the tree: every module it names exists, and every
subpackage and module of the package is named."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split("## How the code is laid out", 1)[1].split("\n## ", 1)[0]


def test_every_module_named_in_the_readme_exists():
    section = _section()
    for package, names in re.findall(r"`disputes/(\w+)/`:(.*?)(?=\n- |\Z)", section, re.S):
        for name in re.findall(r"`(\w+\.py)`", names):
            assert (ROOT / "disputes" / package / name).is_file(), f"disputes/{package}/{name}"


def test_every_subpackage_and_module_is_named_in_the_readme():
    section = _section()
    described = dict(re.findall(r"`disputes/(\w+)/`:(.*?)(?=\n- |\Z)", section, re.S))
    packages = [p.parent.name for p in (ROOT / "disputes").glob("*/__init__.py")]
    assert sorted(packages) == sorted(described)
    for package in packages:
        for module in (ROOT / "disputes" / package).glob("*.py"):
            if module.name != "__init__.py":
                assert f"`{module.name}`" in described[package], f"disputes/{package}/{module.name}"
