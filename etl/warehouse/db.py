"""The warehouse connection: engines, the embedded fallback server, migrations, locks."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
import secrets
import unicodedata
from contextlib import contextmanager
from functools import cache
from importlib import resources

import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine, make_url

from etl.errors import (
    BadWarehouseUrl,
    LockLost,
    LockTimeout,
    MigrationChanged,
    MigrationMissing,
    NewsEtlError,
    SchemaBehind,
    SqlFileFailed,
    ViewHasDependants,
    WarehouseMissing,
    WarehouseUnavailable,
)
from etl.settings import EMBEDDED_DATA_DIR, PROJECT_ROOT, Settings

log = logging.getLogger(__name__)


def sql_root():
    """sql/ of the checkout (editable install), else the copy shipped in the package as etl.sql."""
    checkout = PROJECT_ROOT / "sql"
    return checkout if (checkout / "migrations").is_dir() else resources.files("etl.sql")


@cache
def sql_text(name: str) -> str:
    """The text of a .sql file, e.g. 'load/retire_articles.sql'."""
    return sql_root().joinpath(name).read_text(encoding="utf-8")


@cache
def sql_statements(name: str) -> tuple[str, ...]:
    """The statements of a .sql file, one by one (each can take bind parameters)."""
    import sqlparse

    return tuple(s for s in sqlparse.split(sql_text(name)) if sqlparse.format(s, strip_comments=True).strip())


# --------------------------------------------------------------------------- engines


def check_warehouse_url(url: str) -> None:
    """A clear error for what is not a PostgreSQL URL (never echoing a password)."""
    try:
        parsed = make_url(url)
    except sa.exc.ArgumentError:
        raise BadWarehouseUrl(
            "the warehouse URL is not a database URL; use postgresql://user@host:5432/database"
        ) from None
    if not parsed.drivername.startswith("postgres"):
        raise BadWarehouseUrl(
            f"the warehouse is PostgreSQL, not {parsed.drivername}: use postgresql://user@host:5432/database"
        )


def require_report_views(engine: Engine) -> None:
    """Fail clearly when the warehouse does not exist or has no report views yet."""
    try:
        with engine.connect() as conn:
            ready = conn.execute(sa.text("select to_regclass('report.articles') is not null")).scalar()
    except sa.exc.OperationalError as e:
        raise WarehouseUnavailable(engine.url.render_as_string(hide_password=True), e) from e
    if not ready:
        raise NewsEtlError(
            f"the warehouse at {engine.url.render_as_string(hide_password=True)} has no report views yet; "
            "run news-etl init-db (or news-etl demo) first"
        )


READER_ROLE = "news_reader"


def set_reader_password(engine: Engine, password: str) -> None:
    """Give news_reader a password: a warehouse reached over the network (Docker's) asks for
    one; the migrations make the role without (local trust auth).

    The password never leaves this process: the server is sent its SCRAM-SHA-256 verifier,
    which PostgreSQL stores as it is (as psql's \\password does), so no statement log shows it.
    """
    if not password:
        raise ValueError("an empty password for news_reader")
    with engine.begin() as conn:
        # ALTER ROLE takes no bind parameters: the server quotes the literal.
        literal = conn.execute(sa.text("select quote_literal(:p)"), {"p": scram_verifier(password)}).scalar()
        conn.exec_driver_sql(f"alter role {READER_ROLE} password {literal}")  # the verifier's ":" are no parameters


def scram_verifier(password: str, iterations: int = 4096) -> str:
    """PostgreSQL's SCRAM-SHA-256 verifier of a password (RFC 5802/7677, with a random salt)."""
    salt = secrets.token_bytes(16)
    salted = hashlib.pbkdf2_hmac("sha256", unicodedata.normalize("NFKC", password).encode(), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", "sha256").digest()
    server_key = hmac.new(salted, b"Server Key", "sha256").digest()
    stored_key = hashlib.sha256(client_key).digest()
    salt64, stored64, server64 = (base64.b64encode(b).decode() for b in (salt, stored_key, server_key))
    return f"SCRAM-SHA-256${iterations}:{salt64}${stored64}:{server64}"


def reader_url(url: str | URL) -> URL:
    """The warehouse URL for the analysts' read-only role, without the pipeline's password."""
    return make_url(url).set(username=READER_ROLE)._replace(password=None)


def make_engine(url: str | URL) -> Engine:
    """An engine on psycopg 3, whatever driver the URL names: the loads use its COPY API."""
    url = make_url(url)
    if url.drivername in ("postgres", "postgresql", "postgresql+psycopg2"):
        url = url.set(drivername="postgresql+psycopg")
    return sa.create_engine(url, pool_pre_ping=True)


def _answers(url: URL) -> bool:
    try:
        with make_engine(url.set(database="postgres")).connect():
            return True
    except sa.exc.OperationalError:
        return False


def resolve_warehouse_url(settings: Settings, data_dir=EMBEDDED_DATA_DIR) -> tuple[str, str | None]:
    """The URL to use and, when the embedded server stands in, a note saying so.

    When WAREHOUSE_URL is unset and nothing answers at the default address, start the
    embedded PostgreSQL (pgserver) in the project's .pgdata folder: the demo then works on
    a laptop with no database installed.
    """
    url = make_url(settings.warehouse_url)
    if not settings.warehouse_url_is_default or _answers(url):
        return settings.warehouse_url, None
    import pgserver  # only needed on machines without a server

    server = pgserver.get_server(data_dir, cleanup_mode="stop")
    embedded = make_url(server.get_uri(url.database))
    note = f"no PostgreSQL at {url.render_as_string()}; started an embedded one with its data in {data_dir}"
    return embedded.render_as_string(hide_password=False), note


def require_database(url: str) -> None:
    """Fail clearly when the URL's database does not exist (only init-db and demo create one:
    a misspelt name must not become a new, empty warehouse)."""
    target = make_url(url)
    admin = make_engine(target.set(database="postgres"))
    try:
        with admin.connect() as conn:
            exists = conn.execute(
                sa.text("select 1 from pg_database where datname = :name"), {"name": target.database}
            ).scalar()
    except sa.exc.OperationalError as e:
        raise WarehouseUnavailable(target.render_as_string(), e) from e
    finally:
        admin.dispose()
    if not exists:
        raise WarehouseMissing(target.render_as_string())


def ensure_database(url: str) -> None:
    """Create the URL's database when it does not exist yet."""
    target = make_url(url)
    admin = make_engine(target.set(database="postgres")).execution_options(isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.execute(
                sa.text("select 1 from pg_database where datname = :name"), {"name": target.database}
            ).scalar()
            if not exists:
                # A database name cannot be a bind parameter; quote it as an identifier.
                ident = conn.dialect.identifier_preparer.quote(target.database)
                conn.execute(sa.text(f"create database {ident}"))
                log.info("created database %s", target.database)
    except sa.exc.OperationalError as e:
        raise WarehouseUnavailable(target.render_as_string(), e) from e
    finally:
        admin.dispose()


# --------------------------------------------------------------------------- migrations

MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def _migration_files() -> list[tuple[str, str]]:
    folder = sql_root().joinpath("migrations")
    names = sorted(p.name for p in folder.iterdir() if MIGRATION_NAME.match(p.name))
    return [(name, folder.joinpath(name).read_text(encoding="utf-8")) for name in names]


def _view_files() -> list[tuple[str, str]]:
    folder = sql_root().joinpath("views")
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".sql"))
    return [(name, folder.joinpath(name).read_text(encoding="utf-8")) for name in names]


def migrate(engine: Engine) -> list[str]:
    """Apply the migrations not applied yet, one transaction each; then the report views.

    Returns the names of the migrations applied now (empty when the schema is current).
    Two callers at once queue on an advisory lock; the second finds nothing left to do.
    """
    applied_now = []
    with engine.begin() as conn:
        conn.execute(sa.text("select pg_advisory_xact_lock(:k)"), {"k": lock_key("migrate")})
        conn.execute(
            sa.text(
                "create table if not exists public.schema_migrations ("
                " name text primary key, checksum text not null, applied_at timestamptz not null default now())"
            )
        )
    files = _migration_files()
    _refuse_vanished_migrations(engine, [name for name, _sql in files])
    for name, sql in files:
        with engine.begin() as conn:
            conn.execute(sa.text("select pg_advisory_xact_lock(:k)"), {"k": lock_key("migrate")})
            recorded = _recorded_checksum(conn, name)
            if recorded and recorded != _checksum(sql):
                raise MigrationChanged(name)
            if recorded:
                continue
            try:
                _run_script(conn, sql)
            except psycopg.Error as e:
                raise SqlFileFailed(f"migration {name}", e) from e
            _record(conn, name, sql)
            applied_now.append(name)
            log.info("applied migration %s", name)
    _create_views(engine, force=bool(applied_now))
    return applied_now


def _create_views(engine: Engine, force: bool) -> None:
    """(Re)create the report views whose files changed (every one after a migration).

    "create or replace" keeps what analysts built on a view; a view whose columns changed
    otherwise than by new ones at the end is dropped and created again, unless something
    depends on it: then ViewHasDependants names what.
    """
    views = _view_files()
    with engine.begin() as conn:
        conn.execute(sa.text("select pg_advisory_xact_lock(:k)"), {"k": lock_key("migrate")})
        for name, sql in views:
            if not force and _recorded_checksum(conn, f"view:{name}") == _checksum(sql):
                continue
            view = f"report.{_view_name(name)}"
            try:
                with conn.begin_nested():
                    _run_script(conn, sql)
            except (psycopg.errors.InvalidTableDefinition, psycopg.errors.FeatureNotSupported) as e:
                dependants = _dependants(conn, view)
                if dependants:
                    raise ViewHasDependants(view, dependants) from e
                conn.exec_driver_sql(f"drop view {view}")
                _run_script(conn, sql)
            except psycopg.Error as e:
                raise SqlFileFailed(f"the view file {name}", e) from e
            _record(conn, f"view:{name}", sql)


def _refuse_vanished_migrations(engine: Engine, files: list[str]) -> None:
    """An applied migration with no file: a newer install made this warehouse, or a file was
    deleted; either way this install must not touch it."""
    with engine.connect() as conn:
        applied = conn.execute(
            sa.text("select name from public.schema_migrations where name not like 'view:%'")
        ).scalars()
        vanished = sorted(set(applied) - set(files))
    if vanished:
        raise MigrationMissing(vanished)


def _dependants(conn: Connection, view: str) -> list[str]:
    """The views and other objects built on a view."""
    return (
        conn.execute(
            sa.text(
                "select distinct dependent.oid::regclass::text from pg_depend as d"
                " inner join pg_rewrite as r on r.oid = d.objid"
                " inner join pg_class as dependent on dependent.oid = r.ev_class"
                " where d.refobjid = cast(:view as regclass) and dependent.oid <> cast(:view as regclass)"
                " order by 1"
            ),
            {"view": view},
        )
        .scalars()
        .all()
    )


def _run_script(conn: Connection, sql: str) -> None:
    """Run a .sql file as it is: no bind parameters, so "%" means itself (format('%I', ...))."""
    with conn.connection.driver_connection.cursor() as cur:
        cur.execute(sql)


def _view_name(file_name: str) -> str:
    # sql/views/report_entity_daily.sql defines report.entity_daily
    return re.sub(r"^report_|\.sql$", "", file_name)


def _checksum(sql: str) -> str:
    return hashlib.sha256(sql.encode()).hexdigest()


def _recorded_checksum(conn: Connection, name: str) -> str | None:
    return conn.execute(
        sa.text("select checksum from public.schema_migrations where name = :name"), {"name": name}
    ).scalar()


def _record(conn: Connection, name: str, sql: str) -> None:
    conn.execute(
        sa.text(
            "insert into public.schema_migrations (name, checksum) values (:name, :checksum)"
            " on conflict (name) do update set checksum = excluded.checksum, applied_at = now()"
        ),
        {"name": name, "checksum": _checksum(sql)},
    )


def require_current_schema(engine: Engine) -> None:
    """Fail clearly when migrations are missing (a pipeline run never migrates: `news-etl
    init-db` does, or the deployment's init step)."""
    files = [name for name, _sql in _migration_files()]
    try:
        with engine.connect() as conn:
            applied = set(conn.execute(sa.text("select name from public.schema_migrations")).scalars())
    except sa.exc.ProgrammingError:
        applied = set()
    except sa.exc.OperationalError as e:
        raise WarehouseUnavailable(engine.url.render_as_string(hide_password=True), e) from e
    missing = [name for name in files if name not in applied]
    if missing:
        raise SchemaBehind(engine.url.render_as_string(hide_password=True), missing)
    vanished = sorted(name for name in applied - set(files) if not name.startswith("view:"))
    if vanished:
        raise MigrationMissing(vanished)


# --------------------------------------------------------------------------- locks


def lock_key(*parts: object) -> int:
    """A stable signed 64-bit advisory-lock key for a name such as ('partition', '2021-03-22')."""
    digest = hashlib.blake2b(":".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


GLOBAL_LOCK = lock_key("news-etl", "shared-dimensions")


def acquire(conn: Connection, key: int, what: str, timeout_s: float, session: bool = False) -> None:
    """Take an advisory lock (until the transaction ends, or the session's end if session),
    waiting at most timeout_s; LockTimeout then names the session that holds it."""
    conn.execute(sa.text("select set_config('lock_timeout', :t, true)"), {"t": f"{int(timeout_s * 1000)}ms"})
    try:
        with conn.begin_nested():
            function = "pg_advisory_lock" if session else "pg_advisory_xact_lock"
            conn.execute(sa.text(f"select {function}(:k)"), {"k": key})
    except sa.exc.OperationalError as e:
        if not isinstance(e.orig, psycopg.errors.LockNotAvailable):
            raise
        raise LockTimeout(what, timeout_s, _holder(conn, key)) from e
    finally:
        # A connection lost meanwhile (the server went away) takes nothing more: its own
        # error goes up, not one about the dead connection's pending rollback.
        if not conn.invalidated:
            conn.execute(sa.text("select set_config('lock_timeout', '0', true)"))


def _holder(conn: Connection, key: int) -> str:
    """Who holds an advisory lock: user, application, client and since when."""
    row = conn.execute(
        sa.text(
            "select a.pid, a.usename, a.application_name, a.client_addr, a.state, a.xact_start"
            " from pg_locks as l inner join pg_stat_activity as a on a.pid = l.pid"
            " where l.locktype = 'advisory' and l.granted"
            " and l.database = (select oid from pg_database where datname = current_database())"
            " and ((l.classid::bigint << 32) | l.objid::bigint) = :k"
            " limit 1"
        ),
        {"k": key},
    ).first()
    if row is None:
        return "a session that has since let go"
    return f"pid {row.pid}, user {row.usename}, application {row.application_name or '-'}, client {row.client_addr or 'local'}, {row.state} since {row.xact_start}"


def lock_shared_state(conn: Connection, timeout_s: float = 900) -> None:
    """Serialise steps that touch state shared across partitions (entities, duplicates).

    Held until the transaction ends; the heavy work (parse, NLP) runs before, outside it.
    """
    acquire(conn, GLOBAL_LOCK, "the shared-state lock", timeout_s)


class PartitionLock:
    """The partition's session lock on a connection of its own: one run of a partition at a
    time. If the connection is lost (the server restarted), so is the lock: check() says so
    before the run loads anything."""

    def __init__(self, conn: Connection, partition):
        self.conn, self.partition = conn, partition

    def check(self) -> None:
        try:
            self.conn.execute(sa.text("select 1")).scalar()
        except sa.exc.DBAPIError as e:
            raise LockLost(self.partition) from e


@contextmanager
def partition_lock(engine: Engine, partition, timeout_s: float = 3600):
    """Hold the partition's session lock (a second run of the partition waits up to timeout_s)."""
    key = lock_key("partition-run", partition)
    with engine.connect() as conn:
        acquire(conn, key, f"the lock of partition {partition}", timeout_s, session=True)
        conn.commit()
        try:
            yield PartitionLock(conn, partition)
        finally:
            try:
                conn.execute(sa.text("select pg_advisory_unlock(:k)"), {"k": key})
                conn.commit()
            except sa.exc.SQLAlchemyError:
                # The connection is gone, and the session lock with it: nothing to release.
                log.warning("the lock connection of partition %s was lost before the run ended", partition)
