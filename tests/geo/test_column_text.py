"""A text column rewritten on some rows through codes (components/geo/column_text.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from components.geo.column_text import Rewrites


def test_rewritten_rows_take_their_new_text_and_the_others_keep_theirs():
    column = Rewrites(pd.Series(["a", "", "c", "", "e"], dtype="str"))
    column.write(column.empty(), "filled")
    column.write(np.array([0, 4]), "x")
    column.write(np.array([2]), "filled")  # a word already used keeps its code

    shown = column.series(pd.Index([10, 11, 12, 13, 14]))

    assert list(shown) == ["x", "filled", "filled", "filled", "x"]
    assert list(shown.index) == [10, 11, 12, 13, 14]
    assert shown.dtype == "str"


def test_a_column_with_no_rewrite_is_the_text_as_given_on_the_new_index():
    texts = pd.Series(["a", "b"], dtype="str")
    shown = Rewrites(texts).series(pd.Index(["p", "q"]))

    assert list(shown) == ["a", "b"] and list(shown.index) == ["p", "q"]
    assert list(texts.index) == [0, 1]  # the caller's series is left as it was
