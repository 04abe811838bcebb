"""Landing zone: which files a partition holds, and reading them safely.

Layout (contract): $LANDING_DIR/<YYYY-MM-DD>/<any name>. Every entry of the partition folder
that is not a folder is "seen", except hidden names and in-progress uploads (*.part, *.tmp),
which a later run picks up.

Nothing outside the landing zone is ever read: a file whose real path (symlinks followed)
leaves the landing root is refused, and so is anything that is not a regular file (a pipe
would block, a device would never end). A file name that is not UTF-8, or has a backslash, is
kept losslessly in its path text: each byte that does not decode, and each backslash, written
as \\xNN (path_text, locate), so no two names share a path text.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from etl.errors import BadInputFile, LandingRootMissing, PartitionUnreadable

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


def path_text(name: str) -> str:
    """A file name as text: itself when it is UTF-8 without a backslash; else with each byte
    that is not UTF-8 (os.scandir gives them as surrogates) and each backslash written as
    \\xNN. Reversible, so two names never share a path text: a name written "a\\xff.txt"
    becomes "a\\x5cxff.txt", the name with the byte 0xFF "a\\xff.txt"."""
    try:
        name.encode("utf-8")
        if "\\" not in name:
            return name
    except UnicodeEncodeError:
        pass
    return os.fsencode(name).replace(b"\\", b"\\x5c").decode("utf-8", "backslashreplace")


def locate(landing_root: Path, path: str) -> Path:
    """The file a path text names (path_text's inverse)."""
    if "\\x" not in path:
        return Path(landing_root) / path
    raw = re.sub(rb"\\x([0-9a-f]{2})", lambda m: bytes([int(m[1], 16)]), path.encode("utf-8"))
    return Path(landing_root) / os.fsdecode(raw)


# A folder name meant as a day: digits and separators ("2021-02-30", "2021-3-5", "20210322").
_DAY_LIKE = re.compile(r"\d{4}[-_.]?\d{1,2}[-_.]?\d{1,2}")


def misnamed_partitions(landing_root: Path) -> list[str]:
    """Folders of the landing root named like a day that is not one (2021-02-30, 2021-3-5):
    no run ever loads them, so runs warn about them."""
    try:
        names = [e.name for e in os.scandir(landing_root) if e.is_dir(follow_symlinks=False)]
    except OSError:
        return []
    out = []
    for name in names:
        if not _DAY_LIKE.fullmatch(name):
            continue
        try:
            if len(name) == 10 and date.fromisoformat(name).isoformat() == name:
                continue
        except ValueError:
            pass
        out.append(name)
    return sorted(out)


def list_partition(landing_root: Path, partition: date) -> list[LandedFile]:
    """The seen files of one partition, sorted by path. A missing folder has none; a landing
    root that does not exist, or a folder that cannot be listed, is an error."""
    if not Path(landing_root).is_dir():
        raise LandingRootMissing(landing_root)
    folder = partition_dir(landing_root, partition)
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as e:  # a symlink loop, no permission
        raise PartitionUnreadable(folder, e) from e
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
        files.append(LandedFile(f"{partition.isoformat()}/{path_text(entry.name)}", partition, Path(entry.path)))
    return sorted(files, key=lambda f: f.path)


def read_file(f: LandedFile, max_bytes: int, landing_root: Path, allow_hard_links: bool = False) -> bytes:
    """The file's bytes; BadInputFile (with the reason) when it cannot be read as an article.

    The file is opened at its real path, after checking that the path stays inside the
    landing root and names a regular file. A file with other hard links is refused unless
    allowed: a hard link's path is inside the landing zone while the same file may be
    anywhere else on the disk, so where it came from cannot be told.
    """
    try:
        real = Path(os.path.realpath(f.absolute, strict=True))
    except FileNotFoundError:
        if os.path.islink(f.absolute):
            raise BadInputFile("broken symlink: its target does not exist") from None
        raise BadInputFile("file disappeared between discovery and reading") from None
    except OSError as e:  # a symlink loop
        raise BadInputFile(f"unreadable: {e.strerror or e}") from e
    if not real.is_relative_to(os.path.realpath(landing_root)):
        raise BadInputFile("symlink leaves the landing zone")
    try:
        st = os.stat(real)
    except OSError as e:
        raise BadInputFile(f"unreadable: {e.strerror or e}") from e
    if not stat.S_ISREG(st.st_mode):
        raise BadInputFile("not a regular file (device, pipe or socket)")
    if st.st_nlink > 1 and not allow_hard_links:
        raise BadInputFile(
            f"hard link: the file has {st.st_nlink} names, which may be outside the landing zone"
            " (NEWS_ETL_ALLOW_HARD_LINKS=1 accepts them)"
        )
    if st.st_size > max_bytes:
        raise BadInputFile(f"too large: {st.st_size} bytes, over the limit of {max_bytes} (NEWS_ETL_MAX_FILE_BYTES)")
    try:
        # O_NONBLOCK: should a pipe appear after the check, opening it does not wait for a writer.
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise BadInputFile("not a regular file (device, pipe or socket)")
            data = fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise BadInputFile("file disappeared between discovery and reading") from None
    except OSError as e:
        raise BadInputFile(f"unreadable: {e.strerror or e}") from e
    if len(data) > max_bytes:
        raise BadInputFile(f"too large: over the limit of {max_bytes} bytes (NEWS_ETL_MAX_FILE_BYTES)")
    return data


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(f: LandedFile, max_bytes: int, landing_root: Path, allow_hard_links: bool = False) -> str | None:
    """The content hash, or None when the file cannot be read (processing says why)."""
    try:
        return sha256(read_file(f, max_bytes, landing_root, allow_hard_links))
    except BadInputFile:
        return None
