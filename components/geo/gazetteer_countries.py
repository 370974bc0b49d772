"""The gazetteer's country queries: a country's code from any of its names or codes, its
centre as a place, its English name. A mixin of
:class:`~components.geo.gazetteer.Gazetteer`, which holds the columns these read."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pycountry

from components.geo.countries import country_name_variants
from components.geo.index_files import KIND_NAME
from components.geo.names import normalize_name

if TYPE_CHECKING:
    from components.geo.gazetteer import Place

__all__ = ["CountryQueries"]

# Country texts read and kept per gazetteer (rows and reports name few countries, many times).
COUNTRY_MEMO_SIZE = 50_000


class CountryQueries:
    """Country queries; see the module's docstring."""

    def _read_countries(self, country_names: pa.Table) -> None:
        """Index the country names table and the countries' rows of the places table."""
        codes = country_names.column("country_code").to_pylist()
        self._country_by_name = dict(
            zip(country_names.column("key").to_pylist(), codes, strict=True)
        )
        self._country_row = {
            self._country[row]: row for row in np.flatnonzero(self._is_country).tolist()
        }
        self._codes = set(codes)
        self._code_by_alpha3 = {
            c.alpha_3.casefold(): c.alpha_2 for c in pycountry.countries if c.alpha_2 in self._codes
        }
        self._country_memo: dict[str, str | None] = {}

    def country_code(self, name_or_code: str) -> str | None:
        """ISO 3166 alpha-2 code for an alpha-2/alpha-3 code or a country name in any language."""
        if not isinstance(name_or_code, str):
            return None
        # Rows and reports name few countries, many times: each text is read once.
        if name_or_code in self._country_memo:
            return self._country_memo[name_or_code]
        code = self._read_country(name_or_code)
        if len(self._country_memo) < COUNTRY_MEMO_SIZE:
            self._country_memo[name_or_code] = code
        return code

    def _read_country(self, name_or_code: str) -> str | None:
        text = name_or_code.strip()
        folded = text.casefold()
        if len(text) == 2 and text.isalpha() and text.upper() in self._codes:
            return text.upper()
        if len(text) == 3 and text.isalpha() and folded in self._code_by_alpha3:
            return self._code_by_alpha3[folded]
        for variant in country_name_variants(text):
            code = self._country_by_name.get(normalize_name(variant))
            if code is not None:
                return code
        return None

    def country(self, code: str) -> Place | None:
        """The country with this alpha-2 code as a place (its centre), if it has one."""
        row = self._country_row.get(code.upper()) if isinstance(code, str) else None
        return None if row is None else self._place(row, KIND_NAME)

    def country_name(self, code: str) -> str | None:
        """English name of the country with this alpha-2 code."""
        place = self.country(code)
        if place is not None:
            return place.name
        country = pycountry.countries.get(alpha_2=code.upper()) if isinstance(code, str) else None
        return None if country is None else getattr(country, "common_name", country.name)
