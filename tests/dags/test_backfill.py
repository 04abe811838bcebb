"""A backfill as a user makes one: real Airflow services, the REST API the UI calls, the CLI."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from etl.dev.airflow_stack import AirflowServices, metadata_database, wait_for_backfill_days
from tests.conftest import CHROMIUM_FLAGS, SERVER_URL
from tests.dags.conftest import DAGS

pytestmark = pytest.mark.slow


def _article(title: str, body: str) -> str:
    return f"{title}\n\n{body}\n"


@pytest.fixture
def services(tmp_path, pg_server, warehouse_url, landing):
    days = {
        "2021-03-16": ["Michel"],
        "2021-03-17": ["Dombrovskis"],  # issue 14's sequence
        "2021-03-18": ["Kuleba"],
        "2021-03-23": ["Borrell", "Stoltenberg"],
        "2021-03-24": ["Reeker"],
    }
    for day, names in days.items():
        folder = landing / day
        folder.mkdir()
        for i, name in enumerate(names):
            (folder / f"{i:03d}.txt").write_text(_article(f"{name} speaks", f"{name} spoke in Brussels on {day}."))
    with metadata_database(SERVER_URL, pg_server) as metadata_url:
        stack = AirflowServices(
            home=tmp_path / "airflow",
            metadata_url=metadata_url,
            dags_folder=DAGS,
            extra_env={
                "AIRFLOW_CONN_NEWS_WAREHOUSE": make_url(warehouse_url)
                .set(drivername="postgresql")
                .render_as_string(hide_password=False),
                "LANDING_DIR": str(landing),
                "NEWS_ETL_START_DATE": "2021-03-01",
            },
        )
        try:
            stack.start()
            yield stack
        finally:
            stack.stop()


# The test waits for a backfill's runs (wait_for_backfill_days) and only for its completion
# where Airflow requires it: before the next backfill of the DAG.
def _wait_for_backfill(client, backfill_id, timeout=600):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        b = client.get(f"/api/v2/backfills/{backfill_id}").json()
        if b.get("completed_at"):
            return b
        time.sleep(2)
    raise TimeoutError(f"backfill {backfill_id} did not complete in {timeout}s")


def _dag_runs(client) -> list[dict]:
    return client.get("/api/v2/dags/news_daily/dagRuns", params={"limit": 100}).json()["dag_runs"]


def _runs(client):
    return {r["data_interval_start"][:10]: r["state"] for r in _dag_runs(client)}


def _wait_for_run(client, run_id, timeout=300) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = client.get(f"/api/v2/dags/news_daily/dagRuns/{run_id}").json()
        if run["state"] in ("success", "failed"):
            return run
        time.sleep(2)
    raise TimeoutError(f"run {run_id} did not end in {timeout}s")


def _wait_for_scheduled_run(client, timeout=180) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        scheduled = [r for r in _dag_runs(client) if r["run_type"] == "scheduled"]
        if scheduled and scheduled[0]["state"] in ("success", "failed"):
            return scheduled[0]
        time.sleep(2)
    raise TimeoutError("the scheduler made no scheduled run of the latest day")


def test_backfill_from_the_api_and_the_cli_loads_each_day(services, engine):
    started = time.monotonic()
    client = services.client()
    services.wait_for_dag(client, "news_daily")
    # The UI's backfill form unpauses the DAG; runs of a paused DAG stay queued.
    assert client.patch("/api/v2/dags/news_daily", json={"is_paused": False}).status_code == 200

    # What the UI's "Backfill" button posts: two days, re-running completed ones.
    r = client.post(
        "/api/v2/backfills",
        json={
            "dag_id": "news_daily",
            "from_date": "2021-03-22T00:00:00Z",
            "to_date": "2021-03-23T00:00:00Z",
            "reprocess_behavior": "completed",
            "max_active_runs": 2,
        },
    )
    assert r.status_code == 200, r.text
    first_backfill = r.json()["id"]
    assert wait_for_backfill_days(client, ("2021-03-22", "2021-03-23")) == dict.fromkeys(
        ("2021-03-22", "2021-03-23"), "success"
    )
    print(f"\nbackfill of two days done at {time.monotonic() - started:.0f}s")
    peak_mb = services.memory_mb()

    # Unpausing let the scheduler make its own run of the latest complete day (catchup is
    # off), whose folder the landing zone does not have: a success, with a warning.
    scheduled = _wait_for_scheduled_run(client)
    assert scheduled["state"] == "success", scheduled
    r = client.get(
        f"/api/v2/dags/news_daily/dagRuns/{scheduled['dag_run_id']}/taskInstances/discover/xcomEntries/loaded"
    )
    assert r.status_code == 200, r.text
    result = r.json()["value"]
    day = scheduled["data_interval_start"][:10]
    assert result["files_seen"] == 0 and len(result["warnings"]) == 1 and f"no folder {day}" in result["warnings"][0], (
        result
    )
    assert f"has no folder {day}" in services.task_log(client, "news_daily", scheduled["dag_run_id"], "discover")

    # The same from the command line: the scheduler runs what `airflow backfill create`
    # writes, once the first backfill is complete (one backfill of a DAG at a time).
    _wait_for_backfill(client, first_backfill)
    out = services.airflow(
        "backfill",
        "create",
        "--dag-id",
        "news_daily",
        "--from-date",
        "2021-03-24",
        "--to-date",
        "2021-03-24",
        "--reprocess-behavior",
        "completed",
    )
    assert out.returncode == 0, out.stderr
    assert wait_for_backfill_days(client, ("2021-03-24",)) == {"2021-03-24": "success"}

    # A run is named for the day after the day it loads: the end of its data interval.
    by_day = {r["data_interval_start"][:10]: r for r in _dag_runs(client)}
    assert by_day["2021-03-22"]["dag_run_id"].startswith("backfill__2021-03-23T00:00:00"), by_day["2021-03-22"][
        "dag_run_id"
    ]
    assert by_day["2021-03-22"]["logical_date"].startswith("2021-03-22T00:00:00")
    # What the log of the task that loaded a small day (discover) tells the user: the day,
    # the rows written, the lock.
    load_log = services.task_log(client, "news_daily", by_day["2021-03-22"]["dag_run_id"], "discover")
    assert "partition 2021-03-22: 2 files seen, 2 loaded" in load_log and "rows written to" in load_log, load_log[
        -3000:
    ]
    assert "dwh.dim_article: 2 inserted" in load_log and "shared-state lock held" in load_log

    # Once a backfill skipped a day: a manual Trigger at 2021-03-16T00:00 loaded 03-15, then a
    # backfill that runs only missing days (here 03-16..03-17) skipped 03-16. A run at
    # midnight of a day now loads that day, as the backfill's own run of it would.
    manual = client.post("/api/v2/dags/news_daily/dagRuns", json={"logical_date": "2021-03-16T00:00:00Z"})
    assert manual.status_code == 200, manual.text
    assert _wait_for_run(client, manual.json()["dag_run_id"])["state"] == "success"
    for b in client.get("/api/v2/backfills", params={"dag_id": "news_daily"}).json()["backfills"]:
        _wait_for_backfill(client, b["id"])  # one backfill at a time: the CLI's must have ended
    r = client.post(
        "/api/v2/backfills",
        json={
            "dag_id": "news_daily",
            "from_date": "2021-03-16T00:00:00Z",
            "to_date": "2021-03-17T00:00:00Z",
            "reprocess_behavior": "none",
        },
    )
    assert r.status_code == 200, r.text
    assert wait_for_backfill_days(client, ("2021-03-17",)) == {"2021-03-17": "success"}
    # A second run of a day that has one is Airflow's to refuse (one run per logical date).
    again = client.post("/api/v2/dags/news_daily/dagRuns", json={"logical_date": "2021-03-17T00:00:00Z"})
    assert again.status_code == 409, again.text

    with engine.connect() as conn:
        per_day = dict(
            conn.execute(sa.text("select partition_date::text, count(*) from report.articles group by 1")).all()
        )
        runs_table = conn.execute(sa.text("select partition_date::text, status from report.runs order by 1")).all()
    assert per_day == {
        "2021-03-16": 1,
        "2021-03-17": 1,
        "2021-03-22": 2,
        "2021-03-23": 2,
        "2021-03-24": 1,
    }
    assert all(status == "succeeded" for _d, status in runs_table)
    assert (day, "succeeded") in runs_table
    print(f"\nbackfill test: {time.monotonic() - started:.0f}s wall, Airflow services {peak_mb:.0f} MB PSS")


def test_a_backfill_from_the_ui_loads_exactly_the_days_of_its_form(services, engine, chromium, tmp_path):
    """What a user does in a browser: log in, open news_daily, Trigger -> Backfill for three
    days (with a `partition` param, which a backfill ignores), and see the runs."""
    import json

    from playwright.sync_api import sync_playwright

    client = services.client()
    services.wait_for_dag(client, "news_daily")
    password = json.loads((services.home / "simple_auth_manager_passwords.json.generated").read_text())["admin"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            page.goto(f"{services.base_url}/")
            page.fill("input[name=username]", "admin")
            page.fill("input[name=password]", password)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(lambda url: "/auth/login" not in url)

            page.goto(f"{services.base_url}/dags/news_daily")
            page.get_by_role("button", name="Trigger").click()
            page.get_by_text("Backfill", exact=True).first.click()
            for picker, day in enumerate(("2021/03/16", "2021/03/18")):  # From, To: the days to load
                page.get_by_test_id("datetime-input").nth(picker).click()
                popover = page.locator("[data-scope=popover][data-part=content][data-state=open]")
                popover.get_by_placeholder("YYYY/MM/DD").fill(day)
                popover.get_by_placeholder("HH:mm").fill("00:00")
                page.keyboard.press("Escape")
            page.get_by_text("3 runs will be triggered.").wait_for()
            page.locator("input[name=max_active_runs]").fill("3")
            page.locator("#element_partition").fill("2021-03-01")  # ignored by a backfill
            page.get_by_role("button", name="Run Backfill").click()
            page.get_by_text("Backfill in progress").wait_for()

            days = ("2021-03-16", "2021-03-17", "2021-03-18")
            assert wait_for_backfill_days(client, days) == dict.fromkeys(days, "success")
            # The runs list names each run by its Run After, the end of the day it loaded.
            page.goto(f"{services.base_url}/dags/news_daily/runs")
            page.get_by_text("backfill__2021-03-19T00:00:00+00:00").wait_for()
            listed = page.locator("main").inner_text() if page.locator("main").count() else page.inner_text("body")
        finally:
            page.screenshot(path=str(tmp_path / "runs.png"), full_page=True)
            browser.close()

    assert {f"backfill__2021-03-{d}T00:00:00+00:00" for d in (17, 18, 19)} <= set(listed.split())
    assert "backfill__2021-03-16T00:00:00+00:00" not in listed and "backfill__2021-03-20" not in listed
    with engine.connect() as conn:
        loaded = conn.execute(
            sa.text("select partition_date::text, count(*) from report.articles group by 1 order by 1")
        ).all()
        runs = conn.execute(sa.text("select partition_date::text from report.runs where status = 'succeeded'")).all()
    assert loaded == [("2021-03-16", 1), ("2021-03-17", 1), ("2021-03-18", 1)]
    # The scheduler's own run of the latest day (unpausing makes it) may be there too.
    assert {"2021-03-16", "2021-03-17", "2021-03-18"} <= {r[0] for r in runs}
    assert not {r[0] for r in runs} & {"2021-03-01", "2021-03-15", "2021-03-19"}
