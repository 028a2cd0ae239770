"""What the cleaner returns for one page or file: an article, or the reason there is none."""
from __future__ import annotations

from dataclasses import dataclass

from corpus.clean.extract import Extraction
from corpus.record import Article


@dataclass
class CleanResult:
    article: Article | None
    reason: str = ""              # why no article: "listing", "soft-404", "too-short"…
    extraction: Extraction | None = None
