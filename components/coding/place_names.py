"""How a report names places: runs of capitalised words, the words that introduce a name as a
place ("in X", "the village of X", "X district", "X (District, Region)"), and the words
that make it something else (a title before a person, forces after a party)."""

from __future__ import annotations

import re

from components.coding.strikes import strike_words
from components.coding.vocab import alternation, words


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
TITLE_BEFORE = re.compile(rf"\b(?:{alternation('places', 'titles')})\s+$", re.IGNORECASE)
REGION_BEFORE = re.compile(
    rf"\b(?:{alternation('places', 'regions')})(?: of| van| de| del| von| der)?\s+"
    r"(?:the |de |la )?$"
)
# "Sagaing region", "Kirkuk province", "Donetsk oblast": the name is the region's.
REGION_AFTER = re.compile(rf"\s+(?:{alternation('places', 'regions')})\b")
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
PARTY_AFTER = re.compile(
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


def name_spans(body: str, language: str, limit: int) -> list[tuple[int, int]]:
    """Runs of capitalised words (with connectors inside), split into gazetteer names later;
    the first ``limit`` of them."""
    words = list(_WORD.finditer(body))
    spans: list[tuple[int, int, bool]] = []
    run: list[re.Match[str]] = []
    # Whether each line is a headline, asked once per line: a report may be one long line.
    title_lines: dict[int, bool] = {}

    def flush() -> None:
        while run and run[-1].group(0).lower() in _CONNECTORS:
            run.pop()
        if run:
            line = body.rfind("\n", 0, run[0].start()) + 1
            if line not in title_lines:
                title_lines[line] = _title_line(body, line)
            spans.extend(_sub_spans(body, run, title_lines[line]))
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
    with whether it is only the first part of a longer name ("Kafr" of "Kafr Nabl")."""
    found = []
    # "Bir Haddad village": the whole run is the village's name; its last word alone is not.
    named_whole = bool(_SETTLEMENT_NEXT.match(body, run[-1].end()))
    for index in range(len(run)):
        for stop in range(min(len(run), index + _MAX_NAME_WORDS), index, -1):
            chunk = run[index:stop]
            if named_whole and index and stop == len(run):
                continue
            if not (_capitalised(chunk[0].group(0)) and _capitalised(chunk[-1].group(0))):
                continue
            text = body[chunk[0].start() : chunk[-1].end()]
            if chunk[0].group(0).lower() in _COMMON_CAPITALISED:
                continue  # "In Yemen", "De Amerikaanse": a sentence's first word
            if index and run[index - 1].group(0).lower() in _POSITIONS:
                continue  # "Juba" of "Lower Juba": the region is another place than the town
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
        and word.lower() not in PLACE_KINDS
        and word.lower() not in _COMMON_CAPITALISED
    )


def _title_line(body: str, start: int) -> bool:
    """Whether the line from ``start`` is written in title case (a headline): there, a run of
    capitalised words is not one name."""
    end = body.find("\n", start)
    words = re.findall(r"[^\W\d_]{4,}", body[start : end if end != -1 else len(body)])
    return len(words) >= 3 and sum(w[0].isupper() for w in words) / len(words) > 0.6


# Words that say what kind of place the name before them is ("Gaza City", "Kharkiv Oblast").
PLACE_KINDS = frozenset(w.lower() for w in words("places", "kinds"))
_SETTLEMENT_NEXT = re.compile(rf"\s+(?:{alternation('places', 'settlements')})\b")
# "Lower", "Middle": with the name after them, they name a region, not that name's place.
_POSITIONS = frozenset(w.lower() for w in words("places", "positions"))


def _capitalised(text: str) -> bool:
    return text[0].isupper() or bool(re.search(r"-[A-ZÀ-Þ]", text))


def _only_space_between(body: str, end: int, start: int) -> bool:
    return body[end:start].strip() == ""


def introduced_as_place(body: str, start: int, end: int) -> bool:
    """Whether the text introduces a name as a place: "the village of X", "in X", "X town",
    "X district", "X (District, Region)", "X, Region", "(coded to X", "shelled X"."""
    before = body[max(0, start - 30) : start]
    after = body[end : end + 40]
    return bool(
        _SETTLEMENT_BEFORE.search(before)
        or _SETTLEMENT_AFTER.match(after)
        or _INTRODUCER_BEFORE.search(before)
        or _ADMIN_AFTER.match(after)
        or REGION_AFTER.match(after.lower())
        or REGION_BEFORE.search(before.lower())
        or _QUALIFIED_AFTER.match(after)
        or _object_of_a_strike(before)
    )


def _object_of_a_strike(before: str) -> bool:
    """A name right after a strike verb is what it hit: "shelled Kharkiv", "bombardeó Kidal"."""
    found = strike_words(before)
    return bool(found) and _STRIKE_OBJECT_GAP.fullmatch(before[found[-1].end :]) is not None


# Between a strike verb and its object: spaces and at most an article.
_STRIKE_OBJECT_GAP = re.compile(r"\s+(?:(?:the|de|het|der|die|das|la|le|les|el|los|las)\s+)?")


def in_qualifier(body: str, start: int) -> bool:
    """Whether a name qualifies the place before it: "(District, Province)", "(coded to X"."""
    return bool(_QUALIFIER_BEFORE.search(body[max(0, start - 60) : start]))


_QUALIFIER_BEFORE = re.compile(r"\(\s*(?:coded to\s+)?(?:[^\s(),]+(?:\s+[^\s(),]+){0,3}\s*,\s*)?$")


def is_strike_word(name: str) -> bool:
    """A single word for a strike or an attack in the five languages ("Ataque", "Frappe")."""
    if name.lower() in _ATTACK_WORDS:
        return True
    words = strike_words(name)
    return len(words) == 1 and words[0].start == 0 and words[0].end == len(name)


# Words for an attack of any kind, which strike_words leaves to the words around them.
_ATTACK_WORDS = frozenset(words("strikes", "attack"))


# "near the border with Mali", "junto a la frontera con Irak": the other side of a border.
BORDER = re.compile(
    rf"\b(?:{alternation('places', 'borders')})(?: the| la| le| el| de| het| der| dem)?\s+$",
    re.IGNORECASE,
)
