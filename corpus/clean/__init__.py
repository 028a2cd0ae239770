"""The cleaner: one fetched page in, one :class:`~corpus.record.Article` (or a reason) out.

It lives in ``corpus`` because it defines what a corpus record is: the crawler only archives
bytes, the indexer only reads records, and both the record format and the Vietnamese text rules
(``textnorm``, ``docnumbers``, ``gazetteer``) that the cleaner applies are shared from here.

Modules: ``page`` (one HTML page to a record), ``extract`` (coordinates ``meta``, ``prune``, ``title``,
``lead``, ``blocks``, ``selectors``, ``attachments``, ``site``),
``boilerplate`` (Vietnamese furniture vocabularies), ``gate`` (article or not), ``dates``
(publication date and its provenance: selector | meta | jsonld | time | byline | pretitle |
header | url | lead | none), ``text`` (NFC and mojibake repair, also partial), ``documents``
(PDF/DOCX directives), ``stage`` (the clean stage over the WARC store).
"""
from __future__ import annotations

from corpus.clean.page import clean_bytes, clean_html
from corpus.clean.result import CleanResult

__all__ = ["CleanResult", "clean_bytes", "clean_html"]
