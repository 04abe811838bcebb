"""Every id the warehouse exposes, derived here from natural keys and nowhere else.

The same input gives the same ids whatever the load order or the number of re-runs, so
dashboards and comparisons survive backfills (DESIGN.md: "Ids ... are stable"). SQL never
computes an id: the pipeline computes them here and stages them with the rows.
"""

from __future__ import annotations

import hashlib
import uuid
from functools import lru_cache

from etl.names import fold

_ARTICLE_AND_SOURCE = uuid.UUID("6f1c1d4e-8a53-4b0e-9a57-3c1f0f0e7e21")
_ENTITY = uuid.UUID("0c0e8a3e-5d0b-4c38-9d7e-4a0f0b6a8f11")


def article_id(path: str) -> uuid.UUID:
    """An article is its path relative to the landing root ("2021-03-22/000_f482.txt")."""
    return uuid.uuid5(_ARTICLE_AND_SOURCE, f"article:{path}")


def source_id(name: str) -> uuid.UUID:
    """An outlet is its folded name: "UrduPoint.com" and "URDUPOINT.COM" are one outlet."""
    return uuid.uuid5(_ARTICLE_AND_SOURCE, f"source:{fold(name)}")


@lru_cache(maxsize=1 << 16)  # a resolution asks for the same entity's id once per key
def entity_id(key: str) -> uuid.UUID:
    """A canonical entity is the key it resolved to ("person:antony blinken")."""
    return uuid.uuid5(_ENTITY, key)


def story_id(first_article_id: uuid.UUID) -> uuid.UUID:
    """A story is named by its smallest article id (an article alone is its own story)."""
    return uuid.UUID(hashlib.md5(f"story:{first_article_id}".encode()).hexdigest())
