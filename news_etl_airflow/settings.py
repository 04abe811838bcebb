"""The pipeline's settings inside an Airflow task."""

from __future__ import annotations

import os

from airflow.providers.postgres.hooks.postgres import PostgresHook
from airflow.sdk import Variable
from airflow.sdk.exceptions import AirflowNotFoundException

from etl.settings import Settings, load_settings


def airflow_settings() -> Settings:
    """Settings inside an Airflow task: the warehouse from the `news_warehouse` connection
    when it exists (else WAREHOUSE_URL), the landing root from LANDING_DIR (else the Variable
    `news_etl_landing_dir`)."""
    try:
        url = PostgresHook(postgres_conn_id="news_warehouse").sqlalchemy_url.render_as_string(hide_password=False)
    except AirflowNotFoundException:
        url = None  # fall back to WAREHOUSE_URL
    landing = os.environ.get("LANDING_DIR") or Variable.get("news_etl_landing_dir", default=None)
    return load_settings().override(warehouse_url=url, landing_dir=landing)
