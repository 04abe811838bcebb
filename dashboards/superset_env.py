"""Apache Superset in a virtual environment of its own, made once and reused.

Superset pins libraries that conflict with Airflow's (SQLAlchemy < 2), so it cannot share the
project's environment. This module (standard library only, any Python 3.11) installs the
versions of dashboards/constraints.txt into a cache outside the repository, keyed by the pinned
Superset version and the constraints' hash, so a changed pin makes a new environment:

    python dashboards/superset_env.py        # install if missing, print where it is

`.ci/run` calls it before the tests; tests/test_dashboard.py calls `ensure()`. The cache also
holds a migrated Superset metadata database (SQLite, with the roles and an `admin` user) that
tests copy: migrating one takes a minute, copying it no time.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
CONSTRAINTS = HERE / "constraints.txt"
CONFIG = HERE / "superset_config.py"
PROVISION = HERE / "provision.py"
CACHE_ROOT = Path(os.environ.get("NEWS_ETL_CACHE_DIR", Path.home() / ".cache" / "news-etl"))


@dataclass(frozen=True)
class SupersetEnv:
    root: Path

    @property
    def bin(self) -> Path:
        return self.root / "venv" / "bin"

    @property
    def python(self) -> Path:
        return self.bin / "python"

    @property
    def metadata_template(self) -> Path:
        """A migrated metadata database with roles and the admin user: copy it, never open it."""
        return self.root / "metadata.db"

    @property
    def admin_password(self) -> str:
        return (self.root / "admin-password").read_text().strip()

    def environ(self, metadata_url: str, secret_key: str, **extra: str) -> dict[str, str]:
        """The environment Superset's commands run in: this venv first on PATH, our config."""
        return {
            **os.environ,
            "PATH": f"{self.bin}{os.pathsep}{os.environ.get('PATH', '')}",
            "VIRTUAL_ENV": str(self.root / "venv"),
            "SUPERSET_CONFIG_PATH": str(CONFIG),
            "SUPERSET_METADATA_URL": metadata_url,
            "SUPERSET_SECRET_KEY": secret_key,
            # Superset's CLI otherwise reads FLASK_APP from the caller (Airflow sets none, but be sure).
            "FLASK_APP": "superset.app:create_app()",
            **extra,
        }


def superset_version() -> str:
    return re.search(r"^apache[-_]superset==(\S+)$", CONSTRAINTS.read_text(), re.M | re.I).group(1)


def env_dir() -> Path:
    digest = hashlib.sha256(CONSTRAINTS.read_bytes()).hexdigest()[:12]
    return CACHE_ROOT / f"superset-{superset_version()}-{digest}"


def ensure(log=print) -> SupersetEnv:
    """The cached environment, installed first if missing (a few minutes, once)."""
    env = SupersetEnv(env_dir())
    ready = env.root / "ready"
    if ready.exists():
        return env
    CACHE_ROOT.mkdir(parents=True, exist_ok=True)
    # Two sessions (CI and a developer) must not build the same folder at once.
    with open(CACHE_ROOT / f"{env.root.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if ready.exists():
            return env
        started = time.monotonic()
        # A folder without the marker is a broken earlier attempt: start over.
        shutil.rmtree(env.root, ignore_errors=True)
        env.root.mkdir(parents=True)
        log(f"installing Superset {superset_version()} into {env.root} (once; a few minutes)")
        subprocess.run([sys.executable, "-m", "venv", str(env.root / "venv")], check=True)
        subprocess.run(
            [
                str(env.python),
                "-m",
                "pip",
                "install",
                "-q",
                "--disable-pip-version-check",
                "-c",
                str(CONSTRAINTS),
                "apache-superset",
                "psycopg2-binary",
            ],
            check=True,
        )
        installed = time.monotonic()
        _build_metadata_template(env)
        ready.write_text(
            f"installed in {installed - started:.0f}s, metadata template in {time.monotonic() - installed:.0f}s\n"
        )
        log(f"Superset ready in {env.root} ({ready.read_text().strip()})")
    return env


def _build_metadata_template(env: SupersetEnv) -> None:
    password_file = env.root / "admin-password"
    password_file.touch(mode=0o600)
    password_file.write_text(secrets.token_urlsafe(16))
    environ = env.environ(
        f"sqlite:///{env.metadata_template}",
        # The template holds no secrets to encrypt (no database connections yet), so a throwaway key.
        secrets.token_urlsafe(42),
        SUPERSET_ADMIN_PASSWORD=env.admin_password,
    )
    # Superset logs a lot while migrating; show it only when something went wrong.
    done = subprocess.run(
        [str(env.python), str(PROVISION), "metadata"],
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    if done.returncode:
        sys.stderr.write(done.stdout[-5000:])
        raise subprocess.CalledProcessError(done.returncode, done.args)


if __name__ == "__main__":
    print(ensure(log=lambda m: print(m, file=sys.stderr)).root)
