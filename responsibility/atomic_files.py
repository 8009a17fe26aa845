"""One way to write a file so that readers see the old content or the complete new one.

Every file the project writes that someone relies on (stored PDFs, PKI keys, the instance
config, exports) goes through :func:`write_atomic`: a temporary file in the same directory,
``fsync``, ``rename`` over the target, then ``fsync`` of the directory so the rename survives a
crash. A failure removes the temporary file and leaves the target as it was.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["write_atomic"]


def write_atomic(path: str | os.PathLike[str], data: bytes, *, mode: int | None = None, durable: bool = True) -> Path:
    """Write ``data`` to ``path`` atomically; ``mode`` sets permissions (e.g. 0o600 for secrets).

    Returns the resolved target path. The parent directory must exist or is created.
    """
    target = Path(path).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        if mode is not None:
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if durable:
        _fsync_dir(target.parent)
    return target


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
