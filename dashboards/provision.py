"""Provision Superset from the repository's files; every step can run again and changes nothing.

Runs with Superset's own Python (the official image's, or the virtual environment that
dashboards/superset_env.py makes), next to the `superset` command:

    python dashboards/provision.py metadata   # metadata database, admin user, roles
    python dashboards/provision.py reader     # news_reader's password (compose: over the network)
    python dashboards/provision.py import     # the bundle in dashboards/assets/ (database, datasets, charts, dashboard)
    python dashboards/provision.py all        # the three, in that order

Environment: SUPERSET_CONFIG_PATH (dashboards/superset_config.py), SUPERSET_SECRET_KEY,
SUPERSET_METADATA_URL; for `metadata` SUPERSET_ADMIN_PASSWORD (user `admin`); for `import`
NEWS_WAREHOUSE_READER_URL, the warehouse as news_reader; for `reader` NEWS_WAREHOUSE_ADMIN_URL
(a role that may alter roles) and NEWS_READER_PASSWORD. Secrets are never printed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ASSETS = Path(__file__).resolve().parent / "assets"
# The only placeholder in the bundle: the warehouse address (with its password) stays out of git.
READER_URL_PLACEHOLDER = "${NEWS_WAREHOUSE_READER_URL}"
ADMIN = "admin"


def superset(*args: str, stdin: str | None = None) -> None:
    """Run a `superset` CLI command; its output is Superset's own log (no secrets in arguments)."""
    # The `superset` of this Python's environment first (another one may be on PATH).
    beside = Path(sys.executable).with_name("superset")
    exe = str(beside) if beside.exists() else shutil.which("superset")
    subprocess.run([exe, *args], input=stdin, text=True, check=True)


def provision_metadata() -> None:
    """Superset's metadata schema, the admin user (if missing) and the built-in roles."""
    superset("db", "upgrade")
    password = os.environ["SUPERSET_ADMIN_PASSWORD"]
    # The password goes in on stdin (the command prompts for it twice), not in the process list.
    # An existing admin is kept: the command says so and exits 0.
    superset(
        "fab",
        "create-admin",
        "--username",
        ADMIN,
        "--firstname",
        "Superset",
        "--lastname",
        "Admin",
        "--email",
        "admin@localhost",
        stdin=f"{password}\n{password}\n",
    )
    superset("init")


def set_reader_password(attempts: int = 60) -> None:
    """Give news_reader the password from .env, once the warehouse's migrations created the role.

    The role is made without a password by the warehouse's migrations (local trust auth);
    Superset in docker-compose reaches the warehouse over the network and needs one.
    """
    import psycopg2  # Superset's driver for PostgreSQL

    url = os.environ["NEWS_WAREHOUSE_ADMIN_URL"].replace("postgresql+psycopg2://", "postgresql://")
    for _ in range(attempts):
        try:
            with psycopg2.connect(url) as conn, conn.cursor() as cur:
                cur.execute("select 1 from pg_roles where rolname = 'news_reader'")
                if cur.fetchone():
                    # psycopg2 quotes the value client-side: ALTER ROLE takes no bind parameters.
                    cur.execute("alter role news_reader password %s", (os.environ["NEWS_READER_PASSWORD"],))
                    print("news_reader: password set")
                    return
        except psycopg2.OperationalError:
            pass  # the warehouse is still starting
        time.sleep(5)
    sys.exit("news_reader does not exist in the warehouse yet: run `news-etl init-db` (airflow-init does) and retry")


def bundle_contents(reader_url: str) -> dict[str, str]:
    """dashboards/assets/ as an assets bundle ({path: YAML}), the warehouse's address filled in."""
    contents = {}
    for path in sorted(ASSETS.rglob("*.yaml")):
        text = path.read_text()
        if READER_URL_PLACEHOLDER in text:
            # A YAML double-quoted scalar: the URL may hold characters YAML reads otherwise.
            quoted = '"' + reader_url.replace("\\", "\\\\").replace('"', '\\"') + '"'
            text = text.replace(READER_URL_PLACEHOLDER, quoted)
        contents[str(path.relative_to(ASSETS))] = text
    return contents


def import_assets() -> None:
    """Import the bundle, overwriting every object of the same uuid: the files are the truth.

    This is Superset's assets import (the command behind POST /api/v1/assets/import/), which
    overwrites databases, datasets and charts too; `superset import-dashboards` would keep
    charts and datasets that already exist, so an edited chart file would not reach Superset.
    """
    from superset.app import create_app

    app = create_app()
    with app.app_context():
        from superset import security_manager
        from superset.commands.importers.v1.assets import ImportAssetsCommand
        from superset.utils.core import override_user

        contents = bundle_contents(os.environ["NEWS_WAREHOUSE_READER_URL"])
        # The admin owns what is imported, as if they had uploaded the bundle.
        with override_user(security_manager.find_user(username=ADMIN)):
            ImportAssetsCommand(contents).run()
    print(f"imported {len(contents)} asset files from {ASSETS}")


STEPS = {"metadata": [provision_metadata], "reader": [set_reader_password], "import": [import_assets]}
STEPS["all"] = STEPS["metadata"] + STEPS["reader"] + STEPS["import"]

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in STEPS:
        sys.exit(f"usage: python {sys.argv[0]} {'|'.join(STEPS)}")
    for step in STEPS[sys.argv[1]]:
        step()
