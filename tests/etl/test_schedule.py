"""The day a DAG run loads is a function of the run's identity (issue 14, finding 7)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from etl.schedule import PartitionConflict, partition_of_run

UTC = timezone.utc


def test_scheduled_and_backfill_runs_load_their_interval_start():
    # A @daily run with logical date (data interval start) 2021-03-22 runs after the day ends.
    assert partition_of_run(datetime(2021, 3, 22, tzinfo=UTC), datetime(2021, 3, 23, tzinfo=UTC)) == date(2021, 3, 22)


def test_a_manual_trigger_with_a_logical_date_loads_that_day_as_a_backfill_would():
    # Triggered with logical date 2021-03-16T00:00: the backfill's run for 03-16 would load 03-16
    # too, so a backfill over 03-16..03-18 that skips the existing run leaves no day out.
    manual = partition_of_run(datetime(2021, 3, 16, tzinfo=UTC), datetime(2021, 3, 16, 9, 30, tzinfo=UTC))
    backfill = partition_of_run(datetime(2021, 3, 16, tzinfo=UTC), datetime(2021, 3, 17, tzinfo=UTC))
    assert manual == backfill == date(2021, 3, 16)


def test_a_manual_trigger_without_a_logical_date_loads_its_param_or_the_last_complete_day():
    now = datetime(2021, 3, 23, 9, 30, tzinfo=UTC)
    assert partition_of_run(None, now) == date(2021, 3, 22)
    assert partition_of_run(None, now, requested=date(2021, 3, 1)) == date(2021, 3, 1)


def test_a_param_that_contradicts_the_logical_date_is_refused():
    with pytest.raises(PartitionConflict, match="trigger without a logical date"):
        partition_of_run(datetime(2021, 3, 16, tzinfo=UTC), datetime(2021, 3, 17, tzinfo=UTC), requested=date(2021, 3, 1))


def test_days_are_read_in_utc():
    tokyo = timezone(timedelta(hours=9))
    late_evening_utc = datetime(2021, 3, 16, 23, 30, tzinfo=UTC).astimezone(tokyo)  # 03-17 in Tokyo
    assert partition_of_run(late_evening_utc, late_evening_utc) == date(2021, 3, 16)
