"""Place names in a report, found in the offline gazetteer, and the place an event hit.

Capitalised word runs ("Deir ez-Zor", "Kafr Nabl", "Saná") are looked up in the gazetteer,
longest first. Countries named in the text ("Syrië", "Jemen") and the countries of large
places give the report's context; a small place or a loosely spelled match counts only
inside that context, so that "Reuters" or "Die" never become places, unless the report
introduces it as a settlement or district ("the village of X", "im Ort X", "en el distrito
de X", "X, a town 20 km west of Y"). German spellings of Arabic names ("Madschdal Schams")
are also looked up in their English transliteration. A place followed by its province
("Calamar, Guaviare") is the one in that province, in or out of context. Of places sharing a
name, the one nearest to the other places the report names is taken ("Serhiivka, 60 km
south-west of Odesa"), unless one is a big city.

The place an event hit is chosen by, in order: being named right after a strike word or a
place preposition near one ("strike on X", "bombardeo en X", "Luftangriff auf X", "bij X");
lying in the event's country; being a town rather than a region, a region rather than a
country; being named early; its population.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from components.coding.place_context import (
    choose_place,
    context_countries,
    in_named_region,
    in_regions,
    is_small_place,
    namesakes_of,
    nearest_namesake,
    regions_after,
)
from components.coding.place_fallback import qualified_fallbacks
from components.coding.place_learned import Learned, LearnedLookup, learned_mentions
from components.coding.place_names import (
    BORDER,
    PARTY_AFTER,
    PLACE_KINDS,
    REGION_AFTER,
    REGION_BEFORE,
    TITLE_BEFORE,
    in_qualifier,
    introduced_as_place,
    is_strike_word,
    name_spans,
)
from components.coding.place_spelling import spelling_candidates
from components.coding.strikes import StrikeWord
from components.coding.text import dateline_end
from components.coding.vocab import alternation
from components.geo.gazetteer import (
    FEATURE_COUNTRY,
    FEATURE_PLACE,
    FEATURE_REGION,
    MATCH_ALTERNATE,
    MATCH_FOLDED,
    NEAR_PRECISION,
    Gazetteer,
    Place,
)

__all__ = ["PlaceMention", "best_place", "place_fields", "place_mentions"]

# Characters after a strike word in which a named place is "where it hit".
STRIKE_REACH = 80
# Capitalised names looked up in one report at most (each is a few gazetteer lookups).
MAX_NAME_SPANS = 3000
# Other places, before and after in the text, that choose among a place's namesakes.
NAMESAKE_WINDOW = 4


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A gazetteer place named in the body (offsets in the body)."""

    start: int
    end: int
    text: str
    place: Place
    near: bool = False  # "near X", "bij X", "nahe X": the place is where it happened, or near
    evidence: str = ""  # where a learned place comes from ("learned:<file>:<event id>")


def place_mentions(
    body: str, gazetteer: Gazetteer, language: str = "en", learned: LearnedLookup | None = None
) -> list[PlaceMention]:
    """Places named in ``body``, in text order: learned from the analyst's datasets
    (``learned``) before the gazetteer's."""
    memo: dict[str, list[Place]] = {}
    raw = _named(body, gazetteer, language, set(), memo)
    countries = context_countries(raw, body)
    if countries:
        # A transliteration the gazetteer knows only loosely ("Deir al-Balah", "Nabatiyé")
        # is read again within the report's own countries, where it may clearly stand out.
        raw = _named(body, gazetteer, language, countries, memo)
        countries = context_countries(raw, body)
    found = _mentions_of(raw, body, gazetteer, countries)
    if learned is not None:
        taught = learned_mentions(body, learned, gazetteer, countries, language)
        found = _with_learned(found, taught, body)
    # A village the gazetteer lacks, named with its district or region, stands in as those.
    known = [(m.start, m.end) for m in found]
    for fallback in qualified_fallbacks(body, gazetteer, countries, known):
        # Its district and region stand in for it; they are not places of their own.
        found = [m for m in found if not fallback.end <= m.start < fallback.qualifier_end]
        found.append(PlaceMention(fallback.start, fallback.end, fallback.text, fallback.place))
    return sorted(found, key=lambda m: m.start)


def _with_learned(
    found: list[PlaceMention], learned: list[Learned], body: str
) -> list[PlaceMention]:
    """The learned places in place of the gazetteer's guesses for the same words."""
    kept = [m for m in found if not any(x.start < m.end and m.start < x.end for x in learned)]
    for x in learned:
        near = bool(_NEAR_BEFORE.search(body[max(0, x.start - 25) : x.start].lower()))
        kept.append(PlaceMention(x.start, x.end, x.text, x.place, near, x.evidence))
    return kept


def _named(
    body: str,
    gazetteer: Gazetteer,
    language: str,
    countries: set[str],
    memo: dict[str, list[Place]],
) -> list[tuple[int, int, list[Place]]]:
    """Names in ``body`` the gazetteer knows, with their candidate places, in text order."""
    raw = []
    taken_until = -1
    # Spans come longest first for each starting word; the first one the gazetteer knows wins.
    # A report names far fewer places than this; past it (a hostile text), names are not read.
    for start, end, partial in name_spans(body, language, MAX_NAME_SPANS):
        if start < taken_until:
            continue
        if body[end - 2 : end] in ("'s", "’s"):  # "Myanmar's army", "Ukraine's air force"
            end -= 2
        if is_strike_word(body[start:end]):
            continue  # "Ataque con misil ...": a headline's first word, not the town Ataq
        if TITLE_BEFORE.search(body[max(0, start - 20) : start]):
            continue  # "le maire Ahmad Kahil", "governor Oleh Syniehubov": a person
        if PARTY_AFTER.match(body[end : end + 30]):
            continue  # "Turkey military forces", "Ethiopia security forces": a party
        name = body[start:end]
        if name not in memo:
            memo[name] = spelling_candidates(name, gazetteer, language)
        candidates = _country_of_kind(name, memo, gazetteer, language) or memo[name]
        if partial and not any(p.feature == FEATURE_COUNTRY for p in candidates):
            continue  # "Kafr" of "Kafr Nabl": the start of another place's name
        spelled = " " in body[start:end] or "-" in body[start:end]
        if countries and spelled and not any(p.match != MATCH_FOLDED for p in candidates):
            candidates = _in_countries(body[start:end], gazetteer, countries) or candidates
        if not spelled and not any(p.match != MATCH_FOLDED for p in candidates):
            # A loose spelling of one word counts when the place so spelled lies in the region
            # named right after it ("Ozarianivka, Donetsk"): the region vouches for it.
            candidates = _in_region_after(name, body[end : end + 80], gazetteer, countries)
        if any(p.match != MATCH_FOLDED for p in candidates) or (candidates and spelled):
            raw.append((start, end, candidates))
            taken_until = end
    return raw


def _in_region_after(
    name: str, after: str, gazetteer: Gazetteer, countries: set[str]
) -> list[Place]:
    """The place called ``name`` (loosely) in the region named right after it, if any."""
    regions = regions_after(after, gazetteer, countries)
    inside = in_regions(namesakes_of(name, regions, gazetteer), regions) if regions else None
    return [replace(inside, match=MATCH_ALTERNATE)] if inside is not None else []


def _country_of_kind(
    name: str, memo: dict[str, list[Place]], gazetteer: Gazetteer, language: str
) -> list[Place]:
    """A country's name followed by a kind of place ("<country> Province" in a group's name)
    is that country, not a namesake region elsewhere that lists the whole as another name."""
    head, _, kind = name.rpartition(" ")
    if not head or kind.lower() not in PLACE_KINDS:
        return []
    if head not in memo:
        memo[head] = spelling_candidates(head, gazetteer, language)
    found = memo[head]
    return found[:1] if found and found[0].feature == FEATURE_COUNTRY else []


def _in_countries(name: str, gazetteer: Gazetteer, countries: set[str]) -> list[Place]:
    """The one place of the report's countries that a loose spelling of a name of several
    words points to (a single word's loose matches are too often words: "Russische")."""
    for country in sorted(countries):
        for place in gazetteer.lookup(name, country, limit=1):
            if place.country_code == country and place.feature != FEATURE_COUNTRY:
                # Known in the country the report is about: as good as an alternate name.
                return [replace(place, match=MATCH_ALTERNATE)]
    return []


def _mentions_of(
    raw: list[tuple[int, int, list[Place]]],
    body: str,
    gazetteer: Gazetteer,
    countries: set[str],
) -> list[PlaceMention]:
    chosen = []
    for start, end, candidates in raw:
        introduced = introduced_as_place(body, start, end)
        regions = regions_after(body[end : end + 80], gazetteer, countries)
        in_region = in_regions(candidates, regions) or in_regions(
            namesakes_of(body[start:end], regions, gazetteer), regions
        )
        place = (
            in_region
            or in_named_region(candidates, body[end : end + 40], gazetteer)
            or choose_place(
                candidates,
                countries,
                body[start:end],
                introduced=introduced,
                qualifier=in_qualifier(body, start),
            )
        )
        if in_region is None and regions and place is not None and is_small_place(place):
            # Named with its region, yet no namesake lies there: the gazetteer lacks this
            # one; the region named after it places the event, not a namesake elsewhere.
            place = None
        if place is not None:
            chosen.append((start, end, candidates if in_region is None else [place], place))
    found = []
    for number, (start, end, candidates, place) in enumerate(chosen):
        # The places named around it (its province after a comma, the town it is near)
        # choose among its namesakes; a bounded window keeps long texts linear.
        around = chosen[max(0, number - NAMESAKE_WINDOW) : number + NAMESAKE_WINDOW + 1]
        others = [
            p for s, _, _, p in around
            if s != start and p.name != place.name and p.feature != FEATURE_COUNTRY
        ]  # fmt: skip
        place = nearest_namesake(place, candidates, others)
        before = body[max(0, start - 25) : start].lower()
        after = body[end : end + 20].lower()
        region_word = REGION_BEFORE.search(before) or REGION_AFTER.match(after)
        if region_word and place.feature == FEATURE_PLACE:
            region = gazetteer.region_of(place)
            place = region or place
        near = bool(_NEAR_BEFORE.search(before))
        found.append(PlaceMention(start, end, body[start:end], place, near))
    return found


def best_place(
    mentions: Sequence[PlaceMention], strikes: Sequence[StrikeWord], body: str
) -> PlaceMention | None:
    """The place an event hit among the mentions of its sentences (strikes: its strike words)."""
    if not mentions:
        return None
    # A town or region named in a country is stronger evidence than the country's name,
    # which reports also use for the parties ("de Verenigde Staten").
    countries: Counter[str] = Counter()
    for mention in mentions:
        countries[mention.place.country_code] += (
            1 if mention.place.feature == FEATURE_COUNTRY else 2
        )
        if _after_strike(mention, strikes, body):
            countries[mention.place.country_code] += 3
    main_country = countries.most_common(1)[0][0]

    filed = dateline_end(body)

    def score(item: tuple[int, PlaceMention]) -> tuple:
        order, mention = item
        rank = {FEATURE_PLACE: 2, FEATURE_REGION: 1, FEATURE_COUNTRY: 0}[mention.place.feature]
        return (
            not _background(mention, body, filed),
            _after_strike(mention, strikes[:1], body, reach=len(body)),
            _after_strike(mention, strikes, body),
            mention.place.country_code == main_country,
            rank,
            -order,
            mention.place.population,
        )

    chosen = max(enumerate(mentions), key=score)[1]
    return _town_within(chosen, mentions, body, filed) or chosen


def _town_within(
    chosen: PlaceMention, mentions: Sequence[PlaceMention], body: str, filed: int
) -> PlaceMention | None:
    """A town the event's sentences name inside the region chosen ("in the province of
    Balochistan ... a village near the town of Panjgur"): the more precise place."""
    if chosen.place.feature != FEATURE_REGION:
        return None
    region = (chosen.place.country_code, chosen.place.admin1)
    for mention in mentions:
        place = mention.place
        if (
            place.feature == FEATURE_PLACE
            and (place.country_code, place.admin1) == region
            and not _background(mention, body, filed)
        ):
            return mention
    return None


def place_fields(mention: PlaceMention, gazetteer: Gazetteer) -> dict[str, object]:
    """The canonical columns for a chosen place: location, admin1, country, coordinates."""
    place = mention.place
    region = gazetteer.region_of(place)
    admin1 = _region_name(region.name) if region is not None else ""
    if mention.evidence:
        geocoder = mention.evidence
        location = place.name
    elif place.feature == FEATURE_REGION:
        geocoder = f"gazetteer:{place.country_code}.{place.admin1}"
        location = _region_name(place.name)
    else:
        geocoder = f"gazetteer:{place.geonameid}"
        location = place.name
    precision = place.geo_precision
    if mention.near and place.feature == FEATURE_PLACE:
        precision = max(precision, NEAR_PRECISION)
    return {
        "location": location,
        "admin1": admin1 if place.feature != FEATURE_COUNTRY else "",
        "country": gazetteer.country_name(place.country_code) or "",
        "latitude": round(place.latitude, 5),
        "longitude": round(place.longitude, 5),
        "geo_precision": precision,
        "geocoder": geocoder,
    }


_DISTANCE_FROM = re.compile(
    r"\b(?:km|kms|kilomet(?:er|re)s?|kilometern|kilomètres|kilómetros|miles|mijl)\b"
    r"[^.;\d]{0,30}?\b(?:from|of|van|vanaf|von|de|du|des|d'|desde|del)\s+(?:the |la |le |el )?$",
    re.IGNORECASE,
)
# Where officials spoke: "the government in Baghdad", "een legerwoordvoerder in Addis Abeba".
_SPOKE_IN = re.compile(
    r"\b(?:government|ministry|spokesm[ae]n|spokeswoman|spokesperson|officials|"
    r"regering|ministerie|\w*woordvoerder|regierung|ministerium|\w*sprecher|"
    r"gouvernement|ministère|porte-parole|s'exprimait|s’exprimait|gobierno|ministerio|"
    r"portavoz)\s+(?:[^\W\d]+\s+)?(?:in|à|en|au)\s+$",
    re.IGNORECASE,
)
_NEAR_BEFORE = re.compile(
    rf"\b(?:{alternation('places', 'near')})(?: the| de| la| le| het| der| dem| von)?\s+$",
    re.IGNORECASE,
)
_PLACE_PREPOSITIONS = re.compile(
    r"(?:\bon|\bin|\bat|\bnear|\bop|\bbij|\bnabij|\bauf|\bin der|\bbei|\bnahe|\bsur|\bà|"
    r"\bdans|\bprès de|\ben|\bsobre|\bcontra|\bcerca de|\bde|\bvan|\bvon|\bof|"
    r"\bcity|\btown|\bvillage|\bstad|\bdorp|\bstadt|\bdorf|\bortschaft|\bville|"
    r"\blocalité|\bciudad|\bpueblo|\blocalidad|\bprovince|\bprovincie|\bprovinz|\bregion|"
    r"\bregio|\brégion|\bregión|\bprovincia|\bgovernorate|\bgouvernorat|\boblast|\bdistrict|"
    r"\bdistrito|\bbezirk)"
    r"(?: the| de| la| le| het| der| dem| den| die| el| los| las| of| van)?\s+$"
    # French elides "de" and "le" before a vowel: "l'aéroport d'Aden", "à l'est d'Idlib".
    r"|(?:\bd|\bl|\bjusqu)['’]$",
    re.IGNORECASE,
)


def _after_strike(
    mention: PlaceMention, strikes: Sequence[StrikeWord], body: str, reach: int = STRIKE_REACH
) -> bool:
    """Named just after a strike word, behind a place preposition ("strike on X", "bij X");
    with a longer reach, anywhere after it in its sentence (the lead's "bombardeo ... contra
    un centro de detención en la ciudad yemení de Saada")."""
    # A country is context, never "where it hit": "in der von Russland kontrollierten Stadt".
    if mention.place.feature == FEATURE_COUNTRY:
        return False
    for strike in strikes:
        if 0 <= mention.start - strike.end <= reach:
            between = body[strike.end : mention.start]
            if "." in between:
                continue
            if _PLACE_PREPOSITIONS.search(between[-25:]):
                return True
    return False


def _background(mention: PlaceMention, body: str, filed: int) -> bool:
    """Named only as where the report was filed (its dateline), as the point a distance is
    measured from ("50 km from X", "25 Kilometer westlich von X") or as the other side of a
    border ("near the border with Mali"): not where it hit."""
    if mention.start < filed:
        return True
    before = body[max(0, mention.start - 60) : mention.start]
    return bool(_DISTANCE_FROM.search(before) or _SPOKE_IN.search(before) or BORDER.search(before))


def _region_name(name: str) -> str:
    for suffix in (" region", " Governorate", " Province", " Oblast"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name
