"""A built engine written to a file and read back: the background task builds
the engine (all text vectors) once and every web process loads the file,
instead of each process computing the vectors again.

The file is a pickle, so it is only read when its SHA-256 matches the one
recorded when it was written (`EngineSnapshot.sha256`, in the database): a
file that municipia did not write is refused before anything in it runs. Its
header names the engine version (a hash of the engine's source code and of
the numerical libraries' versions), so that a file written by another
release is refused (and rebuilt) rather than read into code that has changed."""

from __future__ import annotations

import hashlib
import pickle
import platform
from functools import lru_cache
from pathlib import Path
from typing import IO

import numpy as np
import scipy
import sklearn

from .core import MatchingEngine

FORMAT = 2
_CHUNK = 1 << 20


class IncompatibleSnapshot(ValueError):
    """The file was written by another version of the engine, or is damaged."""


@lru_cache(maxsize=1)
def engine_version() -> str:
    """Changes with any change of the engine's code or of the libraries whose
    objects the file holds."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    for part in (platform.python_version(), np.__version__, scipy.__version__, sklearn.__version__):
        digest.update(part.encode())
    return digest.hexdigest()[:32]


def dump(engine: MatchingEngine, handle: IO[bytes]) -> str:
    """Write the engine to an open binary file; returns the file's SHA-256."""
    start = handle.tell()
    header = {"format": FORMAT, "engine": engine_version()}
    pickle.dump(header, handle, protocol=pickle.HIGHEST_PROTOCOL)
    pickle.dump(engine, handle, protocol=pickle.HIGHEST_PROTOCOL)
    handle.seek(start)
    return file_sha256(handle)


def file_sha256(handle: IO[bytes]) -> str:
    """The SHA-256 of the rest of an open file, which is left at its start again."""
    start = handle.tell()
    digest = hashlib.sha256()
    while chunk := handle.read(_CHUNK):
        digest.update(chunk)
    handle.seek(start)
    return digest.hexdigest()


def load(handle: IO[bytes], *, sha256: str) -> MatchingEngine:
    """Read an engine written by `dump` whose file has this SHA-256;
    IncompatibleSnapshot when it cannot be used, whatever the reason."""
    if file_sha256(handle) != sha256:
        raise IncompatibleSnapshot("the file is not the one municipia wrote")
    try:
        header = pickle.load(handle)  # noqa: S301 - only a file whose hash matched
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise IncompatibleSnapshot("written in another snapshot format")
        if header.get("engine") != engine_version():
            raise IncompatibleSnapshot("written by another version of the matching engine")
        engine = pickle.load(handle)  # noqa: S301 - idem
    except IncompatibleSnapshot:
        raise
    except Exception as error:  # a damaged file can fail in any library's unpickling
        raise IncompatibleSnapshot(f"unreadable: {error!r}") from error
    if not isinstance(engine, MatchingEngine):
        raise IncompatibleSnapshot("does not hold a matching engine")
    return engine
