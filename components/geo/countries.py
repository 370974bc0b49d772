"""Country names as event datasets write them, and GDELT's FIPS 10-4 country codes.

The catalogues (pycountry in every language it ships, GeoNames) know most names; this module
adds what they do not: the spellings ACLED, UCDP and the press use (:data:`COUNTRY_ALIASES`,
former names included, so that UCDP's "Name (Former name)" reads either way), the general
rule for a name with a parenthesised or trailing part (:func:`country_name_variants`), and
the FIPS 10-4 codes GDELT writes (:func:`fips_country_code`), which differ from ISO 3166
for about half the countries ("IS" is Israel in FIPS, Iceland in ISO).
"""

from __future__ import annotations

import re

__all__ = ["COUNTRY_ALIASES", "FIPS_TO_ISO", "country_name_variants", "fips_country_code"]

# Country names found in event datasets and news that no catalogue spells this way; former
# names are general knowledge (UCDP writes the present name with the former in brackets).
COUNTRY_ALIASES: dict[str, str] = {
    "Democratic Republic of Congo": "CD",
    "Democratic Republic of the Congo": "CD",
    "DR Congo": "CD",
    "DRC": "CD",
    "Congo-Kinshasa": "CD",
    "Zaire": "CD",
    "Democratische Republiek Congo": "CD",
    "Republic of Congo": "CG",
    "Congo-Brazzaville": "CG",
    "Ivory Coast": "CI",
    "Elfenbeinküste": "CI",
    "Palestine": "PS",
    "Palestinian Territories": "PS",
    "Palestinian Territory": "PS",
    "Occupied Palestinian Territory": "PS",
    "Territoires palestiniens": "PS",
    "UK": "GB",
    "Great Britain": "GB",
    "Britain": "GB",
    "USA": "US",
    "United States of America": "US",
    "UAE": "AE",
    "Czech Republic": "CZ",
    "Czechoslovakia": "CZ",
    "Macedonia": "MK",
    "FYR Macedonia": "MK",
    "Swaziland": "SZ",
    "eSwatini": "SZ",
    "Kingdom of eSwatini": "SZ",
    "Burma": "MM",
    "Kampuchea": "KH",
    "Rhodesia": "ZW",
    "Yugoslavia": "RS",
    "Serbia and Montenegro": "RS",
    "Soviet Union": "RU",
    "USSR": "RU",
    "North Yemen": "YE",
    "South Yemen": "YE",
    "Malagasy": "MG",
    "Malagasy Republic": "MG",
    "North Vietnam": "VN",
    "South Vietnam": "VN",
    "Dahomey": "BJ",
    "Upper Volta": "BF",
    "Ceylon": "LK",
    "Siam": "TH",
    "Persia": "IR",
    "East Timor": "TL",
    "Cape Verde": "CV",
    "Vatican City": "VA",
    "Turkey": "TR",
    "Türkiye": "TR",
    "Micronesia": "FM",
    "The Gambia": "GM",
    "Bosnia-Herzegovina": "BA",
    "Somaliland": "SO",
    "سوريا": "SY",
    "سورية": "SY",
    "فلسطين": "PS",
    "روسيا": "RU",
    "إيران": "IR",
    "الكونغو الديمقراطية": "CD",
    "Сирия": "SY",
    "Россия": "RU",
    "Росія": "RU",
}

_PARENTHESES = re.compile(r"^(?P<head>[^()]+?)\s*\((?P<inner>[^()]+)\)\s*$")


def country_name_variants(text: str) -> list[str]:
    """Readings of a country cell, most literal first.

    "DR Congo (Zaire)" → the whole, "DR Congo", "Zaire"; "Macedonia, FYR" → the whole,
    "Macedonia"; "the Gambia" → the whole, "Gambia".
    """
    text = " ".join(text.split())
    variants = [text]
    match = _PARENTHESES.match(text)
    if match:
        variants += [match["head"], match["inner"]]
    for variant in list(variants):
        head, comma, _ = variant.partition(",")
        if comma and head.strip():
            variants.append(head.strip())
        if variant.casefold().startswith("the "):
            variants.append(variant[4:])
    return list(dict.fromkeys(v for v in variants if v))


def fips_country_code(code: str) -> str | None:
    """The ISO 3166 alpha-2 code for a FIPS 10-4 country code (as GDELT writes), or None."""
    if not isinstance(code, str):
        return None
    return FIPS_TO_ISO.get(code.strip().upper())


# FIPS 10-4 → ISO 3166-1 alpha-2, for the countries and territories GDELT writes.
FIPS_TO_ISO: dict[str, str] = {
    "AF": "AF", "AX": "AX", "AL": "AL", "AG": "DZ", "AQ": "AS", "AN": "AD", "AO": "AO",
    "AV": "AI", "AY": "AQ", "AC": "AG", "AR": "AR", "AM": "AM", "AA": "AW", "AS": "AU",
    "AU": "AT", "AJ": "AZ", "BF": "BS", "BA": "BH", "BG": "BD", "BB": "BB", "BO": "BY",
    "BE": "BE", "BH": "BZ", "BN": "BJ", "BD": "BM", "BT": "BT", "BL": "BO", "BK": "BA",
    "BC": "BW", "BR": "BR", "VI": "VG", "BX": "BN", "BU": "BG", "UV": "BF", "BM": "MM",
    "BY": "BI", "CB": "KH", "CM": "CM", "CA": "CA", "CV": "CV", "CJ": "KY", "CT": "CF",
    "CD": "TD", "CI": "CL", "CH": "CN", "CO": "CO", "CN": "KM", "CF": "CG", "CG": "CD",
    "CW": "CK", "CS": "CR", "IV": "CI", "HR": "HR", "CU": "CU", "UC": "CW", "CY": "CY",
    "EZ": "CZ", "DA": "DK", "DJ": "DJ", "DO": "DM", "DR": "DO", "EC": "EC", "EG": "EG",
    "ES": "SV", "EK": "GQ", "ER": "ER", "EN": "EE", "WZ": "SZ", "ET": "ET", "FK": "FK",
    "FO": "FO", "FJ": "FJ", "FI": "FI", "FR": "FR", "FG": "GF", "FP": "PF", "GB": "GA",
    "GA": "GM", "GZ": "PS", "GG": "GE", "GM": "DE", "GH": "GH", "GI": "GI", "GR": "GR",
    "GL": "GL", "GJ": "GD", "GP": "GP", "GQ": "GU", "GT": "GT", "GK": "GG", "GV": "GN",
    "PU": "GW", "GY": "GY", "HA": "HT", "HO": "HN", "HK": "HK", "HU": "HU", "IC": "IS",
    "IN": "IN", "ID": "ID", "IR": "IR", "IZ": "IQ", "EI": "IE", "IM": "IM", "IS": "IL",
    "IT": "IT", "JM": "JM", "JA": "JP", "JE": "JE", "JO": "JO", "KZ": "KZ", "KE": "KE",
    "KR": "KI", "KN": "KP", "KS": "KR", "KV": "XK", "KU": "KW", "KG": "KG", "LA": "LA",
    "LG": "LV", "LE": "LB", "LT": "LS", "LI": "LR", "LY": "LY", "LS": "LI", "LH": "LT",
    "LU": "LU", "MC": "MO", "MK": "MK", "MA": "MG", "MI": "MW", "MY": "MY", "MV": "MV",
    "ML": "ML", "MT": "MT", "RM": "MH", "MB": "MQ", "MR": "MR", "MP": "MU", "MF": "YT",
    "MX": "MX", "FM": "FM", "MD": "MD", "MN": "MC", "MG": "MN", "MJ": "ME", "MH": "MS",
    "MO": "MA", "MZ": "MZ", "WA": "NA", "NR": "NR", "NP": "NP", "NL": "NL", "NC": "NC",
    "NZ": "NZ", "NU": "NI", "NG": "NE", "NI": "NG", "NE": "NU", "NF": "NF", "CQ": "MP",
    "NO": "NO", "MU": "OM", "PK": "PK", "PS": "PW", "WE": "PS", "PM": "PA", "PP": "PG",
    "PA": "PY", "PE": "PE", "RP": "PH", "PC": "PN", "PL": "PL", "PO": "PT", "RQ": "PR",
    "QA": "QA", "RE": "RE", "RO": "RO", "RS": "RU", "RW": "RW", "SH": "SH", "SC": "KN",
    "ST": "LC", "SB": "PM", "VC": "VC", "WS": "WS", "SM": "SM", "TP": "ST", "SA": "SA",
    "SG": "SN", "RI": "RS", "SE": "SC", "SL": "SL", "SN": "SG", "NN": "SX", "LO": "SK",
    "SI": "SI", "BP": "SB", "SO": "SO", "SF": "ZA", "OD": "SS", "SP": "ES", "CE": "LK",
    "SU": "SD", "NS": "SR", "SV": "SJ", "SW": "SE", "SZ": "CH", "SY": "SY", "TW": "TW",
    "TI": "TJ", "TZ": "TZ", "TH": "TH", "TT": "TL", "TO": "TG", "TL": "TK", "TN": "TO",
    "TD": "TT", "TS": "TN", "TU": "TR", "TX": "TM", "TK": "TC", "TV": "TV", "UG": "UG",
    "UP": "UA", "AE": "AE", "UK": "GB", "US": "US", "UY": "UY", "UZ": "UZ", "NH": "VU",
    "VT": "VA", "VE": "VE", "VM": "VN", "VQ": "VI", "WF": "WF", "WI": "EH", "YM": "YE",
    "ZA": "ZM", "ZI": "ZW", "YI": "RS", "JN": "SJ",
}  # fmt: skip
