"""Errors the pipeline raises on purpose; each message says what was wrong and what to do."""


class NewsEtlError(Exception):
    """Base class: the CLI prints these as one line and exits non-zero."""


class WarehouseUnavailable(NewsEtlError):
    def __init__(self, url: str, cause: Exception):
        super().__init__(
            f"cannot reach the warehouse at {url} ({type(cause).__name__}: {str(cause).strip().splitlines()[0] if str(cause).strip() else cause!r}); "
            "is PostgreSQL running? set WAREHOUSE_URL or pass --warehouse-url"
        )


class BadDateRange(NewsEtlError):
    pass


class BadInputFile(NewsEtlError):
    """A file that cannot become an article; the reason goes to the quarantine table."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class LandingRootMissing(NewsEtlError):
    def __init__(self, root):
        super().__init__(f"the landing root {root} does not exist; check --landing or LANDING_DIR")


class PartitionUnreadable(NewsEtlError):
    """A partition folder that exists but cannot be listed: the run fails with this error."""

    def __init__(self, folder, cause: OSError):
        super().__init__(f"cannot list the partition folder {folder}: {cause.strerror or cause}")


class MigrationChanged(NewsEtlError):
    def __init__(self, name: str):
        super().__init__(
            f"the migration {name} changed after it was applied to this warehouse; "
            "migrations are never edited: restore the file and add a new migration"
        )


class ViewHasDependants(NewsEtlError):
    def __init__(self, view: str, dependants: list[str]):
        super().__init__(
            f"{view} changes its columns, and {', '.join(dependants)} depend on it; "
            "drop or adapt them, then run news-etl init-db again"
        )


class ConnectionLost(NewsEtlError):
    """The warehouse connection dropped during a run; says whether the day's load committed."""

    def __init__(self, partition, committed: bool, cause: Exception):
        reason = (str(getattr(cause, "orig", None) or cause).strip().splitlines() or [type(cause).__name__])[0]
        done = (
            "the load had committed before: the day is loaded, only its check did not run"
            if committed
            else "the partition's load was rolled back (a load is one transaction)"
        )
        super().__init__(f"lost the warehouse connection during the run of {partition} ({reason}); {done}; re-run it")
        self.committed = committed


class Interrupted(BaseException):
    """A signal (SIGTERM: docker stop, systemd, timeout) asked the command to stop. A
    BaseException, as KeyboardInterrupt is, so no `except Exception` swallows it: the run
    records itself as failed on its way out."""

    def __init__(self, signum: int):
        import signal

        super().__init__(f"stopped by {signal.Signals(signum).name}")
        self.signum = signum


class RunSuperseded(NewsEtlError):
    """A run whose day another run took over between its steps (Airflow's tasks are apart)."""

    def __init__(self, partition, status: str, error: str | None):
        super().__init__(
            f"this run of {partition} is {status} ({error or 'no reason recorded'}): another run of the day took "
            "over between its steps and loaded it; nothing to do here, see report.runs"
        )


class LockTimeout(NewsEtlError):
    def __init__(self, what: str, seconds: float, holder: str):
        super().__init__(f"waited {seconds:.0f}s for {what}, held by {holder}; end that session or try again")


class LockLost(NewsEtlError):
    def __init__(self, partition):
        super().__init__(
            f"lost the lock of partition {partition} (the database connection holding it dropped); "
            "nothing of this run was loaded: re-run the partition"
        )


class BadWarehouseUrl(NewsEtlError):
    pass


class WarehouseMissing(NewsEtlError):
    def __init__(self, url: str):
        super().__init__(
            f"there is no database at {url}; check the name in WAREHOUSE_URL or --warehouse-url, "
            "or create it with `news-etl init-db`"
        )


class MigrationMissing(NewsEtlError):
    def __init__(self, names: list[str]):
        super().__init__(
            f"the warehouse has applied migration(s) this install does not have ({', '.join(names)}); "
            "it was made by a newer news-etl, or a migration file was deleted: restore it or install that version"
        )


class SqlFileFailed(NewsEtlError):
    """A migration or view file that PostgreSQL rejects."""

    def __init__(self, name: str, cause: Exception):
        first = (str(cause).strip().splitlines() or [repr(cause)])[0]
        super().__init__(f"{name} failed: {first}; nothing of it was applied")


class SchemaBehind(NewsEtlError):
    def __init__(self, url: str, missing: list[str]):
        super().__init__(
            f"the warehouse at {url} lacks {len(missing)} migration(s) ({', '.join(missing)}); "
            "run `news-etl init-db` (in Docker: the airflow-init service) before loading"
        )
