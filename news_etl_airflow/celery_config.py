"""Celery settings for news-etl's Airflow workers: Airflow's own, and a warm pipeline.

    [celery] celery_config_options = news_etl_airflow.celery_config.CELERY_CONFIG

Airflow 3 runs each task in a process forked from the Celery worker's pool process that took
it. Loaded once in the pool process (etl.pipeline.warm_up), the pipeline's modules, its spaCy
model and the other lazily loaded tables are in every task it forks, instead of being loaded
again by each task (about 2 s of a small day's `process`). No connection stays open: the
fork shares only memory.
"""

from __future__ import annotations

import gc
import logging

from airflow.providers.celery.executors.default_celery import DEFAULT_CELERY_CONFIG
from celery.signals import worker_process_init

log = logging.getLogger(__name__)

CELERY_CONFIG = DEFAULT_CELERY_CONFIG


@worker_process_init.connect
def warm_pipeline(**_kwargs) -> None:
    """Load what the tasks will use, once in each pool process."""
    try:
        from etl import pipeline
        from etl.settings import load_settings

        pipeline.warm_up(load_settings())
        # Out of the collector's sight: a collection in a task would otherwise touch, and so
        # copy, every page the fork shares.
        gc.freeze()
    except Exception:  # a cold task still works: it loads what it needs itself
        log.exception("news-etl: could not warm the worker; tasks will load the model themselves")
