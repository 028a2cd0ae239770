"""The Whoosh fast paths (indexer/whooshfast) are written against one Whoosh release: the pin in
pyproject.toml must be the installed version, and every private name they use must exist."""
from __future__ import annotations

import importlib
import inspect
import re
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest

from indexer.whooshfast import PRIVATE_NAMES

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def pinned_whoosh() -> str:
    deps = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["dependencies"]
    found = [m for d in deps if (m := re.fullmatch(r"whoosh3\s*(\S*)\s*(?:;.*)?", d.strip()))]
    assert len(found) == 1, f"one whoosh3 requirement expected in {PYPROJECT}: {deps}"
    spec = found[0][1]
    assert spec.startswith("==") and re.fullmatch(r"==[\w.]+", spec), \
        f"whoosh3 must be pinned exactly (==x.y.z), not {spec!r}"
    return spec[2:]


def test_installed_whoosh_is_the_pinned_one():
    assert version("whoosh3") == pinned_whoosh()


def resolves(module: str, dotted: str) -> bool:
    """``module.dotted`` exists: as an attribute, or, for the last part of a class, as an
    attribute the class (or a Whoosh base) assigns to its instances (``self._x = ...``)."""
    obj = importlib.import_module(module)
    parts = dotted.split(".")
    for i, part in enumerate(parts):
        if hasattr(obj, part):
            obj = getattr(obj, part)
            continue
        if i == len(parts) - 1 and inspect.isclass(obj):
            assigned = re.compile(rf"self\.{re.escape(part)}\s*(?::|=(?!=))")
            return any(assigned.search(inspect.getsource(cls)) for cls in obj.__mro__
                       if cls.__module__.startswith("whoosh"))
        return False
    return True


@pytest.mark.parametrize(("module", "name"), PRIVATE_NAMES,
                         ids=[f"{m}:{n}" for m, n in PRIVATE_NAMES])
def test_private_whoosh_name_exists(module, name):
    assert resolves(module, name), f"{module}.{name} is gone: indexer/whooshfast needs updating"


def test_the_name_check_notices_a_missing_name():
    assert not resolves("whoosh.codec.whoosh3", "W3FieldWriter._no_such_attribute")
    assert not resolves("whoosh.codec.whoosh3", "NoSuchClass._tindex")
