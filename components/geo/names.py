"""Place names as reports write them: comparison keys, transliteration folding, descriptors.

:func:`normalize_name` gives the exact comparison key (no accents, case or punctuation);
:func:`fold_name` a looser key under which transliterations of one name meet;
:func:`transliterate_cyrillic` a Latin spelling of a Cyrillic name, so that "Гуляйполе"
and "Gulyaipole" can meet; :func:`reported_name` reads the words around a place name in
a report ("the town of", "outskirts of", "governorate").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "CITY_WORDS",
    "ReportedName",
    "compass_directions",
    "directions_written_one_way",
    "district_names",
    "fold_name",
    "folded_keys",
    "is_direction",
    "name_parts",
    "normalize_name",
    "reported_name",
    "transliterate_cyrillic",
    "without_articles",
]


def normalize_name(text: str) -> str:
    """Comparison key for a place name: no accents, case, apostrophes or punctuation."""
    if not isinstance(text, str):
        return ""
    text = text.translate(_DROP_BEFORE_DECOMPOSING)
    if text.isascii():
        return " ".join(text.translate(_ASCII_SEPARATORS).lower().split())
    text = unicodedata.normalize("NFKD", text).casefold()
    return " ".join(text.translate(_CHARACTER_FOLDS).split())


def fold_name(key: str, min_consonants: int = 3) -> str:
    """Looser key for a normalized name, so that transliterations of one name fold together.

    Latin script: articles (al-, el-, ar-, ash-, and "azz-" run into the next word) dropped,
    spaces dropped, final -ah/-eh shortened, q→k and ph→f, doubled letters merged, and every
    run of vowels (y and w count as vowels) written as one "a": "Deir ez-Zour", "Dayr az
    Zawr" and "Deir Azzour" all give "darzar". Arabic script: the article, teh marbuta, spaces
    and doubled letters folded. Other scripts, and keys with fewer than ``min_consonants``
    consonants (too loose to trust among all places; a country's few provinces can take
    less), give "".
    """
    tokens = key.split()
    if not tokens:
        return ""
    if key.isascii():
        kept = [t for t in tokens if t not in _LATIN_ARTICLES] or tokens
        kept[1:] = [_ASSIMILATED_ARTICLE.sub("", t) for t in kept[1:]]
        text = "".join(_shorten_final_h(t) for t in kept)
        for variant, plain in _LATIN_VARIANTS:
            text = text.replace(variant, plain)
        text = _VOWEL_RUN.sub("a", _DOUBLED.sub("", text))
        consonants = len(text) - text.count("a")
    elif _ARABIC_ONLY.fullmatch(key):
        text = _DOUBLED.sub("", "".join(_without_arabic_article(t) for t in tokens))
        text = text.translate(_ARABIC_VARIANTS)
        consonants = len(text)
    else:
        return ""
    return text if consonants >= min_consonants else ""


def folded_keys(key: str) -> list[str]:
    """Folded keys of a name key, and of its Latin spellings when it is Cyrillic."""
    found = (fold_name(spelling) for spelling in [key, *transliterate_cyrillic(key)])
    return list(dict.fromkeys(f for f in found if f))


def transliterate_cyrillic(key: str) -> list[str]:
    """Latin spellings of a normalized Cyrillic name: Russian г as g, and Ukrainian г as h."""
    if not _CYRILLIC.search(key):
        return []
    as_g = key.translate(_CYRILLIC_TO_LATIN)
    if not as_g.isascii():
        return []
    as_h = key.replace("г", "h").translate(_CYRILLIC_TO_LATIN)
    return list(dict.fromkeys((as_g, as_h)))


@dataclass(frozen=True, slots=True)
class ReportedName:
    """The place inside a name written with descriptor words around it."""

    key: str
    geo_precision: int
    is_region: bool = False


def reported_name(key: str) -> ReportedName | None:
    """Read descriptor words around a normalized name; None when there are none.

    "the town of X", "X city", "X refugee camp" are the place X; "near X", "outskirts of X",
    "X countryside", "eastern X" are near it (precision 2); "X governorate", "province of X",
    "X oblast", "محافظة X" are the first-level region X (precision 3).
    """
    tokens = key.split()
    effects = []
    while len(tokens) > 1 and (stripped := _strip_descriptor(tokens)) is not None:
        tokens, effect = stripped
        effects.append(effect)
    if not effects:
        return None
    if _REGION in effects:
        return ReportedName(" ".join(tokens), 3, is_region=True)
    return ReportedName(" ".join(tokens), 2 if _NEAR in effects else 1)


# ---------------------------------------------------------------------------------------
# Character tables for normalize_name and fold_name

_APOSTROPHES = (
    "'`"
    "\N{ACUTE ACCENT}"
    "\N{LEFT SINGLE QUOTATION MARK}"
    "\N{RIGHT SINGLE QUOTATION MARK}"
    "\N{SINGLE HIGH-REVERSED-9 QUOTATION MARK}"
    "\N{PRIME}"
    "\N{MODIFIER LETTER PRIME}"
    "\N{MODIFIER LETTER TURNED COMMA}"
    "\N{MODIFIER LETTER APOSTROPHE}"
    "\N{MODIFIER LETTER REVERSED COMMA}"
    "\N{MODIFIER LETTER RIGHT HALF RING}"
    "\N{MODIFIER LETTER LEFT HALF RING}"
)
_SPACING_ACCENTS = (
    "\N{DIAERESIS}"
    "\N{MACRON}"
    "\N{CEDILLA}"
    "\N{BREVE}"
    "\N{DOT ABOVE}"
    "\N{RING ABOVE}"
    "\N{OGONEK}"
    "\N{SMALL TILDE}"
    "\N{DOUBLE ACUTE ACCENT}"
)
_DROP_BEFORE_DECOMPOSING = dict.fromkeys(map(ord, _APOSTROPHES + _SPACING_ACCENTS))
_ASCII_SEPARATORS = {
    ord(c): " " for c in map(chr, range(128)) if not c.isalnum() and c not in _APOSTROPHES
}
_LETTER_FOLDS = {
    "\N{LATIN SMALL LETTER L WITH STROKE}": "l",
    "\N{LATIN SMALL LETTER O WITH STROKE}": "o",
    "\N{LATIN SMALL LETTER D WITH STROKE}": "d",
    "\N{LATIN SMALL LETTER ETH}": "d",
    "\N{LATIN SMALL LETTER DOTLESS I}": "i",
    "\N{LATIN SMALL LETTER SCHWA}": "e",
    "\N{LATIN SMALL LETTER H WITH STROKE}": "h",
    "\N{LATIN SMALL LETTER T WITH STROKE}": "t",
    "\N{LATIN SMALL LETTER THORN}": "th",
    "\N{LATIN SMALL LETTER AE}": "ae",
    "\N{LATIN SMALL LIGATURE OE}": "oe",
    "\N{ARABIC LETTER FARSI YEH}": "\N{ARABIC LETTER YEH}",
    "\N{ARABIC LETTER ALEF MAKSURA}": "\N{ARABIC LETTER YEH}",
    "\N{ARABIC LETTER KEHEH}": "\N{ARABIC LETTER KAF}",
}


class _CharacterFolds(dict):
    """str.translate table computed per code point on first use."""

    def __missing__(self, code_point: int) -> str | None:
        char = chr(code_point)
        category = unicodedata.category(char)
        if category in ("Mn", "Me", "Cf") or char == "\u0640" or 0x02B0 <= code_point <= 0x02FF:
            value: str | None = None
        elif category[0] in "PZSC":
            value = " "
        else:
            value = _LETTER_FOLDS.get(char, char)
        self[code_point] = value
        return value


_CHARACTER_FOLDS = _CharacterFolds()

_LATIN_ARTICLES = frozenset(
    {"al", "el", "il", "ul", "ar", "er", "ur", "as", "es", "us", "ash", "esh", "ush", "at", "et"}
    | {"ut", "ath", "adh", "ad", "ed", "ud", "az", "ez", "uz", "an", "en", "un"}
)
# German and French spellings of the same sounds (tsch, sch, dj, dzh), Arabic q/k, ph/f,
# and the kh of English transliteration written ch (German, Dutch) or x (Somali, Pinyin's
# neighbours), and the q/k/g of one Arabic letter ("Gabes", "Qabis"): "Chan Scheichun" and
# "Khan Shaykhun" meet as "hanshahan".
_LATIN_VARIANTS = (
    ("tsch", "ch"),
    ("sch", "sh"),
    ("dzh", "j"),
    ("dj", "j"),
    ("ph", "f"),
    ("q", "k"),
    ("ck", "k"),
    ("kh", "h"),
    ("ch", "h"),
    ("gh", "g"),
    ("g", "k"),
)
_ASSIMILATED_ARTICLE = re.compile(r"^[ae](?=([dnrstz])\1..)")
_VOWEL_RUN = re.compile(r"[aeiouyw]+")
_DOUBLED = re.compile(r"(.)(?=\1)")
_ARABIC_ONLY = re.compile(r"[\u0600-\u06ff ]+")
_ARABIC_VARIANTS = str.maketrans({"\N{ARABIC LETTER TEH MARBUTA}": "\N{ARABIC LETTER HEH}"})


def without_articles(key: str) -> str:
    """The key without its article words (al, el, ash ...; ال in Arabic script)."""
    tokens = key.split()
    if key.isascii():
        return " ".join([t for t in tokens if t not in _LATIN_ARTICLES] or tokens)
    return " ".join(_without_arabic_article(t) for t in tokens)


def _strip_descriptor(tokens: list[str]) -> tuple[list[str], str] | None:
    """Tokens without one leading or trailing descriptor, and what it said; None if none."""
    for words, effect in _LEADING_DESCRIPTORS:
        if len(tokens) > len(words) and tuple(tokens[: len(words)]) == words:
            return tokens[len(words) :], effect
    for words, effect in _TRAILING_DESCRIPTORS:
        if len(tokens) > len(words) and tuple(tokens[-len(words) :]) == words:
            return tokens[: -len(words)], effect
    return None


def _without_arabic_article(token: str) -> str:
    return token[2:] if token.startswith("ال") and len(token) > 3 else token


def _shorten_final_h(token: str) -> str:
    if len(token) > 3 and token[-1] == "h" and token[-2] in "aei":
        return token[:-1]
    return token


_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_CYRILLIC_TO_LATIN = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "e",
        "є": "ye", "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "yi", "й": "y", "к": "k",
        "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
        "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
        "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "ў": "u",
    }
)  # fmt: skip

_PLACE, _NEAR, _REGION = "place", "near", "region"
_LEADING_DESCRIPTORS = [
    (tuple(words.split()), effect)
    for words, effect in [
        ("the", _PLACE), ("city of", _PLACE), ("town of", _PLACE), ("village of", _PLACE),
        ("مدينة", _PLACE), ("بلدة", _PLACE), ("قرية", _PLACE), ("город", _PLACE),
        ("місто", _PLACE), ("село", _PLACE), ("near", _NEAR), ("outside", _NEAR),
        ("outskirts of", _NEAR), ("countryside of", _NEAR), ("suburbs of", _NEAR),
        ("north of", _NEAR), ("south of", _NEAR), ("east of", _NEAR), ("west of", _NEAR),
        ("northern", _NEAR), ("southern", _NEAR), ("eastern", _NEAR), ("western", _NEAR),
        ("ريف", _NEAR), ("selo", _PLACE), ("selyshche", _PLACE), ("smt", _PLACE),
        ("posyolok", _PLACE), ("khutir", _PLACE), ("kampung", _PLACE),
        ("governorate of", _REGION), ("province of", _REGION),
        ("region of", _REGION), ("muhafazat", _REGION), ("wilayat", _REGION),
        ("محافظة", _REGION), ("ولاية", _REGION),
    ]
]  # fmt: skip
_TRAILING_DESCRIPTORS = [
    (tuple(words.split()), effect)
    for words, effect in [
        ("city", _PLACE), ("town", _PLACE), ("village", _PLACE), ("refugee camp", _PLACE),
        ("camp", _PLACE), ("idp camp", _PLACE), ("settlement", _PLACE), ("selo", _PLACE),
        ("international airport", _NEAR), ("airport", _NEAR),
        ("outskirts", _NEAR), ("countryside", _NEAR), ("area", _NEAR),
        ("suburbs", _NEAR), ("surroundings", _NEAR), ("governorate", _REGION),
        ("province", _REGION), ("oblast", _REGION), ("region", _REGION), ("state", _REGION),
        ("district", _REGION),
        ("gouvernorat", _REGION), ("provinz", _REGION), ("provincia", _REGION),
        ("oblast", _REGION), ("obl", _REGION), ("область", _REGION), ("oblasti", _REGION),
        ("prefecture", _REGION), ("wilaya", _REGION), ("muhafazah", _REGION),
        ("special republican city", _REGION), ("county", _REGION),
    ]
]  # fmt: skip


# ---------------------------------------------------------------------------------------
# Names as event datasets write them: "City - district" cells, districts, province words


def name_parts(location: str) -> list[tuple[str, int]]:
    """Names to try for a location cell, each with the least precision its answer has.

    "Mogadishu - Hodan" (a city and its district): the whole, then the district, then the
    city at precision 2 (the point is the city's, not the district's). "Beni (Mavivi)": the
    whole, the outer name, then the inner one.
    """
    text = " ".join(str(location).split())
    parts = [(text, 1)]
    for separator in (" - ", " – ", " / "):
        if separator in text:
            head, _, tail = text.partition(separator)
            parts += [(tail.strip(), 1), (head.strip(), 2)]
            break
    if "(" in text and text.endswith(")"):
        head, _, inner = text[:-1].partition("(")
        parts += [(head.strip(), 1), (inner.strip(), 1)]
    return [(p, floor) for p, floor in dict.fromkeys(parts) if p]


# Words naming a district's kind. Compass words stay: "Mandera South" is not Mandera's.
_DISTRICT_WORDS = frozenset(
    {"raion", "rayon", "district", "municipality", "city", "county", "subcounty", "hromada"}
)


_ADJECTIVE_ENDINGS = ("skyi", "skyy", "skiy", "skij", "sky", "ska", "ske", "kyi", "yi", "iy")
_TOWN_ENDINGS = ("", "k", "ka", "sk", "e", "a", "y", "i")


def district_names(text: str) -> list[str]:
    """Names of the place a district is named after: without its kind ("Novoazovsk raion",
    "Mariupol City municipality"), and from an adjective ("Kramatorskyi" → Kramatorsk,
    "Beryslavskyi" → Beryslav, "Horlivskyi" → Horlivka)."""
    words = text.split()
    name = " ".join([w for w in words if normalize_name(w) not in _DISTRICT_WORDS] or words)
    names = [name]
    if " " not in name:
        for ending in _ADJECTIVE_ENDINGS:
            if name.endswith(ending) and len(name) - len(ending) >= 3:
                stem = name[: -len(ending)]
                names += [stem + town for town in _TOWN_ENDINGS]
    return list(dict.fromkeys(names))


# A province named like its capital city is not the city ("Kyiv City" is not "Kyiv oblast").
CITY_WORDS = frozenset({"city", "municipality", "misto", "capital", "mayorality", "amanat"})
# Direction words in the languages province names are written in, each to one direction:
# "Sud-Kivu" is "South Kivu", "Shamal Sina'" is "North Sinai", "Jubbada Hoose" (Somali) is
# "Lower Juba".
_COMPASS = {
    **dict.fromkeys(("north", "northern", "nord", "norte", "shamal", "ash shamaliyah"), "1"),
    **dict.fromkeys(("south", "southern", "sud", "sur", "janub", "al janubiyah"), "2"),
    **dict.fromkeys(("east", "eastern", "est", "este", "sharq", "ash sharqiyah"), "3"),
    **dict.fromkeys(("west", "western", "ouest", "oeste", "gharb", "al gharbiyah"), "4"),
    **dict.fromkeys(("upper", "haut", "high", "sare"), "5"),
    **dict.fromkeys(("lower", "bas", "hoose"), "6"),
    **dict.fromkeys(("middle", "central", "centre", "center", "wusta", "dhexe"), "7"),
}
# Directions are written as digits, which no fold merges into the next word (a letter could:
# "c" + "qorrale" folds like "qorrale").
_DIRECTION_MARKS = frozenset(_COMPASS.values())


def compass_directions(key: str) -> frozenset[str]:
    """The directions a region key names, in words or already written one way."""
    words = key.split()
    return frozenset(_COMPASS.get(w, w) for w in words if w in _COMPASS or w in _DIRECTION_MARKS)


def is_direction(word: str) -> bool:
    """Whether a word of a region key is a direction word."""
    return word in _COMPASS or word in _DIRECTION_MARKS


def directions_written_one_way(key: str) -> str:
    """A region key with its direction words written one way ("sud kivu" and "south kivu" both
    give "2 kivu")."""
    return " ".join(_COMPASS.get(word, word) for word in key.split())
