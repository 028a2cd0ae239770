"""Near-duplicate keys: syndicated copies of one story share a ``dup_key``.

Union news is republished nearly verbatim across newspapers, federation portals and government
portals; search collapses such copies into one hit with a count. A 64-bit SimHash over syllable
3-shingles of the body tells copies apart from merely similar stories; copies within a small
Hamming distance are clustered (candidates found by 4 exact 16-bit bands, so distance ≤ 3 is
never missed) and the cluster takes one key.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

from corpus.textnorm import fold

MAX_DISTANCE = 3
_WORD = re.compile(r"\w+")


def simhash(text: str) -> int:
    tokens = _WORD.findall(fold(text).lower())
    shingles = [" ".join(tokens[i:i + 3]) for i in range(max(1, len(tokens) - 2))]
    weights = [0] * 64
    for shingle in shingles:
        h = int.from_bytes(hashlib.blake2b(shingle.encode(), digest_size=8).digest(), "big")
        for bit in range(64):
            weights[bit] += 1 if h >> bit & 1 else -1
    return sum(1 << bit for bit in range(64) if weights[bit] > 0)


def dup_keys(texts: Sequence[str], ids: Sequence[str]) -> list[str]:
    """One key per text; texts within :data:`MAX_DISTANCE` bits share the smallest id."""
    hashes = [simhash(t) for t in texts]
    parent = list(range(len(texts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for band in range(4):
        buckets: dict[int, list[int]] = {}
        for i, h in enumerate(hashes):
            if len(texts[i]) >= 200:   # short texts collide too easily
                buckets.setdefault(h >> (16 * band) & 0xFFFF, []).append(i)
        for members in buckets.values():
            for a_pos, a in enumerate(members):
                for b in members[a_pos + 1:]:
                    if bin(hashes[a] ^ hashes[b]).count("1") <= MAX_DISTANCE:
                        ra, rb = find(a), find(b)
                        if ra != rb:
                            parent[max(ra, rb)] = min(ra, rb)
    roots = [find(i) for i in range(len(texts))]
    key_of_root: dict[int, str] = {}
    for i, root in enumerate(roots):
        key_of_root[root] = min(key_of_root.get(root, ids[i]), ids[i])
    return [key_of_root[root] for root in roots]
