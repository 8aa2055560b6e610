"""A built engine written to a file and read back: the background task builds
the engine (all text vectors) once and every web process loads the file,
instead of each process computing the vectors again.

The file is a pickle: it must only ever be read from storage that municipia
itself writes (never from an upload). It records the snapshot format and the
engine's list of signals, so that a file written by another version of the
engine is refused (and rebuilt) rather than scored with the wrong weights."""

from __future__ import annotations

import pickle
from typing import IO

from .core import MatchingEngine
from .features import FEATURES

FORMAT = 1


class IncompatibleSnapshot(ValueError):
    """The file was written by another version of the engine, or is damaged."""


def dump(engine: MatchingEngine, handle: IO[bytes]) -> None:
    """Write the engine to an open binary file."""
    header = {"format": FORMAT, "features": list(FEATURES)}
    pickle.dump(header, handle, protocol=pickle.HIGHEST_PROTOCOL)
    pickle.dump(engine, handle, protocol=pickle.HIGHEST_PROTOCOL)


def load(handle: IO[bytes]) -> MatchingEngine:
    """Read an engine written by `dump`; IncompatibleSnapshot when it cannot be used."""
    try:
        header = pickle.load(handle)  # noqa: S301 - only files municipia wrote itself
        if (
            not isinstance(header, dict)
            or header.get("format") != FORMAT
            or header.get("features") != list(FEATURES)
        ):
            raise IncompatibleSnapshot("written by another version of the matching engine")
        engine = pickle.load(handle)  # noqa: S301 - idem, after the header matched
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError) as error:
        raise IncompatibleSnapshot(f"unreadable: {error}") from error
    if not isinstance(engine, MatchingEngine):
        raise IncompatibleSnapshot("does not hold a matching engine")
    return engine
