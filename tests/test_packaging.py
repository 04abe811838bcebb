"""The shipped artefacts agree with each other: docker-compose.yml, Dockerfile, constraints, the wheel."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile

import pytest
import yaml

from tests.conftest import REPO


def _pinned(package: str) -> str:
    text = (REPO / "constraints.txt").read_text()
    return re.search(rf"^{re.escape(package)}==(\S+)$", text, re.M | re.I).group(1)


def _compose() -> dict:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


def test_docker_image_matches_the_pinned_airflow_and_python():
    base = re.search(r"^FROM (\S+)", (REPO / "Dockerfile").read_text(), re.M).group(1)
    assert base == f"apache/airflow:{_pinned('apache-airflow')}-python{sys.version_info.major}.{sys.version_info.minor}"
    image = _compose()["x-airflow"]["image"]
    assert image.endswith(f":{_pinned('apache-airflow')}-python{sys.version_info.major}.{sys.version_info.minor}")


def test_compose_wires_the_settings_the_dag_reads():
    compose = _compose()
    env = compose["x-airflow"]["environment"]
    dag_source = (REPO / "dags" / "news_daily.py").read_text()
    # The connection id the DAG asks for is the one compose defines.
    assert 'postgres_conn_id="news_warehouse"' in dag_source and "AIRFLOW_CONN_NEWS_WAREHOUSE" in env
    # The landing root the DAG reads is where compose mounts the host's landing zone.
    mounts = [re.search(r":(/[^:]+)(?::ro)?$", v).group(1) for v in compose["x-airflow"]["volumes"]]
    assert env["LANDING_DIR"] in mounts
    assert {"airflow-apiserver", "airflow-scheduler", "airflow-dag-processor", "airflow-init", "postgres"} <= set(compose["services"])
    assert "8080:8080" in compose["services"]["airflow-apiserver"]["ports"]
    # The DAG folder the image ships is the official image's DAG folder.
    assert "COPY --chown=airflow:root dags /opt/airflow/dags" in (REPO / "Dockerfile").read_text()


def test_compose_file_is_valid():
    tool = shutil.which("docker-compose")
    if tool is None:
        if os.environ.get("CI"):
            pytest.fail("docker-compose is not installed; .ci/run installs Debian's docker-compose")
        pytest.skip("docker-compose not installed (apt-get install docker-compose); CI runs this")
    subprocess.run([tool, "-f", str(REPO / "docker-compose.yml"), "config", "-q"], check=True, cwd=REPO)


def test_wheel_ships_the_sql_and_the_model(tmp_path):
    """A non-editable install (the Docker image) finds the SQL and the entity model in the package."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)], check=True)
    names = zipfile.ZipFile(next(tmp_path.glob("*.whl"))).namelist()
    for f in (REPO / "sql").rglob("*.sql"):
        assert f"etl/sql/{f.relative_to(REPO / 'sql').as_posix()}" in names
    for f in (REPO / "etl" / "models").rglob("*"):
        if f.is_file():
            assert f.relative_to(REPO).as_posix() in names
