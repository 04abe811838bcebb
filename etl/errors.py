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
