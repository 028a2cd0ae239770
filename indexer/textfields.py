"""The path under which indexes on disk pickle :class:`UnitText` in their schema (the code is in
:mod:`indexer.whooshfast.textfields`): kept so that every index written so far opens."""
from __future__ import annotations

from indexer.whooshfast.textfields import UnitText

__all__ = ["UnitText"]
