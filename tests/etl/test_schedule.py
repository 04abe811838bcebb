"""The day a DAG run loads is a function of the run's identity (issue 14, finding 7)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from etl.schedule import PartitionConflict, partition_of_run

UTC = UTC


def at(day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2021, 3, day, hour, minute, tzinfo=UTC)


def test_scheduled_and_backfill_runs_load_the_day_their_logical_date_starts():
    # A @daily run with logical date (data interval start) 2021-03-22 runs after the day ends.
    assert partition_of_run(at(22), run_after=at(23)) == date(2021, 3, 22)


def test_a_manual_trigger_at_midnight_loads_that_day_as_a_backfill_run_would():
    # Triggered with logical date 2021-03-16T00:00, then a backfill over 03-16..03-18 skips the
    # existing run for 03-16: no day may be left out, so both mean 03-16.
    manual = partition_of_run(at(16), run_after=at(16, 9, 30))
    backfill = partition_of_run(at(16), run_after=at(17))
    assert manual == backfill == date(2021, 3, 16)


def test_a_manual_trigger_now_loads_its_param_or_the_last_complete_day():
    assert partition_of_run(at(23, 9, 30), run_after=at(23, 9, 30)) == date(2021, 3, 22)
    assert partition_of_run(None, run_after=at(23, 9, 30)) == date(2021, 3, 22)
    assert partition_of_run(at(23, 9, 30), run_after=at(23, 9, 30), requested=date(2021, 3, 1)) == date(2021, 3, 1)


def test_a_param_that_contradicts_a_midnight_logical_date_is_refused():
    with pytest.raises(PartitionConflict, match="a run at midnight loads that day"):
        partition_of_run(at(16), run_after=at(17), requested=date(2021, 3, 1))


def test_a_backfill_loads_its_own_days_whatever_the_param_says():
    # The backfill form shows the DAG's params: one `partition` for a range of days must
    # neither fail nor redirect them.
    days = [
        partition_of_run(at(d), run_after=at(d + 1), requested=date(2021, 3, 1), run_type="backfill") for d in (16, 17)
    ]
    assert days == [date(2021, 3, 16), date(2021, 3, 17)]


def test_times_are_read_in_utc():
    tokyo = timezone(timedelta(hours=9))
    midnight_utc = at(16).astimezone(tokyo)  # 09:00 on 03-16 in Tokyo
    assert partition_of_run(midnight_utc, run_after=midnight_utc) == date(2021, 3, 16)
