"""Keep many records on disk, in groups, until a group is wanted: a bundle's history by chunk."""

from __future__ import annotations

import marshal
import tempfile
from collections.abc import Hashable, Iterator
from pathlib import Path

#: Rows of one group held in memory before they are appended to the group's file.
BATCH_ROWS = 20_000


class Spill:
    """Rows (tuples of strings, numbers and lists of them) in groups, in temporary files.

    Each group keeps its rows in the order they were added. The files are removed by
    :meth:`close`.
    """

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="crmflags-")
        self._pending: dict[Hashable, list] = {}
        self._files: dict[Hashable, Path] = {}

    def add(self, group: Hashable, row: tuple) -> None:
        """Add a row to a group."""
        pending = self._pending.setdefault(group, [])
        pending.append(row)
        if len(pending) >= BATCH_ROWS:
            self._write(group, pending)

    def take(self, group: Hashable) -> Iterator[tuple]:
        """Yield the rows of a group in the order they were added, and forget them."""
        path = self._files.pop(group, None)
        if path is not None:
            with open(path, "rb") as file:
                while True:
                    try:
                        batch = marshal.load(file)
                    except EOFError:
                        break
                    yield from batch
            path.unlink()
        yield from self._pending.pop(group, [])

    def close(self) -> None:
        """Remove the temporary files."""
        self._pending.clear()
        self._files.clear()
        self._folder.cleanup()

    def _write(self, group: Hashable, rows: list) -> None:
        path = self._files.get(group)
        if path is None:
            path = self._files[group] = Path(self._folder.name) / f"{len(self._files)}.bin"
        with open(path, "ab") as file:
            marshal.dump(rows, file)
        rows.clear()
