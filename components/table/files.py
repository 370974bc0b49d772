"""Writing files so that a reader never sees half of one, and concurrent writers queue up."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from filelock import FileLock

__all__ = ["locked", "read_limited", "replace_atomically", "resolved", "write_text_atomically"]


def resolved(path: str | os.PathLike[str]) -> Path:
    """Where a file really is: a symbolic link (to a shared folder, say) is followed, so that
    writes replace the file it points to, keep the link, and lock beside the target."""
    return Path(path).resolve()


def read_limited(
    path: Path, limit: int, error: Callable[[str, str], Exception], what: str = "file"
) -> bytes:
    """The bytes of ``path``, or ``error(path, reason)`` saying in one line what to do instead."""
    source = str(path)
    try:
        size = Path(path).stat().st_size
        if size > limit:
            raise error(source, f"file is {size:,} bytes; the limit is {limit:,}")
        return Path(path).read_bytes()
    except FileNotFoundError as exc:
        raise error(source, "no such file; check the path") from exc
    except IsADirectoryError as exc:
        raise error(source, f"is a folder; give the path of a {what}") from exc
    except PermissionError as exc:
        raise error(source, "cannot be read (permission denied)") from exc


def replace_atomically(path: Path, write: Callable[[Path], object]) -> None:
    """Let ``write`` fill a temporary file beside ``path``, then put it in place in one step.

    A process killed half-way leaves the previous file as it was. A symbolic link is followed:
    the file it points to is replaced, the link stays.
    """
    path = resolved(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        write(temp)
        with open(temp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def write_text_atomically(path: Path, text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` atomically."""
    replace_atomically(path, lambda temp: temp.write_text(text, encoding=encoding, newline=""))


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` + '.lock' (beside the file a link points to), so that
    read-modify-write cycles take turns, on every system."""
    path = resolved(path)
    lock_path = path.with_name(path.name + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(lock_path):
        yield
