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
    settings_source = (REPO / "news_etl_airflow" / "settings.py").read_text()  # what the tasks read
    # The connection id the DAG asks for is the one compose defines.
    assert 'postgres_conn_id="news_warehouse"' in settings_source and "AIRFLOW_CONN_NEWS_WAREHOUSE" in env
    # The landing root the DAG reads is where compose mounts the host's landing zone.
    mounts = [re.search(r":(/[^:]+)(?::ro)?$", v).group(1) for v in compose["x-airflow"]["volumes"]]
    assert env["LANDING_DIR"] in mounts
    assert {"airflow-apiserver", "airflow-scheduler", "airflow-dag-processor", "airflow-init", "postgres"} <= set(
        compose["services"]
    )
    assert "8080:8080" in compose["services"]["airflow-apiserver"]["ports"]
    # The DAG folder the image ships is the official image's DAG folder.
    assert "COPY --chown=airflow:root dags /opt/airflow/dags" in (REPO / "Dockerfile").read_text()


AIRFLOW_SERVICES = (
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-worker",
    "airflow-flower",
)


def test_compose_runs_celery_workers_that_see_what_the_scheduler_sees():
    """CeleryExecutor by default: Redis as the broker, results in PostgreSQL, `airflow celery
    worker` services that scale, each with the image (so the DAG folder), the landing zone at
    the same path, the warehouse connection and the shared logs volume."""
    compose = _compose()
    services = compose["services"]
    assert {"redis", "airflow-worker", "airflow-flower"} <= set(services)
    env = compose["x-airflow"]["environment"]
    assert env["AIRFLOW__CORE__EXECUTOR"] == "${AIRFLOW_EXECUTOR:-CeleryExecutor}"
    assert (
        env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://")
        and "@redis:6379/" in env["AIRFLOW__CELERY__BROKER_URL"]
    )
    assert (
        env["AIRFLOW__CELERY__RESULT_BACKEND"].startswith("db+postgresql://")
        and "@postgres:5432/airflow" in env["AIRFLOW__CELERY__RESULT_BACKEND"]
    )
    # The worker settings the Celery test and bench-airflow run with: warm pool processes, a
    # slot free within a second of its task's end.
    from etl.dev.airflow_stack import WORKER_SETTINGS

    assert {k: env.get(k) for k in WORKER_SETTINGS} == WORKER_SETTINGS
    worker = services["airflow-worker"]
    assert worker["command"] == "celery worker"
    # --scale airflow-worker=N: no fixed container name, no host port.
    assert "container_name" not in worker and "ports" not in worker
    assert worker["environment"]["DUMB_INIT_SETSID"] == "0"  # SIGTERM: Celery's warm shutdown
    assert services["airflow-flower"]["command"] == "celery flower" and services["airflow-flower"]["profiles"] == [
        "flower"
    ]
    landing_mount = next(v for v in compose["x-airflow"]["volumes"] if v.endswith(f":{env['LANDING_DIR']}:ro"))
    for name in AIRFLOW_SERVICES:
        service = services[name]
        assert service["image"] == compose["x-airflow"]["image"], name
        assert service["environment"]["AIRFLOW_CONN_NEWS_WAREHOUSE"] == env["AIRFLOW_CONN_NEWS_WAREHOUSE"], name
        assert landing_mount in service["volumes"] and "airflow-logs:/opt/airflow/logs" in service["volumes"], name
    assert "airflow-logs" in compose["volumes"]


def test_compose_starts_each_service_when_what_it_needs_is_ready():
    services = _compose()["services"]
    for name in ("postgres", "redis", "airflow-apiserver", "superset-db"):
        assert "healthcheck" in services[name], name
    assert services["airflow-init"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    for name in AIRFLOW_SERVICES:
        depends = services[name]["depends_on"]
        assert depends["postgres"] == {"condition": "service_healthy"}, name
        assert depends["redis"] == {"condition": "service_healthy"}, name
        assert depends["airflow-init"] == {"condition": "service_completed_successfully"}, name
    assert services["airflow-worker"]["depends_on"]["airflow-apiserver"] == {"condition": "service_healthy"}
    # The init step migrates (the DAG's tasks never do) and gives news_reader its password,
    # so the README's psql line works against the Docker warehouse.
    init = services["airflow-init"]
    assert (
        "airflow db migrate" in init["command"]
        and "news-etl init-db --reader-password-from-env NEWS_READER_PASSWORD" in init["command"]
    )
    assert init["environment"]["NEWS_READER_PASSWORD"].startswith("${NEWS_READER_PASSWORD:?")
    # No secret has a usable default.
    text = (REPO / "docker-compose.yml").read_text()
    assert "change-me" not in text and ":-airflow}" not in text and "airflow:airflow@" not in text
    for secret in (
        "AIRFLOW_JWT_SECRET",
        "AIRFLOW_FERNET_KEY",
        "POSTGRES_PASSWORD",
        "REDIS_PASSWORD",
        "NEWS_READER_PASSWORD",
    ):
        assert re.search(rf"\$\{{{secret}:\?", text), secret
        assert not re.search(rf"\$\{{{secret}(:-|\}})", text), secret


def _docker_compose() -> str:
    tool = shutil.which("docker-compose")
    if tool is None:
        if os.environ.get("CI"):
            pytest.fail("docker-compose is not installed; ./scripts/test installs Debian's docker-compose")
        pytest.skip("docker-compose not installed (apt-get install docker-compose); CI runs this")
    return tool


def _env_example_names() -> list[str]:
    return re.findall(r"^([A-Z_]+)=", (REPO / ".env.example").read_text(), re.M)


def _compose_config(env: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    # An empty env file: a developer's own .env must not count here.
    (tmp_path / "empty.env").write_text("")
    clean = {
        k: v for k, v in os.environ.items() if k not in {*_env_example_names(), "AIRFLOW_EXECUTOR", "COMPOSE_PROFILES"}
    }
    return subprocess.run(
        [
            _docker_compose(),
            "-f",
            str(REPO / "docker-compose.yml"),
            "--env-file",
            str(tmp_path / "empty.env"),
            "config",
            "-q",
        ],
        env={**clean, **env},
        cwd=REPO,
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param({}, id="celery"),
        pytest.param({"COMPOSE_PROFILES": "flower"}, id="celery+flower"),
        pytest.param({"AIRFLOW_EXECUTOR": "LocalExecutor"}, id="local-executor"),
    ],
)
def test_compose_file_is_valid(tmp_path, variant):
    done = _compose_config({**{name: "a-secret" for name in _env_example_names()}, **variant}, tmp_path)
    assert done.returncode == 0, done.stderr


def test_compose_refuses_to_start_without_the_secrets_of_env_example(tmp_path):
    names = _env_example_names()
    assert {"SUPERSET_SECRET_KEY", "SUPERSET_DB_PASSWORD", "SUPERSET_ADMIN_PASSWORD", "NEWS_READER_PASSWORD"} <= set(
        names
    )
    assert {"POSTGRES_PASSWORD", "REDIS_PASSWORD", "AIRFLOW_JWT_SECRET", "AIRFLOW_FERNET_KEY"} <= set(names)
    for missing in names:
        done = _compose_config({name: "a-secret" for name in names if name != missing}, tmp_path)
        assert done.returncode != 0 and f"set {missing} in .env" in done.stderr, (missing, done.stderr)


def test_superset_image_matches_the_pinned_superset():
    base = re.search(r"^FROM (\S+)", (REPO / "dashboards" / "Dockerfile").read_text(), re.M).group(1)
    pinned = re.search(
        r"^apache[-_]superset==(\S+)$", (REPO / "dashboards" / "constraints.txt").read_text(), re.M
    ).group(1)
    assert base == f"apache/superset:{pinned}"
    assert _compose()["services"]["superset"]["image"].endswith(f":{pinned}")


def test_the_pipeline_imports_nothing_from_airflow():
    """etl/ runs without Airflow (the CLI, a plain install); the glue is news_etl_airflow/."""
    for f in (REPO / "etl").rglob("*.py"):
        assert not re.search(r"^\s*(from|import) airflow\b", f.read_text(), re.M), f.relative_to(REPO)


def test_wheel_ships_the_sql_and_the_model(tmp_path):
    """A non-editable install (the Docker image) finds every module, the SQL and the entity model in the package."""
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)], check=True
    )
    names = zipfile.ZipFile(next(tmp_path.glob("*.whl"))).namelist()
    for f in (REPO / "sql").rglob("*.sql"):
        assert f"etl/sql/{f.relative_to(REPO / 'sql').as_posix()}" in names
    for f in (REPO / "etl" / "models").rglob("*"):
        if f.is_file():
            assert f.relative_to(REPO).as_posix() in names
    # Every module too: packages are listed by name in pyproject.toml.
    for f in (REPO / "etl").rglob("*.py"):
        assert f.relative_to(REPO).as_posix() in names, f"{f.relative_to(REPO)} is not in the wheel"
