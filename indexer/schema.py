"""The Whoosh schema: which text forms are indexed and which columns feed the facets.

Text is indexed three ways (accent-keeping syllables, folded syllables, pyvi words with syllable
bigrams; see ``analysis``). Only the folded fields keep positions: a run of accented syllables is
found by its bigrams in the word fields, a run typed without diacritics (or a document number
written out) as a phrase in the folded fields, and positions in the accent-keeping fields too
would cost a fifth of the indexing time for no query that needs them. Document numbers get a
KEYWORD field of their own so ``02-NQ/TW`` stays one token.
Facet values live in ``f_*`` columns (multi-valued ones joined by ``|``) that the
searcher loads into arrays once per index generation, so counts never touch stored fields.
"""
from __future__ import annotations

from whoosh.columns import NumericColumn, VarBytesColumn
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, Schema

from indexer.analysis import (
    folded_analyzer,
    folded_syllables,
    syllable_analyzer,
    syllables,
    word_analyzer,
    word_units,
)
from indexer.whooshfast import UnitText

#: Facet columns: URL parameter name → schema field.
FACET_FIELDS = {
    "province": "f_province_new",
    "province_old": "f_province_old",
    "month": "f_month",
    "type": "f_type",
    "issuer": "f_issuer",
    "source": "f_source",
    "kind": "f_kind",
    "cited": "f_cited",
}
MULTI_SEP = "|"


def make_schema() -> Schema:
    syl, fol, wrd = syllable_analyzer(), folded_analyzer(), word_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        url=ID(stored=True),
        content_hash=ID(stored=True),
        title=UnitText(syllables, analyzer=syl, phrase=False),
        sapo=UnitText(syllables, analyzer=syl, phrase=False),
        body=UnitText(syllables, analyzer=syl, phrase=False),
        title_fold=UnitText(folded_syllables, analyzer=fol, phrase=True),
        text_fold=UnitText(folded_syllables, analyzer=fol, phrase=True),
        title_words=UnitText(word_units, analyzer=wrd, phrase=False),
        text_words=UnitText(word_units, analyzer=wrd, phrase=False),
        so_hieu=KEYWORD(lowercase=True, commas=True, scorable=True),
        # Columns only (no index terms: nothing searches them, the searcher loads them whole).
        date_sort=COLUMN(NumericColumn("q", default=0)),      # Unix time, 0 when unknown
        # 1 when the title names a document number: among identical copies (exact score
        # ties) the official, citable text ranks first and represents the cluster.
        official=COLUMN(NumericColumn("B", default=0)),
        dup_key=COLUMN(VarBytesColumn()),                     # UTF-8, as the facets below
        **{name: COLUMN(VarBytesColumn()) for name in FACET_FIELDS.values()},
        record=STORED(),  # the whole cleaned article (JSON text): result lists and article pages
    )
