"""Which day a run of the news_daily DAG loads: a function of the run's identity in Airflow.

Scheduled and backfill runs have a logical date at midnight, the start of their data interval:
they load that day, once it has ended. A manual trigger whose logical date is a midnight names
a day the same way, and loads it: so a later backfill's "missing runs" (runs are matched by
logical date) are exactly the days no run has loaded. Any other manual trigger (the UI's
default logical date is the moment it was opened; it may also be cleared) loads its
`partition` param, or the last day that had ended by then. A backfill's runs load their own
days whatever the param says: Airflow's backfill form shows the DAG's params too, and one
`partition` for every day of a range would fail all days but one.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from etl.errors import NewsEtlError


class PartitionConflict(NewsEtlError):
    def __init__(self, logical_day: date, requested: date):
        super().__init__(
            f"the run's logical date is {logical_day} 00:00 but its partition param asks for {requested}:"
            f" a run at midnight loads that day; trigger with another logical date (or none) to load {requested}"
        )


def partition_of_run(
    logical_date: datetime | None, run_after: datetime, requested: date | None = None, run_type: str = "manual"
) -> date:
    """The day a run loads (see the module's docstring); times are read in UTC."""
    if run_type == "backfill":
        requested = None
    moment = (logical_date or run_after).astimezone(UTC)
    names_a_day = logical_date is not None and moment.time() == time(0)
    if names_a_day:
        if requested is not None and requested != moment.date():
            raise PartitionConflict(moment.date(), requested)
        return moment.date()
    return requested or moment.date() - timedelta(days=1)
