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

import difflib
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from components.coding.strikes import StrikeWord, strike_words
from components.coding.text import dateline_end
from components.coding.vocab import alternation, words
from components.geo.gazetteer import (
    FEATURE_COUNTRY,
    FEATURE_PLACE,
    FEATURE_REGION,
    MATCH_ALTERNATE,
    MATCH_FOLDED,
    MATCH_NAME,
    NEAR_PRECISION,
    Gazetteer,
    Place,
)
from components.geo.names import fold_name

__all__ = ["PlaceMention", "best_place", "place_fields", "place_mentions"]

# A place outside the report's countries must be at least this big to count.
CONTEXT_FREE_POPULATION = 50_000
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


def place_mentions(body: str, gazetteer: Gazetteer, language: str = "en") -> list[PlaceMention]:
    """Gazetteer places named in ``body``, in text order."""
    memo: dict[str, list[Place]] = {}
    raw = _named(body, gazetteer, language, set(), memo)
    countries = _context_countries(raw, body)
    if countries:
        # A transliteration the gazetteer knows only loosely ("Deir al-Balah", "Nabatiyé")
        # is read again within the report's own countries, where it may clearly stand out.
        raw = _named(body, gazetteer, language, countries, memo)
        countries = _context_countries(raw, body)
    return _mentions_of(raw, body, gazetteer, countries)


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
    for start, end, partial in _name_spans(body, language, MAX_NAME_SPANS):
        if start < taken_until:
            continue
        if body[end - 2 : end] in ("'s", "’s"):  # "Myanmar's army", "Ukraine's air force"
            end -= 2
        if _is_strike_word(body[start:end]):
            continue  # "Ataque con misil ...": a headline's first word, not the town Ataq
        if _TITLE_BEFORE.search(body[max(0, start - 20) : start]):
            continue  # "le maire Ahmad Kahil", "governor Oleh Syniehubov": a person
        if _PARTY_AFTER.match(body[end : end + 30]):
            continue  # "Turkey military forces", "Ethiopia security forces": a party
        name = body[start:end]
        if name not in memo:
            memo[name] = _candidates(name, gazetteer, language)
        candidates = memo[name]
        if partial and not any(p.feature == FEATURE_COUNTRY for p in candidates):
            continue  # "Geel" of "Geel Gub", "Raas" of "Raas Warabe": another place's name
        spelled = " " in body[start:end] or "-" in body[start:end]
        if countries and spelled and not any(p.match != MATCH_FOLDED for p in candidates):
            candidates = _in_countries(body[start:end], gazetteer, countries) or candidates
        if any(p.match != MATCH_FOLDED for p in candidates) or (candidates and spelled):
            raw.append((start, end, candidates))
            taken_until = end
    return raw


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
        introduced = _introduced(body, start, end)
        regions = _regions_after(body[end : end + 80], gazetteer, countries)
        in_region = _in_regions(candidates, regions) or _in_regions(
            _namesakes(body[start:end], regions, gazetteer), regions
        )
        place = (
            in_region
            or _in_named_region(candidates, body[end : end + 40], gazetteer)
            or _choose(
                candidates,
                countries,
                body[start:end],
                introduced=introduced,
                qualifier=_in_qualifier(body, start),
            )
        )
        if in_region is None and regions and place is not None and _small(place):
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
        place = _nearest_namesake(place, candidates, others)
        before = body[max(0, start - 25) : start].lower()
        after = body[end : end + 20].lower()
        region_word = _REGION_BEFORE.search(before) or _REGION_AFTER.match(after)
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

    return max(enumerate(mentions), key=score)[1]


def place_fields(mention: PlaceMention, gazetteer: Gazetteer) -> dict[str, object]:
    """The canonical columns for a chosen place: location, admin1, country, coordinates."""
    place = mention.place
    region = gazetteer.region_of(place)
    admin1 = _region_name(region.name) if region is not None else ""
    if place.feature == FEATURE_REGION:
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


# ---------------------------------------------------------------------------------------
# Helpers


def _words(text: str) -> list[str]:
    """The words of a space-separated list written as one string."""
    return text.split()


# A French elision before a name ("l'aéroport d'Aden", "jusqu'à l'Ukraine") is not part of it.
_WORD = re.compile(r"(?!(?:[dDlLjJnNsS]|[Qq]u|[Jj]usqu)['’][A-ZÀ-Þ])[^\W\d_][\w'’]*(?:-[\w'’]+)*")
# Lower-case words that may sit inside a place name ("Deir ez-Zor", "Kafr el Sheikh").
_CONNECTORS = frozenset(
    _words(
        "al el ez es as ash ad ar an at az ul um umm bin ibn abu de del la las los le les du "
        "des di da do dos sur am an der im"
    )
)
_COMMON_CAPITALISED = frozenset(
    _words("""the a an in on at of and but by for from with this that these those he she it they we
    his her its their there here when while after before during since according said says
    de het een en van in op bij met door voor na om dat die deze dit er ook zowel volgens
    daarbij ze zij hij wij wie wat waar toen nadat twee drie
    der die das den dem des ein eine einer und im am an auf bei mit von nach laut dabei
    seit sie er es wir wie was wo als
    le la les l un une et dans sur par pour selon après avant lors il elle ils elles on
    ce cette ces qui que où quand depuis
    el los las y en con por para según tras desde al del su sus ayer hoy este esta
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday""")
)
_MAX_NAME_WORDS = 5
# A title just before a name makes it a person's name.
_TITLE_BEFORE = re.compile(rf"\b(?:{alternation('places', 'titles')})\s+$", re.IGNORECASE)
_REGION_BEFORE = re.compile(
    rf"\b(?:{alternation('places', 'regions')})(?: of| van| de| del| von| der)?\s+"
    r"(?:the |de |la )?$"
)
# "Sagaing region", "Kirkuk province", "Donetsk oblast": the name is the region's.
_REGION_AFTER = re.compile(rf"\s+(?:{alternation('places', 'regions')})\b")
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
# "the village of X", "der Stadt X", "en el distrito de X": the name that follows is a place.
_SETTLEMENT_BEFORE = re.compile(
    rf"\b(?:{alternation('places', 'settlements')})"
    r"(?: of| van| de| del| d'| von)?(?: the| la| le| het| el)?\s+$",
    re.IGNORECASE,
)
# "Bilozerka, a town 20 km west of Kherson", "Tell Tamer, un village du nord-est".
_SETTLEMENT_AFTER = re.compile(
    r",\s+(?:a|an|the|een|het|ein|eine|einem|un|une|una)\s+(?:\w+\s+)?"
    rf"(?:{alternation('places', 'settlements')})\b",
    re.IGNORECASE,
)
# A name followed by these is a party to the fighting, not a place.
_PARTY_AFTER = re.compile(
    r"\s+(?:(?:military|security|armed|air|special|government|police)\s+)?"
    r"(?:forces|military|army|troops|soldiers|militias?|air force)\b"
)
# "in X", "near X", "bei X", "près de X", "cerca de X": words that introduce a place.
_INTRODUCER_BEFORE = re.compile(
    rf"\b(?:{alternation('places', 'introducers')})"
    r"(?: the| de| la| le| het| der| dem| den| el| los| las)?\s+$|\(\s*$",
    re.IGNORECASE,
)
# "X village", "X district", "X area": a name followed by the kind of place it is.
_ADMIN_AFTER = re.compile(rf"\s+(?:{alternation('places', 'kinds')})\b", re.IGNORECASE)
# "X (District, Region)", "X, Region": a name followed by the regions it lies in.
_QUALIFIED_AFTER = re.compile(r"\s*(?:\(\s*|,\s+)[A-ZÀ-Þ][\w'’-]+(?:\s+[A-ZÀ-Þ][\w'’-]+)?\s*[,)]")
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


def _name_spans(body: str, language: str, limit: int) -> list[tuple[int, int]]:
    """Runs of capitalised words (with connectors inside), split into gazetteer names later;
    the first ``limit`` of them."""
    words = list(_WORD.finditer(body))
    spans: list[tuple[int, int, bool]] = []
    run: list[re.Match[str]] = []

    def flush() -> None:
        while run and run[-1].group(0).lower() in _CONNECTORS:
            run.pop()
        if run:
            spans.extend(_sub_spans(body, run, _title_line(body, run[0].start())))
        run.clear()

    for index, word in enumerate(words):
        text = word.group(0)
        joined = not run or _only_space_between(body, run[-1].end(), word.start())
        inside = bool(run) and text.lower() in _CONNECTORS and index + 1 < len(words)
        if joined and (_capitalised(text) or inside):
            run.append(word)
        else:
            flush()
            if _capitalised(text):
                run.append(word)
        if len(run) > _MAX_NAME_WORDS * 2:
            flush()
        if len(spans) >= limit:
            break
    flush()
    return spans[:limit]


def _sub_spans(
    body: str, run: list[re.Match[str]], title_line: bool
) -> list[tuple[int, int, bool]]:
    """Names inside a run of capitalised words, longest first, that could be places; each
    with whether it is only the first part of a longer name ("Geel" of "Geel Gub")."""
    found = []
    for index in range(len(run)):
        for stop in range(min(len(run), index + _MAX_NAME_WORDS), index, -1):
            chunk = run[index:stop]
            if not (_capitalised(chunk[0].group(0)) and _capitalised(chunk[-1].group(0))):
                continue
            text = body[chunk[0].start() : chunk[-1].end()]
            if chunk[0].group(0).lower() in _COMMON_CAPITALISED:
                continue  # "In Yemen", "De Amerikaanse": a sentence's first word
            if stop - index == 1 and (
                text.lower() in _COMMON_CAPITALISED or len(text) < 3 or text.isupper()
            ):
                continue
            following = run[stop].group(0) if stop < len(run) else ""
            partial = not title_line and _name_word(following)
            found.append((chunk[0].start(), chunk[-1].end(), partial))
    return found


def _name_word(word: str) -> bool:
    """A capitalised word that is part of a name (not a kind of place, not a common word)."""
    return (
        bool(word)
        and _capitalised(word)
        and word.lower() not in _PLACE_KINDS
        and word.lower() not in _COMMON_CAPITALISED
    )


def _title_line(body: str, offset: int) -> bool:
    """Whether the line at ``offset`` is written in title case (a headline): there, a run of
    capitalised words is not one name."""
    start = body.rfind("\n", 0, offset) + 1
    end = body.find("\n", offset)
    words = re.findall(r"[^\W\d_]{4,}", body[start : end if end != -1 else len(body)])
    return len(words) >= 3 and sum(w[0].isupper() for w in words) / len(words) > 0.6


# Words that say what kind of place the name before them is ("Gaza City", "Kharkiv Oblast").
_PLACE_KINDS = frozenset(w.lower() for w in words("places", "kinds"))


def _capitalised(text: str) -> bool:
    return text[0].isupper() or bool(re.search(r"-[A-ZÀ-Þ]", text))


def _only_space_between(body: str, end: int, start: int) -> bool:
    return body[end:start].strip() == ""


def _candidates(name: str, gazetteer: Gazetteer, language: str = "en") -> list[Place]:
    places = gazetteer.lookup(name, limit=8)
    # A loose (folded) match may be a wrong guess ("Chan Junis" folds to Gaza): a name spelled
    # the way the report's language transliterates is looked up in English spelling too.
    if _loose(places):
        for spelled in _english_spellings(name, language):
            found = [p for p in gazetteer.lookup(spelled, limit=8) if p.match != MATCH_FOLDED]
            if found:
                places = found
                break
    places = _spelled_alike_first(name, places)
    return [p for p in places if not (p.feature == FEATURE_COUNTRY and len(name) < 4)]


def _loose(places: list[Place]) -> bool:
    return not any(p.match != MATCH_FOLDED for p in places)


def _english_spellings(name: str, language: str) -> list[str]:
    """English spellings of a name written the German, Dutch or French way, most likely first."""
    spellings = []
    if language == "de" and "sch" in name.lower():
        english = name
        for german, transliterated in _GERMAN_SPELLINGS:
            english = re.sub(german, transliterated, english)
            english = re.sub(german.capitalize(), transliterated.capitalize(), english)
        spellings.append(english)
    if language == "de" and "ch" in name.lower():
        # German writes the kh of Arabic and Kurdish names as ch, and its z as s ("Sacho").
        for written in [name, *spellings]:
            khaki = re.sub(r"\bCh", "Kh", re.sub(r"(?<![sStT])ch", "kh", written))
            spellings += [khaki, re.sub(r"^S(?=[aeiouy])", "Z", khaki)]
    if language in ("de", "nl") and re.search("[jJ]", name):
        # German and Dutch write the English y as j ("Mykolajiv", "Junis").
        spellings += [_y_for_j(s) for s in [*spellings, name]]
    if language == "nl" and re.search("(?i)tsj|sj|zj|oe", name):
        # Dutch writes Slavic ch, sh, zh and u as tsj, sj, zj and oe ("Tsjaplyne").
        dutch = name
        for written, english in _DUTCH_SPELLINGS:
            dutch = re.sub(written, english, dutch)
            dutch = re.sub(written.capitalize(), english.capitalize(), dutch)
        spellings += [dutch, _y_for_j(dutch)]
    if language == "fr" and name.endswith(("é", "ée")):
        spellings += [re.sub(french, english, name) for french, english in _FRENCH_ENDINGS]
    return [s for s in dict.fromkeys(spellings) if s != name]


def _y_for_j(name: str) -> str:
    return name.replace("j", "y").replace("J", "Y")


def _spelled_alike_first(name: str, places: list[Place]) -> list[Place]:
    """Of towns of one country and about one size that list ``name`` only among their other
    names, the one whose own name is spelled like it comes first ("Slovjansk": Slovyansk, not
    a namesake that lists it as a former or foreign name)."""
    written = fold_name(name)

    def alike(place: Place) -> bool:
        ratio = difflib.SequenceMatcher(None, written, fold_name(place.name)).ratio()
        return ratio >= _ALIKE_RATIO

    if not places:
        return places
    top = places[0]
    if top.match != MATCH_ALTERNATE or top.feature != FEATURE_PLACE or alike(top):
        return places
    for later in places[1:]:
        if (
            later.match == MATCH_ALTERNATE
            and later.feature == FEATURE_PLACE
            and later.country_code == top.country_code
            and later.population * 2 >= top.population
            and alike(later)
        ):
            return [later] + [p for p in places if p is not later]
    return places


_ALIKE_RATIO = 0.7


# French writes an Arabic name's final -ieh/-eh as -iyé/-é ("Nabatiyé", "Jouniyé").
_FRENCH_ENDINGS = [(r"iy[ée]e?$", "ieh"), (r"y[ée]e?$", "yeh"), (r"[ée]e?$", "eh")]


# German transliterates Arabic "j" and "sh" as "dsch" and "sch" ("Dschenin", "Scheich").
_GERMAN_SPELLINGS = [("dsch", "j"), ("tsch", "ch"), ("sch", "sh")]
_DUTCH_SPELLINGS = [("tsj", "ch"), ("sj", "sh"), ("zj", "zh"), ("oe", "u")]
# A namesake this big is the place meant, whatever else the report names.
BIG_CITY_POPULATION = 100_000


def _regions_after(after: str, gazetteer: Gazetteer, countries: set[str]) -> set[tuple[str, str]]:
    """(country, admin1) of the regions named right after a place: "X, Donetsk region",
    "X (Cadale, Middle Shabelle)", "X, Henicheskyi district, Kherson": they choose among
    the place's namesakes."""
    found = _REGIONS_AFTER.match(after)
    if not found:
        return set()
    codes = set()
    for name in filter(None, found.groups()):
        for place in gazetteer.lookup(name.strip(), limit=5):
            local = place.country_code in countries
            if place.admin1 and (local or not countries) and (local or place.match != MATCH_FOLDED):
                codes.add((place.country_code, place.admin1))
    return codes


def _big(place: Place) -> bool:
    return place.population >= BIG_CITY_POPULATION


def _small(place: Place) -> bool:
    return place.feature == FEATURE_PLACE and place.population < BIG_CITY_POPULATION


def _namesakes(name: str, regions: set[tuple[str, str]], gazetteer: Gazetteer) -> list[Place]:
    """Every place of the regions' countries called ``name`` (a common village name has
    dozens of namesakes, more than a plain lookup returns)."""
    places: list[Place] = []
    for country in sorted({country for country, _ in regions}):
        places.extend(gazetteer.lookup(name, country, limit=_MAX_NAMESAKES))
    return places


_MAX_NAMESAKES = 200


def _in_regions(candidates: list[Place], regions: set[tuple[str, str]]) -> Place | None:
    """The first candidate that lies in one of ``regions``, a town before a region."""
    inside = [p for p in candidates if (p.country_code, p.admin1) in regions]
    inside.sort(key=lambda p: (p.feature != FEATURE_PLACE, p.match == MATCH_FOLDED))
    return inside[0] if inside else None


_NAME = r"[A-ZÀ-Þ][\w'’-]+(?:\s+[A-ZÀ-Þ][\w'’-]+){0,2}"
_KIND = (
    r"(?:\s+(?:region|oblast|district|raion|province|governorate|county|state|hromada|"
    r"community))?"
)
_REGIONS_AFTER = re.compile(
    rf"\s*(?:\(\s*(?:coded to\s+)?|,\s+)({_NAME}){_KIND}(?:\s*,\s*({_NAME}){_KIND})?\s*[,.;)]"
)


def _in_named_region(candidates: list[Place], after: str, gazetteer: Gazetteer) -> Place | None:
    """The place whose province follows its name ("Calamar, Guaviare"), if one does."""
    following = _REGION_AFTER_COMMA.match(after)
    if not following:
        return None
    region_word = re.compile(rf"\b{re.escape(following.group(1))}\b", re.IGNORECASE)
    for place in candidates:
        if place.match == MATCH_FOLDED or place.feature != FEATURE_PLACE:
            continue
        region = gazetteer.region_of(place)
        if region is not None and region_word.search(region.name):
            return place
    return None


_REGION_AFTER_COMMA = re.compile(r",\s*([A-ZÀ-Þ][\w'’-]{2,})")


def _nearest_namesake(place: Place, candidates: list[Place], anchors: list[Place]) -> Place:
    """Among places of the same name, country and kind, the one nearest to ``anchors``."""
    if not anchors or place.population >= BIG_CITY_POPULATION:
        return place
    namesakes = [
        p
        for p in candidates
        if p.country_code == place.country_code
        and p.feature == place.feature
        and p.match != MATCH_FOLDED
    ]
    if len(namesakes) < 2:
        return place

    def distance(candidate: Place) -> float:
        return min(_km(candidate, anchor) for anchor in anchors)

    return min(namesakes, key=distance)


def _km(a: Place, b: Place) -> float:
    p1, p2 = math.radians(a.latitude), math.radians(b.latitude)
    dp, dl = p2 - p1, math.radians(b.longitude - a.longitude)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(h))


def _introduced(body: str, start: int, end: int) -> bool:
    """Whether the text introduces a name as a place: "the village of X", "in X", "X town",
    "X district", "X (District, Region)", "X, Region", "(coded to X"."""
    before = body[max(0, start - 30) : start]
    after = body[end : end + 40]
    return bool(
        _SETTLEMENT_BEFORE.search(before)
        or _SETTLEMENT_AFTER.match(after)
        or _INTRODUCER_BEFORE.search(before)
        or _ADMIN_AFTER.match(after)
        or _REGION_AFTER.match(after.lower())
        or _REGION_BEFORE.search(before.lower())
        or _QUALIFIED_AFTER.match(after)
    )


def _voted_countries(raw: list[tuple[int, int, list[Place]]], body: str) -> set[str]:
    """The country most names introduced as places belong to, when each of them belongs to
    one country only: a report about villages needs no country name to be read in one."""
    votes: Counter[str] = Counter()
    for start, end, candidates in raw:
        if not _introduced(body, start, end):
            continue
        if not candidates or _other_name_of_a_country(body[start:end], candidates):
            continue
        exact = {
            p.country_code
            for p in candidates
            if p.match == MATCH_NAME and p.feature != FEATURE_COUNTRY
        }
        if len(exact) == 1:
            votes[exact.pop()] += 1
        elif candidates and candidates[0].match != MATCH_FOLDED and _big(candidates[0]):
            votes[candidates[0].country_code] += 1
    if not votes:
        return set()
    top = max(votes.values())
    return {country for country, count in votes.items() if count == top}


def _context_countries(raw: list[tuple[int, int, list[Place]]], body: str) -> set[str]:
    """Countries the report is about: countries named, countries of big places named, and
    the country that the names it introduces as places agree on."""
    named, big = _named_countries(raw, body)
    return named | big | _voted_countries(raw, body)


def _named_countries(
    raw: list[tuple[int, int, list[Place]]], body: str
) -> tuple[set[str], set[str]]:
    """Countries named, and countries of big places named."""
    named, big = set(), set()
    for start, end, candidates in raw:
        if not candidates:
            continue
        top = candidates[0]
        if top.match == MATCH_FOLDED or _other_name_of_a_country(body[start:end], candidates):
            continue
        if top.feature == FEATURE_COUNTRY:
            named.add(top.country_code)
        elif top.population >= 5 * CONTEXT_FREE_POPULATION:
            big.add(top.country_code)
    return named, big


def _other_name_of_a_country(name: str, candidates: list[Place]) -> bool:
    """The name is a country's only in another spelling ("Uman" for Oman) and a town's own
    name: it tells nothing of the report's countries by itself."""
    top = candidates[0]
    own = fold_name(name)
    return (
        top.feature == FEATURE_COUNTRY
        and fold_name(top.name) != own
        and any(
            p.feature != FEATURE_COUNTRY and p.match != MATCH_FOLDED and fold_name(p.name) == own
            for p in candidates
        )
    )


def _choose(
    candidates: list[Place],
    countries: set[str],
    name: str,
    *,
    introduced: bool = False,
    qualifier: bool = False,
) -> Place | None:
    """The place a name stands for: one in the report's countries; else a big place (a
    bigger one when the report's countries are known, and never as the region qualifying
    a place of those countries: "(Bossaso, Bari)"); else, in a report of no known country,
    a place the text introduces."""
    # A loose (folded) match on one plain word is too often an ordinary word ("Defensie").
    spelled = bool(re.search(r"[\s'’-]", name))
    for place in candidates:
        loose = place.match == MATCH_FOLDED and not spelled
        if place.country_code in countries and not loose:
            return place
    if countries and qualifier:
        return None
    least = BIG_CITY_POPULATION if countries else CONTEXT_FREE_POPULATION
    for place in candidates:
        if place.match != MATCH_FOLDED and (
            place.population >= least or place.feature == FEATURE_COUNTRY
        ):
            return _town_of_region(place, candidates)
    for place in candidates:
        if (
            introduced
            and not countries
            and place.match != MATCH_FOLDED
            and place.feature != FEATURE_COUNTRY
        ):
            return place
    return None


def _in_qualifier(body: str, start: int) -> bool:
    """Whether a name qualifies the place before it: "(Bossaso, Bari)", "(coded to X"."""
    return bool(_QUALIFIER_BEFORE.search(body[max(0, start - 60) : start]))


_QUALIFIER_BEFORE = re.compile(r"\(\s*(?:coded to\s+)?(?:[^\s(),]+(?:\s+[^\s(),]+){0,3}\s*,\s*)?$")


def _town_of_region(place: Place, candidates: list[Place]) -> Place:
    """A region that carries the name of one of its country's towns stands for that town:
    "Jenin" is the town, not the West Bank around it; the region places the town."""
    if place.feature != FEATURE_REGION:
        return place
    for town in candidates:
        if (
            town.feature == FEATURE_PLACE
            and town.country_code == place.country_code
            and town.match != MATCH_FOLDED
        ):
            return town
    return place


def _is_strike_word(name: str) -> bool:
    """A single word for a strike or an attack in the five languages ("Ataque", "Frappe")."""
    if name.lower() in _ATTACK_WORDS:
        return True
    words = strike_words(name)
    return len(words) == 1 and words[0].start == 0 and words[0].end == len(name)


# Words for an attack of any kind, which strike_words leaves to the words around them.
_ATTACK_WORDS = frozenset(words("strikes", "attack"))


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
    """Named only as where the report was filed (its dateline) or as the point a distance is
    measured from ("50 km from X", "25 Kilometer westlich von X"): not where it hit."""
    if mention.start < filed:
        return True
    before = body[max(0, mention.start - 60) : mention.start]
    return bool(_DISTANCE_FROM.search(before) or _SPOKE_IN.search(before))


def _region_name(name: str) -> str:
    for suffix in (" region", " Governorate", " Province", " Oblast"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _log_population(place: Place) -> float:
    return math.log10(place.population + 1)
