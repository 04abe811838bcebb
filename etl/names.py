"""Name folding: the form two spellings of one name share. A leaf module: ids, enrichment and
the warehouse steps all fold names alike."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from unidecode import unidecode


@lru_cache(maxsize=1 << 18)  # names repeat: every resolution folds the same canonical names
def fold(name: str) -> str:
    """Accents, case, punctuation and "the" dropped.

    "Sophie Wilmès" and "Sophie Wilmes", "U.S." and "US", "the United States" and
    "United States" fold alike.
    """
    s = unidecode(unicodedata.normalize("NFKC", name)).lower()
    s = re.sub(r"['’`]s\b", "", s)
    s = re.sub(r"\.(?=\w)|\.$", "", s)  # U.S. -> us
    s = re.sub(r"[^\w&]+", " ", s).strip()
    s = re.sub(r"^the\s+", "", s)
    return s
