#!/usr/bin/env bash
# Relevance of the product's ranking beside plain BM25, measured in the same run (issue 5):
#   1. ViNewsQA dev questions over its 898 articles pooled with the first 50,000 VietNews
#      articles (target nDCG@10 >= 0.75; published BM25 0.695),
#   2. the same questions with their diacritics removed (target >= 0.68; folded BM25 0.48),
#   3. ALQAC 2022 legal questions over 3,626 law articles (target >= 0.86; syllable BM25 0.83).
# Indexes are cached under CACHE_DIR by corpus hash (first run: ~25 min on 2 cores, mostly
# pyvi and Whoosh over 50,898 articles; later runs only re-run the queries).
# Usage: bench/relevance.sh [SHARED_DIR] [CACHE_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${1:-../shared}
CACHE=${2:-data/eval-cache}
REL=$SHARED/relevance
EVAL=(.venv/bin/unionsearch eval --cache-dir "$CACHE")
VNQA=(--corpus "$REL/vinewsqa/corpus.jsonl" --queries "$REL/vinewsqa/queries-dev.tsv"
      --qrels "$REL/vinewsqa/qrels-dev.tsv"
      --extra-corpus "$SHARED/data/vietnews-143k.jsonl.xz" --extra-limit 50000)

echo "== ViNewsQA dev + 50,000 VietNews (target >= 0.75; published BM25 0.695)"
"${EVAL[@]}" "${VNQA[@]}"
echo
echo "== ViNewsQA dev + 50,000 VietNews, queries without diacritics (target >= 0.68; folded BM25 0.48)"
"${EVAL[@]}" "${VNQA[@]}" --fold-queries
echo
echo "== ALQAC 2022 (target >= 0.86; syllable BM25 0.83)"
"${EVAL[@]}" --corpus "$REL/alqac/corpus.jsonl" --queries "$REL/alqac/queries-2022.tsv" \
  --qrels "$REL/alqac/qrels-2022.tsv"
