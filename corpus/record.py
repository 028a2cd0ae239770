"""The cleaned-article record and the corpus file that holds them.

``<data-dir>/corpus/articles.jsonl``: one JSON object per line, one line per canonical URL, UTF-8,
NFC. Written whole to a temporary file and renamed into place, so a reader (the indexer) never
sees half a corpus. Fields are documented on :class:`Article`; the indexer keys on ``id`` (derived
from the canonical URL) and uses ``content_hash`` to skip unchanged articles.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta, timezone
from pathlib import Path

#: The province value of a national (not local) article, under both schemes; defined once here.
NATIONAL = "Toàn quốc"
#: Vietnam's time zone (UTC+7, no daylight saving): dates without an offset are local time.
VN_TZ = timezone(timedelta(hours=7))


def published_datetime(value: str) -> datetime | None:
    """An article's ``published`` at whatever precision it has (``2012-12-28T14:46:00+07:00``,
    ``2012-12-28``, ``2012-12``, ``2012``) as an aware datetime at the start of that period."""
    if not value:
        return None
    if len(value) in (4, 7) and value[:4].isdigit():
        value = value + ("-01-01" if len(value) == 4 else "-01")
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=VN_TZ)


def published_precision(value: str) -> str:
    """"time", "day", "month", "year" or "" for a ``published`` value."""
    return {0: "", 4: "year", 7: "month", 10: "day"}.get(len(value), "time")


@dataclass
class Article:
    url: str                                   # canonical URL
    title: str
    sapo: str = ""                             # the lead paragraph
    body: list[str] = field(default_factory=list)        # body paragraphs, boilerplate removed
    captions: list[str] = field(default_factory=list)    # image captions, kept apart from body
    attachments: list[dict] = field(default_factory=list)  # [{url, name}]
    aliases: list[str] = field(default_factory=list)     # other URLs of the same page
    source: str = ""                           # source name (sources.toml) or host
    source_title: str = ""
    published: str = ""     # ISO 8601 at the page's precision (time, day or month), "" when unknown
    date_source: str = "none"   # selector|meta|jsonld|time|byline|pretitle|header|url|lead|none
    author: str = ""
    kind: str = "news"                         # news | directive
    province_old_code: str = ""                # GSO code of the pre-2025 province, "" = national
    province_old: str = NATIONAL
    province_new_code: str = ""
    province_new: str = NATIONAL
    doc_numbers: list[dict] = field(default_factory=list)  # [{number, type, issuer}]
    content_hash: str = ""                     # sha256 of title + sapo + body
    dup_key: str = ""                          # near-duplicate key (SimHash, hex)
    fetched_at: str = ""

    @property
    def id(self) -> str:
        return article_id(self.url)

    @property
    def text(self) -> str:
        return "\n".join(self.body)

    def to_json(self) -> dict:
        """The record as a JSON-ready dict. Shallow (the lists are the article's own): the
        indexer serialises one per article, and ``asdict``'s deep copy was a fifth of that."""
        data = {name: getattr(self, name) for name in _FIELD_ORDER}
        data["id"] = self.id
        return data

    @classmethod
    def from_json(cls, data: dict) -> Article:
        return cls(**{k: v for k, v in data.items() if k in _FIELD_NAMES})


_FIELD_ORDER = tuple(f.name for f in fields(Article))
_FIELD_NAMES = frozenset(_FIELD_ORDER)


def article_id(url: str) -> str:
    """Stable short id from the canonical URL (used in article-page URLs)."""
    return hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]


def content_hash(title: str, sapo: str, body: Iterable[str]) -> str:
    h = hashlib.sha256()
    for part in (title, sapo, *body):
        h.update(part.encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


def corpus_path(data_dir: Path) -> Path:
    return Path(data_dir) / "corpus" / "articles.jsonl"


def write_corpus(path: Path, articles: Iterable[Article]) -> int:
    """Write all articles atomically (temp file + rename); returns the count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".articles-", suffix=".tmp", dir=path.parent)
    n = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            for article in articles:
                out.write(json.dumps(article.to_json(), ensure_ascii=False) + "\n")
                n += 1
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return n


def read_corpus(path: Path) -> Iterator[Article]:
    """Articles of a corpus file; a bad line raises an error naming the file and line."""
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                yield Article.from_json(json.loads(line))
            except (ValueError, TypeError) as exc:
                raise ValueError(f"{path}:{lineno}: not an article record ({exc})") from exc
