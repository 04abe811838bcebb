"""Landing zone: which files a partition holds, and reading them safely.

Layout (contract): $LANDING_DIR/<YYYY-MM-DD>/<any name>. Every entry of the partition folder
that is not a folder is "seen", except hidden names and in-progress uploads (*.part, *.tmp),
which a later run picks up.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from etl.errors import BadInputFile

IN_PROGRESS_SUFFIXES = (".part", ".tmp")


@dataclass(frozen=True)
class LandedFile:
    path: str  # relative to the landing root: "2021-03-22/000_f482f422a3fa26a5.txt"
    partition_date: date
    absolute: Path


def partition_dir(landing_root: Path, partition: date) -> Path:
    return Path(landing_root) / partition.isoformat()


def partition_of(path: str) -> date:
    """The partition of a path relative to the landing root: its folder's day."""
    return date.fromisoformat(path.split("/", 1)[0])


def is_skipped_name(name: str) -> bool:
    return name.startswith(".") or name.endswith(IN_PROGRESS_SUFFIXES)


def list_partition(landing_root: Path, partition: date) -> list[LandedFile]:
    """The seen files of one partition, sorted by path. A missing folder has none."""
    folder = partition_dir(landing_root, partition)
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return []
    files = []
    for entry in entries:
        if is_skipped_name(entry.name):
            continue
        try:
            # A symlink to a folder is a folder; a broken link or a loop is a (bad) file.
            if entry.is_dir(follow_symlinks=True):
                continue
        except OSError:
            pass
        files.append(LandedFile(f"{partition.isoformat()}/{entry.name}", partition, Path(entry.path)))
    return sorted(files, key=lambda f: f.path)


def read_file(f: LandedFile, max_bytes: int) -> bytes:
    """The file's bytes; BadInputFile (with the reason) when it cannot be read as an article."""
    try:
        st = os.stat(f.absolute)
    except FileNotFoundError:
        if os.path.islink(f.absolute):
            raise BadInputFile("broken symlink: its target does not exist")
        raise BadInputFile("file disappeared between discovery and reading")
    except OSError as e:
        raise BadInputFile(f"unreadable: {e.strerror or e}")
    if not stat.S_ISREG(st.st_mode):
        raise BadInputFile("not a regular file (device, pipe or socket)")
    if st.st_size > max_bytes:
        raise BadInputFile(f"too large: {st.st_size} bytes, over the limit of {max_bytes} (NEWS_ETL_MAX_FILE_BYTES)")
    try:
        with open(f.absolute, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise BadInputFile("file disappeared between discovery and reading")
    except OSError as e:
        raise BadInputFile(f"unreadable: {e.strerror or e}")
    if len(data) > max_bytes:
        raise BadInputFile(f"too large: over the limit of {max_bytes} bytes (NEWS_ETL_MAX_FILE_BYTES)")
    return data


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(f: LandedFile, max_bytes: int) -> str | None:
    """The content hash, or None when the file cannot be read (processing says why)."""
    try:
        return sha256(read_file(f, max_bytes))
    except BadInputFile:
        return None
