"""GDELT's event codebook as data: the columns of the 2.0 and 1.0 event tables in file order,
the CAMEO codes of the fight classes with their descriptions, and what ActionGeo_Type means for
a place's precision. ``gdelt`` reads exports with it."""

from __future__ import annotations

__all__ = ["CAMEO_NAMES", "COLUMNS", "COLUMNS_V1", "GEO_TYPE", "SCHEMAS", "STRIKE_TYPES"]

_ACTOR = [
    "Code",
    "Name",
    "CountryCode",
    "KnownGroupCode",
    "EthnicCode",
    "Religion1Code",
    "Religion2Code",
    "Type1Code",
    "Type2Code",
    "Type3Code",
]
_GEO = ["Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID"]

# The 61 columns of the GDELT 2.0 event table, in file order (GDELT Event Codebook V2.0).
COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    *(f"Actor1{f}" for f in _ACTOR),
    *(f"Actor2{f}" for f in _ACTOR),
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    *(f"Actor1Geo_{f}" for f in _GEO),
    *(f"Actor2Geo_{f}" for f in _GEO),
    *(f"ActionGeo_{f}" for f in _GEO),
    "DATEADDED",
    "SOURCEURL",
)
assert len(COLUMNS) == 61

# GDELT 1.0: the geographies have no ADM2Code; SOURCEURL came in April 2013.
_GEO_V1 = [g for g in _GEO if g != "ADM2Code"]
COLUMNS_V1: tuple[str, ...] = (
    *COLUMNS[:35],
    *(f"{actor}Geo_{f}" for actor in ("Actor1", "Actor2", "Action") for f in _GEO_V1),
    "DATEADDED",
    "SOURCEURL",
)
assert len(COLUMNS_V1) == 58
SCHEMAS: dict[int, tuple[str, ...]] = {61: COLUMNS, 58: COLUMNS_V1, 57: COLUMNS_V1[:57]}

# CAMEO codes → event_type. The strike codes use ACLED's sub-event names so that filters
# treat them like ACLED's; other codes kept by option are named by their CAMEO description.
STRIKE_TYPES = {
    "194": "Shelling/artillery/missile attack",
    "195": "Air/drone strike",
    "1951": "Air/drone strike",
    "1952": "Air/drone strike",
}
CAMEO_NAMES = {
    "18": "Assault",
    "180": "Use unconventional violence",
    "181": "Abduct, hijack, or take hostage",
    "182": "Physically assault",
    "183": "Conduct suicide, car, or other non-military bombing",
    "1831": "Carry out suicide bombing",
    "1832": "Carry out vehicular bombing",
    "1833": "Carry out roadside bombing",
    "184": "Use as human shield",
    "185": "Attempt to assassinate",
    "186": "Assassinate",
    "19": "Fight",
    "190": "Use conventional military force",
    "191": "Impose blockade, restrict movement",
    "192": "Occupy territory",
    "193": "Fight with small arms and light weapons",
    "194": "Fight with artillery and tanks",
    "195": "Employ aerial weapons",
    "1951": "Employ precision-guided aerial munitions",
    "1952": "Employ remotely piloted aerial munitions",
    "196": "Violate ceasefire",
    "20": "Use unconventional mass violence",
    "200": "Use unconventional mass violence",
    "201": "Engage in mass expulsion",
    "202": "Engage in mass killings",
    "203": "Engage in ethnic cleansing",
    "204": "Use weapons of mass destruction",
}

# ActionGeo_Type → (geo_precision, keep the coordinates?)
GEO_TYPE: dict[str, tuple[str, bool]] = {
    "1": ("", False),  # COUNTRY: a country's centroid is not a place
    "2": ("3", True),  # USSTATE: the state's centroid
    "3": ("1", True),  # USCITY
    "4": ("1", True),  # WORLDCITY
    "5": ("3", True),  # WORLDSTATE: the province's (ADM1) centroid
}
