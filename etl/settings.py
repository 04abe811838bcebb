"""Settings, read in one place: environment variables, overridden by CLI flags."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

DEFAULT_WAREHOUSE_URL = "postgresql+psycopg2://postgres@127.0.0.1:5432/news_warehouse"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LANDING_DIR = PROJECT_ROOT / "demo" / "landing"
# The entity model shipped in the package: en_core_web_md's NER and word vectors fine-tuned on
# CoNLL-2003 news (news-etl dev train-ner); any installed spaCy pipeline or model folder can
# replace it.
DEFAULT_SPACY_MODEL = str(Path(__file__).resolve().parent / "models" / "ner_news")
# Where the embedded PostgreSQL keeps its data when nothing answers at the default URL.
EMBEDDED_DATA_DIR = PROJECT_ROOT / ".pgdata"


@dataclass(frozen=True)
class Settings:
    warehouse_url: str
    landing_dir: Path
    # True when WAREHOUSE_URL was not given, so the embedded server may stand in for it.
    warehouse_url_is_default: bool
    max_file_bytes: int
    max_file_seconds: float
    allow_hard_links: bool
    spacy_model: str
    nlp_batch_size: int
    nlp_processes: int

    def override(self, **changes) -> Settings:
        """A copy with the given fields replaced; None values are ignored (unset CLI flags)."""
        changes = {k: v for k, v in changes.items() if v is not None}
        if "landing_dir" in changes:
            changes["landing_dir"] = Path(changes["landing_dir"])
        if "warehouse_url" in changes:
            changes["warehouse_url_is_default"] = False
        return replace(self, **changes)


def load_settings(env: dict[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    url = env.get("WAREHOUSE_URL")
    return Settings(
        warehouse_url=url or DEFAULT_WAREHOUSE_URL,
        landing_dir=Path(env.get("LANDING_DIR") or DEFAULT_LANDING_DIR),
        warehouse_url_is_default=not url,
        # Enriching costs about 21 s and 80 MB a MiB of text on two cores: a 2 MiB file (far
        # above any article) takes under a minute and 0.4 GB (docs/benchmarks.md).
        max_file_bytes=int(env.get("NEWS_ETL_MAX_FILE_BYTES", 2 * 1024 * 1024)),
        max_file_seconds=float(env.get("NEWS_ETL_MAX_FILE_SECONDS", 300)),
        # A hard link's path is in the landing zone, its file maybe anywhere: refused unless
        # the uploads are known to make them (rsync --link-dest).
        allow_hard_links=env.get("NEWS_ETL_ALLOW_HARD_LINKS", "").lower() in ("1", "true", "yes"),
        spacy_model=env.get("NEWS_ETL_SPACY_MODEL", DEFAULT_SPACY_MODEL),
        nlp_batch_size=int(env.get("NEWS_ETL_NLP_BATCH_SIZE", 64)),
        # The CLI's NLP stage uses every core by default (Airflow's tasks run one process each).
        nlp_processes=int(env.get("NEWS_ETL_NLP_PROCESSES") or os.cpu_count() or 1),
    )


def gazetteer_path(version: str, env: dict[str, str] | None = None) -> Path:
    """Where the gazetteer's index of this version lives: NEWS_ETL_GAZETTEER, else the user's
    cache folder. It is built there from the installed packages the first time it is needed."""
    env = os.environ if env is None else env
    if env.get("NEWS_ETL_GAZETTEER"):
        return Path(env["NEWS_ETL_GAZETTEER"])
    cache = Path(env.get("NEWS_ETL_CACHE_DIR") or Path.home() / ".cache" / "news-etl")
    return cache / f"{version}.sqlite"


@dataclass(frozen=True)
class DagSettings:
    """The Airflow DAG's own settings (dags/news_daily.py), read when the DAG file is parsed."""

    start_date: str  # the first day (YYYY-MM-DD) the schedule knows
    chunk_size: int  # files per mapped `process` task
    max_active_runs: int  # days at once
    process_tasks_per_run: int  # `process` tasks of one day at once (max_active_tis_per_dagrun)
    retries: int  # every task's retries
    retry_delay_seconds: int


def load_dag_settings(env: dict[str, str] | None = None) -> DagSettings:
    env = os.environ if env is None else env
    return DagSettings(
        start_date=env.get("NEWS_ETL_START_DATE") or "2021-03-01",
        chunk_size=int(env.get("NEWS_ETL_CHUNK_SIZE") or 200),
        max_active_runs=int(env.get("NEWS_ETL_MAX_ACTIVE_RUNS") or 4),
        process_tasks_per_run=int(env.get("NEWS_ETL_PROCESS_TASKS_PER_RUN") or 4),
        retries=int(env.get("NEWS_ETL_RETRIES") or 2),
        retry_delay_seconds=int(env.get("NEWS_ETL_RETRY_DELAY_SECONDS") or 120),
    )
