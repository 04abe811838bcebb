"""Calendar words, shared by parse (datelines, date lines) and the date rules (etl.enrich.dates)."""

from __future__ import annotations

import calendar

MONTHS = {calendar.month_name[i].lower(): i for i in range(1, 13)}
MONTH_NUMBERS = MONTHS | {calendar.month_abbr[i].lower(): i for i in range(1, 13)} | {"sept": 9}
WEEKDAYS = {calendar.day_name[i].lower(): i for i in range(7)}

# A month's name or abbreviation ("March", "Mar.", "Sept"), without a capture group.
MONTH_NAME = r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?|Sep(?:t(?:ember)?)?\.?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"


def month_number(word: str) -> int | None:
    """1-12 for a month's name or abbreviation in any case ("MARCH", "Sept.", "dec"), else None."""
    w = word.lower().rstrip(".")
    return MONTH_NUMBERS.get("sept" if w.startswith("sept") else w[:3])
