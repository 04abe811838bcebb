"""Which day a run of the news_daily DAG loads: a function of the run's identity in Airflow.

A run loads the day of its logical date. For scheduled and backfill runs that is the start of
their data interval (the day that has just ended); a manual trigger given a logical date loads
that date's day, so a later backfill's "missing runs" are exactly the days no run has loaded.
A manual trigger without a logical date loads its `partition` param, or the last day that had
ended when it was triggered.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from etl.errors import NewsEtlError


class PartitionConflict(NewsEtlError):
    def __init__(self, logical_day: date, requested: date):
        super().__init__(
            f"the run's logical date is {logical_day} but its partition param asks for {requested}: a run"
            f" loads the day of its logical date; trigger without a logical date to load {requested}"
        )


def partition_of_run(logical_date: datetime | None, run_after: datetime, requested: date | None = None) -> date:
    """The day a run loads (see the module's docstring); dates are read in UTC."""
    if logical_date is not None:
        day = logical_date.astimezone(timezone.utc).date()
        if requested is not None and requested != day:
            raise PartitionConflict(day, requested)
        return day
    return requested or run_after.astimezone(timezone.utc).date() - timedelta(days=1)
