"""Integer interview keys: where each row's interview sits in ``frames["interviews"]``.

Every analysis joins its rows to their interview. Doing that on the text ids is the
costliest part of a big reflection (a hash of every id, every time), so the analyses work
on *positions* instead: ``positions(frames, "questions")[i]`` is the row number in
``frames["interviews"]`` of question ``i``'s interview, -1 when the journal has no such
interview.

:func:`shared` lets one pass (``report.build_report``) compute each table's positions
once for all the analyses it runs: inside ``with shared():`` the result is kept per
(table, column, frame object) until the block ends. Outside such a block nothing is kept,
so a frame changed between two calls is never read stale.

>>> import pandas as pd
>>> frames = {"interviews": pd.DataFrame({"id": ["a", "b"]}),
...           "questions": pd.DataFrame({"interview_id": ["b", "b", "x", "a"]})}
>>> positions(frames, "questions").tolist()
[1, 1, -1, 0]
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import numpy as np
import pandas as pd

from afterview_analysis.analytics._frames import AnalysisError, table

__all__ = ["codes", "equals", "first_rows", "interview_index", "kept", "positions", "positions_of",
           "shared", "take_or_missing"]

_CACHE: ContextVar[dict[tuple, tuple[Any, ...]] | None] = ContextVar(
    "afterview_interview_keys", default=None
)


@contextmanager
def shared() -> Iterator[None]:
    """Keep what :func:`kept` computes (each table's interview positions, the done
    moments) for the length of the block."""
    token = _CACHE.set({})
    try:
        yield
    finally:
        _CACHE.reset(token)


def kept(key: tuple, keep: tuple[Any, ...], compute):
    """``compute()``, kept under ``key`` until the :func:`shared` block ends (computed
    afresh outside one). ``keep`` holds the objects whose ``id`` is in the key, so that no
    other object can take their id meanwhile. An array kept is made read-only."""
    cache = _CACHE.get()
    if cache is None:
        return compute()
    hit = cache.get(key)
    if hit is None:
        result = compute()
        if isinstance(result, np.ndarray):
            result.flags.writeable = False  # one result serves every analysis: no edits
        hit = cache[key] = (result, keep)
    return hit[0]


def interview_index(frames: Mapping[str, pd.DataFrame]) -> pd.Index:
    """The interviews' ids, as text, in the interviews table's row order (unique)."""
    iv = table(frames, "interviews", ["id"])

    def compute() -> pd.Index:
        ids = pd.Index(iv["id"].astype("str").to_numpy(), dtype="str")
        if not ids.is_unique:
            dup = ids[ids.duplicated()][0]
            raise AnalysisError(f"frames['interviews'] has the id {dup!r} more than once")
        return ids

    return kept(("index", id(iv)), (iv,), compute)


def positions(
    frames: Mapping[str, pd.DataFrame], name: str, column: str = "interview_id"
) -> np.ndarray:
    """Row number in ``frames["interviews"]`` of each row's interview (-1: none), int64."""
    return positions_of(frames, table(frames, name, [column]), column)


def positions_of(
    frames: Mapping[str, pd.DataFrame], df: pd.DataFrame, column: str = "interview_id"
) -> np.ndarray:
    """:func:`positions` for any frame with an interview id column (an analysis result)."""
    ids = interview_index(frames)

    def compute() -> np.ndarray:
        if df.empty:
            return np.empty(0, dtype=np.int64)
        col = df[column]
        if col.dtype != ids.dtype:
            col = col.astype("str")
        return _lookup(ids, col.to_numpy())

    return kept(("positions", column, id(df), id(ids)), (df, ids), compute)


def _lookup(ids: pd.Index, values: np.ndarray) -> np.ndarray:
    """``ids.get_indexer(values)`` as int64, looking each run of equal neighbours up once.

    A journal stores an interview's questions and skill scores together, so most rows
    repeat the id above them; comparing neighbours is cheaper than hashing every id.
    """
    n = len(values)
    sample = values[:4096]
    if n > 1 and np.count_nonzero(sample[1:] != sample[:-1]) < len(sample) // 2:
        head = np.empty(n, dtype=bool)
        head[0] = True
        np.not_equal(values[1:], values[:-1], out=head[1:])
        starts = np.flatnonzero(head)
        if len(starts) <= n // 2:
            found = ids.get_indexer(values[starts]).astype(np.int64, copy=False)
            return np.repeat(found, np.diff(np.append(starts, n)))
    return ids.get_indexer(values).astype(np.int64, copy=False)


def codes(column: pd.Series, sort: bool = False) -> tuple[np.ndarray, pd.Index]:
    """Integer codes (int64, -1 for missing) and their labels of a text or categorical
    column: a categorical's own codes and categories, or else the text factorized (labels
    in order of first appearance, or sorted with ``sort``).

    >>> code, labels = codes(pd.Series(["b", "a", None, "b"]), sort=True)
    >>> code.tolist(), list(labels)
    ([1, 0, -1, 1], ['a', 'b'])
    """
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy().astype(np.int64), column.cat.categories
    code, labels = pd.factorize(column.astype("str"), sort=sort)
    return code.astype(np.int64), labels


def equals(column: pd.Series, value: str) -> np.ndarray:
    """``column == value`` compared as text, as a numpy bool array (by code when the
    column is categorical, so no string is compared).

    >>> equals(pd.Series(["a", "b", None], dtype="category"), "b").tolist()
    [False, True, False]
    """
    if isinstance(column.dtype, pd.CategoricalDtype):
        cats = column.cat.categories.astype("str")
        if value not in cats:
            return np.zeros(len(column), dtype=bool)
        return column.cat.codes.to_numpy() == cats.get_loc(value)
    return (column.astype("str") == value).to_numpy(dtype=bool, na_value=False)


def first_rows(group: np.ndarray, at: np.ndarray, n: int) -> np.ndarray:
    """For each group 0..n-1, the index of its row with the smallest ``at`` (the first
    such row on ties); -1 for a group without rows. ``group`` holds ints in [0, n).

    >>> first_rows(np.array([1, 0, 1]), np.array([5, 7, 3]), 3).tolist()
    [1, 2, -1]
    """
    out = np.full(n, -1, dtype=np.int64)
    if len(group):
        order = np.lexsort((at, group))  # stable: equal moments keep their row order
        g = group[order]
        head = np.ones(len(g), dtype=bool)
        head[1:] = g[1:] != g[:-1]
        out[g[head]] = order[head]
    return out


def take_or_missing(values: np.ndarray, index: np.ndarray, missing: Any = None) -> np.ndarray:
    """``values[index]``, with ``missing`` where the index is -1 (NaT for datetimes).

    >>> take_or_missing(np.array([10.0, 20.0]), np.array([1, -1]), np.nan).tolist()
    [20.0, nan]
    """
    if len(values) == 0:
        values = np.empty(1, dtype=values.dtype)
    got = values[np.maximum(index, 0)]
    gap = index < 0
    if gap.any():
        if np.issubdtype(got.dtype, np.datetime64):
            missing = np.datetime64("NaT")
        elif missing is None and got.dtype != object:
            got = got.astype(object)
        got[gap] = missing
    return got
