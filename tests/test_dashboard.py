"""The "News warehouse" dashboard as an analyst sees it: Superset (in its own virtual environment)
on a warehouse loaded through the pipeline, opened in headless Chromium.

Every chart of dashboards/assets/ must draw data and none may show an error. The screenshot is
saved in the test's folder, and where $NEWS_ETL_DASHBOARD_SCREENSHOT says (the README's picture):

    NEWS_ETL_DASHBOARD_SCREENSHOT=docs/dashboard.png python -m pytest tests/test_dashboard.py
"""

from __future__ import annotations

import importlib.util
import os
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from etl import pipeline
from etl.settings import load_settings
from etl.warehouse import db
from tests.conftest import BBC_LANDING, CHROMIUM_FLAGS, DEMO_LANDING, REPO, free_port


def _load_script(path: Path):
    """dashboards/ is a folder of scripts (run by Superset's Python too), not a package."""
    spec = importlib.util.spec_from_file_location(f"dashboards_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


superset_env = _load_script(REPO / "dashboards" / "superset_env.py")

pytestmark = pytest.mark.slow

DAYS = [date(2021, 3, 16) + timedelta(days=i) for i in range(7)]  # the BBC days, then the demo's
CHART_NAMES = {
    yaml.safe_load(p.read_text())["slice_name"] for p in (REPO / "dashboards" / "assets" / "charts").glob("*.yaml")
}
# Per chart holder: its title, whether it has finished loading, and what it draws.
CHARTS_JS = """() => [...document.querySelectorAll('.dashboard-component-chart-holder')].map(h => ({
    name: h.querySelector('[data-test="editable-title"]')?.innerText.trim()
        || h.querySelector('[data-test-chart-name]')?.dataset.testChartName,
    loading: !!h.querySelector('[data-test="loading-indicator"]'),
    canvas: h.querySelectorAll('canvas').length,
    shapes: h.querySelectorAll('svg path.datamaps-subunit').length,
    rows: h.querySelectorAll('table tbody tr').length,
    empty: !!h.querySelector('[data-test="empty-state"]'),
    error: !!h.querySelector('.ant-alert-error, [data-test="error-tooltip"], [role="alert"]'),
    text: h.innerText,
}))"""


@pytest.fixture
def news_warehouse(warehouse_url, tmp_path):
    """A warehouse loaded by the pipeline with the demo samples and the BBC fixture (~300 files, 7 days)."""
    landing = tmp_path / "landing"
    shutil.copytree(DEMO_LANDING, landing)
    shutil.copytree(BBC_LANDING, landing, dirs_exist_ok=True, ignore=shutil.ignore_patterns("README.md"))
    settings = load_settings({}).override(landing_dir=landing, warehouse_url=warehouse_url)
    engine = db.make_engine(warehouse_url)
    try:
        for day in DAYS:
            pipeline.run_partition(engine, settings, day)
    finally:
        engine.dispose()
    return warehouse_url


def _wait_for_http(url: str, proc: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"Superset exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"Superset did not answer {url} in {timeout}s:\n{log.read_text()[-3000:]}")


def _superset_environ(env, warehouse_url: str, tmp_path: Path) -> dict[str, str]:
    """A fresh Superset metadata database (a copy of the migrated template) on this warehouse."""
    metadata = tmp_path / "superset.db"
    shutil.copyfile(env.metadata_template, metadata)
    # The warehouse as the analysts' read-only role; trust auth here, so no password.
    reader_url = db.reader_url(warehouse_url).set(drivername="postgresql+psycopg2")
    return env.environ(
        f"sqlite:///{metadata}",
        secrets.token_urlsafe(42),
        NEWS_WAREHOUSE_READER_URL=reader_url.render_as_string(hide_password=False),
    )


def _import_assets(env, environ: dict[str, str]) -> None:
    done = subprocess.run(
        [str(env.python), str(superset_env.PROVISION), "import"],
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert done.returncode == 0, f"importing dashboards/assets failed:\n{done.stdout[-3000:]}"


@pytest.fixture
def superset(news_warehouse, tmp_path):
    """Superset on a free port with the bundle imported; yields (base URL, admin password, timings)."""
    env = superset_env.ensure()  # the one-time install happens here, before any timing
    timings = {}
    started = time.monotonic()
    environ = _superset_environ(env, news_warehouse, tmp_path)
    _import_assets(env, environ)
    timings["import"] = time.monotonic() - started

    port = free_port()
    log = tmp_path / "superset.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [
                str(env.bin / "gunicorn"),
                "--workers",
                "1",
                "--worker-class",
                "gthread",
                "--threads",
                "8",
                "--timeout",
                "120",
                "--bind",
                f"127.0.0.1:{port}",
                "superset.app:create_app()",
            ],
            env=environ,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for_http(f"{base}/health", proc, log)
        timings["start"] = time.monotonic() - started - timings["import"]
        yield base, env.admin_password, timings
    finally:
        # gunicorn's master and worker are one process group of their own.
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_dashboard_shows_every_chart_with_data(superset, chromium, tmp_path):
    from playwright.sync_api import sync_playwright

    base, password, timings = superset
    started = time.monotonic()
    data_responses = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1300})
            # Charts' data: the chart data API, and the legacy endpoint the World Map still uses.
            page.on(
                "response",
                lambda r: ("/api/v1/chart/data" in r.url or "/explore_json/" in r.url) and data_responses.append(r),
            )

            # Log in as a person does, through the login form.
            page.goto(f"{base}/login/")
            page.fill("#username", "admin")
            page.fill("#password", password)
            page.click('[data-test="login-button"]')
            page.wait_for_url(lambda url: "/login" not in url)

            page.goto(f"{base}/superset/dashboard/news-warehouse/")
            # Rendered: every chart holder is there, none is loading, each drew something
            # (a canvas, table rows) or gave up (empty state, error).
            page.wait_for_function(
                f"""() => {{
                    const charts = ({CHARTS_JS})();
                    return charts.length >= {len(CHART_NAMES)} && charts.every(c => !c.loading
                        && (c.canvas || c.rows || c.shapes || c.empty || c.error));
                }}""",
                timeout=180_000,  # the suite runs Airflow stacks beside it on two cores
            )
            timings["render"] = time.monotonic() - started
            charts = page.evaluate(CHARTS_JS)
            bodies = [(r.status, _chart_request(r), r.json() if r.ok else r.text()) for r in data_responses]
            # ECharts animates its first drawing (about a second): let it finish for the picture.
            page.wait_for_timeout(2000)
            page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
        finally:
            browser.close()

    if os.environ.get("NEWS_ETL_DASHBOARD_SCREENSHOT"):
        target = Path(os.environ["NEWS_ETL_DASHBOARD_SCREENSHOT"])
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(tmp_path / "dashboard.png", target)
    print(
        f"\nSuperset: import {timings['import']:.1f}s, start {timings['start']:.1f}s, "
        f"render {timings['render']:.1f}s; screenshot {tmp_path / 'dashboard.png'}"
    )

    # Every chart of the bundle is on the dashboard, and each draws data without an error.
    assert {c["name"] for c in charts} == CHART_NAMES
    for c in charts:
        assert not c["error"] and not c["empty"], f"{c['name']}: {c['text'][:300]}"
        assert c["canvas"] or c["rows"] or c["shapes"], f"{c['name']} drew nothing: {c['text'][:300]}"
    # The map colours the countries the news names (one path a country, ~180 in the world).
    [world] = [c for c in charts if c["name"] == "Where the news is"]
    assert world["shapes"] > 100
    # Behind the pictures: every query the page ran (charts and filter values) answered rows.
    slices = set()
    for status, request, body in bodies:
        assert status == 200, body
        results = body["result"] if "result" in body else [body]  # the legacy endpoint: one result
        assert all(result["rowcount"] > 0 for result in results), request.get("form_data")
        slices.add((request.get("form_data") or {}).get("slice_id"))
    assert len(slices - {None}) == len(CHART_NAMES)


def _chart_request(response) -> dict:
    """The chart request's form data: the API's JSON body, or the legacy endpoint's form_data
    (in the URL, or a form field)."""
    import json
    from urllib.parse import parse_qs, urlparse

    request = response.request
    if "/explore_json/" not in request.url:
        return request.post_data_json or {}
    fields = {**parse_qs(urlparse(request.url).query), **parse_qs(request.post_data or "")}
    form_data = {}
    for value in fields.get("form_data", []):
        form_data.update(json.loads(value))
    return {"form_data": form_data}


def test_provisioning_twice_gives_the_files_and_nothing_more(warehouse_url, tmp_path):
    """The files are the truth: a second import changes nothing, and undoes an edit made in Superset."""
    env = superset_env.ensure()
    environ = _superset_environ(env, warehouse_url, tmp_path)
    metadata = environ["SUPERSET_METADATA_URL"].removeprefix("sqlite:///")

    def state():
        with sqlite3.connect(metadata) as conn:
            return {
                "databases": conn.execute("select database_name, sqlalchemy_uri from dbs order by 1").fetchall(),
                "datasets": conn.execute("select schema, table_name from tables order by 2").fetchall(),
                "charts": sorted(r[0] for r in conn.execute("select slice_name from slices")),
                "dashboards": conn.execute("select dashboard_title, slug from dashboards").fetchall(),
                "on the dashboard": conn.execute("select count(*) from dashboard_slices").fetchone()[0],
            }

    _import_assets(env, environ)
    first = state()
    assert first["charts"] == sorted(CHART_NAMES)
    assert first["dashboards"] == [("News warehouse", "news-warehouse")]
    assert first["on the dashboard"] == len(CHART_NAMES)
    assert {t for _, t in first["datasets"]} == {
        "articles",
        "entity_daily",
        "stories",
        "date_references",
        "runs",
        "places",
        "quotes",
        "entity_tone_daily",
    }
    assert first["databases"] == [("News warehouse", environ["NEWS_WAREHOUSE_READER_URL"])]

    with sqlite3.connect(metadata) as conn:  # an analyst renames a chart in the UI
        conn.execute("update slices set slice_name = 'Renamed' where slice_name = 'Top entities'")
    _import_assets(env, environ)
    assert state() == first
