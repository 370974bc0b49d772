"""A text column given new text on some rows, kept as codes into a few words until the end.

Geocoding writes one answer's geocoder and matched name into every row naming that place: a
million rows share a few dozen answers, so the column is built once in Arrow from the codes,
not from a million Python strings.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["Rewrites"]


class Rewrites:
    """A text column and the rows given new text, kept as codes until the end."""

    def __init__(self, texts: pd.Series) -> None:
        self.texts = texts
        self.codes = np.full(len(texts), -1, dtype=np.int32)  # -1: the text as it was
        self.words: dict[str, int] = {}

    def empty(self) -> np.ndarray:
        return (self.texts == "").to_numpy(dtype=bool)

    def write(self, rows: np.ndarray, text: str) -> None:
        self.codes[rows] = self.words.setdefault(text, len(self.words))

    def series(self, index: pd.Index) -> pd.Series:
        """The column with every rewrite in place, as ``str``."""
        if not self.words:
            return self.texts.set_axis(index)
        old = pa.array(self.texts, type=pa.string(), from_pandas=True)
        if isinstance(old, pa.ChunkedArray):
            old = old.combine_chunks()
        new = pa.DictionaryArray.from_arrays(
            pa.array(np.maximum(self.codes, 0)), pa.array(list(self.words), pa.string())
        ).cast(pa.string())
        return pd.Series(pc.if_else(self.codes >= 0, new, old), index=index, dtype="str")
