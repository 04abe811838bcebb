"""Stories: articles about the same event, across outlets and days.

Two articles published at most STORY_WINDOW_DAYS apart are one story when
- their texts nearly match: the word 4-shingles of their paragraphs overlap by at least
  TEXT_THRESHOLD of the smaller text's (containment, estimated from MinHash Jaccard and the
  two shingle counts): a republished, re-headlined, re-ordered or shortened article; or
- they name largely the same entities (at least MIN_SHARED_ENTITIES entity keys in common,
  as their documents give them: a full name, a gazetteer place, an organisation's name) and
  either almost only those (Jaccard at least ENTITY_THRESHOLD) or, with a looser overlap
  (ENTITY_THRESHOLD_WITH_DAYS), they talk about the same days: two outlets' reports of one
  event. Keys, not resolved entities: no later resolution changes what two articles share,
  so a load that resolves a key anew re-opens no story decision.
A story is a connected group of such pairs; its id derives from its smallest article id.

Every decision is made on a pair, from the two articles alone, so the stories depend only
on the set of articles, never on the order they were loaded in. The warehouse considers the
pairs that share a MinHash band (locality-sensitive hashing: near-identical texts) or at
least MIN_SHARED_ENTITIES entity keys (sql/load/story_candidates.sql); whether two articles
are such a candidate also depends on the two alone.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

import numpy as np

from etl.ids import story_id

# Bump when a rule or threshold here changes which articles are one story.
STORY_RULES_VERSION = "stories-3"

NUM_PERM = 64
BANDS, ROWS = 16, 4  # 16 bands of 4: pairs with Jaccard above ~0.5 share a band
SHINGLE = 4
TEXT_THRESHOLD = 0.7
MIN_SHINGLES = 20  # a text shorter than this is too short to be matched on text
ENTITY_THRESHOLD = 0.8
ENTITY_THRESHOLD_WITH_DAYS = 0.4
MIN_SHARED_ENTITIES = 5
STORY_WINDOW_DAYS = 3


def text_signature(text: str) -> tuple[list[int], int]:
    """MinHash of the word 4-shingles of each paragraph (lower-cased), and their count.

    Shingles stay inside paragraphs, so re-ordered paragraphs keep their signature.
    """
    shingles = set()
    for paragraph in re.split(r"\n\s*\n", text):
        words = re.findall(r"\w+", paragraph.lower())
        shingles.update(" ".join(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1)))
    # Imported here: the datasketch package imports its LSH and scipy with it (0.6 s), which
    # every Airflow task that loads etl.pipeline (discover, load, check) would pay.
    from datasketch import MinHash

    m = MinHash(num_perm=NUM_PERM, seed=1)
    m.update_batch([s.encode() for s in shingles])
    return [int(v) for v in m.hashvalues], len(shingles)


def band_hashes(signature: list[int]) -> list[int]:
    """One signed 64-bit hash per band of the signature: equal bands make a candidate pair."""
    out = []
    for b in range(BANDS):
        chunk = ",".join(map(str, signature[b * ROWS : (b + 1) * ROWS]))
        out.append(int.from_bytes(hashlib.blake2b(chunk.encode(), digest_size=8).digest(), "big", signed=True))
    return out


@dataclass(frozen=True)
class StoryFeatures:
    article_id: uuid.UUID
    published: date
    signature: tuple[int, ...]
    shingles: int
    entities: frozenset
    days: frozenset = frozenset()  # calendar days the article talks about (day and week mentions)

    @property
    def bands(self) -> frozenset:
        """The band hashes of the signature (cached: a pair check asks for them often)."""
        if "_bands" not in self.__dict__:
            object.__setattr__(
                self, "_bands", frozenset(band_hashes(list(self.signature))) if self.signature else frozenset()
            )
        return self.__dict__["_bands"]


def text_containment(a: StoryFeatures, b: StoryFeatures) -> float:
    """Share of the smaller text's shingles that the other has, from the MinHash Jaccard J:
    |A ∩ B| = J (|A| + |B|) / (1 + J)."""
    small = min(a.shingles, b.shingles)
    if small < MIN_SHINGLES or len(a.signature) != len(b.signature):
        return 0.0
    j = float(np.mean(np.array(a.signature) == np.array(b.signature)))
    return min(1.0, j * (a.shingles + b.shingles) / (1 + j) / small)


def same_story(a: StoryFeatures, b: StoryFeatures) -> bool:
    if abs((a.published - b.published).days) > STORY_WINDOW_DAYS:
        return False
    if text_containment(a, b) >= TEXT_THRESHOLD:
        return True
    shared = len(a.entities & b.entities)
    if shared < MIN_SHARED_ENTITIES:
        return False
    overlap = shared / len(a.entities | b.entities)
    return overlap >= ENTITY_THRESHOLD or (overlap >= ENTITY_THRESHOLD_WITH_DAYS and bool(a.days & b.days))


def candidate_pairs(features: dict) -> set[tuple]:
    """The pairs worth deciding among articles (id -> StoryFeatures): published at most
    STORY_WINDOW_DAYS apart, sharing a band hash (texts long enough to match) or
    MIN_SHARED_ENTITIES entities. What
    sql/load/story_candidates.sql finds in the warehouse, for evaluation in memory."""
    by_hash, by_entity = defaultdict(set), defaultdict(set)
    for a, f in features.items():
        for h in f.bands if f.shingles >= MIN_SHINGLES else ():
            by_hash[h].add(a)
        for e in f.entities if len(f.entities) >= MIN_SHARED_ENTITIES else ():
            by_entity[e].add(a)
    pairs = {p for group in by_hash.values() for p in itertools.combinations(sorted(group), 2)}
    shared = Counter(p for group in by_entity.values() for p in itertools.combinations(sorted(group), 2))
    pairs |= {p for p, n in shared.items() if n >= MIN_SHARED_ENTITIES}
    return {(a, b) for a, b in pairs if abs((features[a].published - features[b].published).days) <= STORY_WINDOW_DAYS}


def components(edges: list[tuple[uuid.UUID, uuid.UUID]]) -> dict[uuid.UUID, uuid.UUID]:
    """Article -> story id for every article on an edge (union-find; the smallest id names it)."""
    parent: dict[uuid.UUID, uuid.UUID] = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            lo, hi = sorted((ra, rb), key=str)
            parent[hi] = lo
    return {x: story_id(find(x)) for x in list(parent)}
