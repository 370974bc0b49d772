"""A casualty figure, and the words around a toll: death and injury words (from the vocabulary
files), the people counted, and the small words a toll is read past."""

from __future__ import annotations

import re
from dataclasses import dataclass

from components.coding.vocab import alternation

KILLED = "killed"
INJURED = "injured"


@dataclass(frozen=True, slots=True)
class Figure:
    """One casualty figure: what it counts, its range, and the words it was read from."""

    kind: str
    minimum: int | None
    maximum: int | None
    civilians: bool = False
    phrase: str = ""
    subset: bool = False  # part of a figure given just before ("including 5 children")
    vague: bool = False  # a vague amount ("dozens", "des dizaines"), not a figure as such
    coded: bool = False  # the figure a coder recorded ("fatalities coded as 3"): the figure

    def holds(self, value: int) -> bool:
        """Whether a reported figure lies in this range."""
        low = self.minimum if self.minimum is not None else 0
        return low <= value and (self.maximum is None or value <= self.maximum)


def word_list(text: str) -> list[str]:
    """The words of a space-separated list written as one string."""
    return text.split()


def casualty_kind(tokens: list[str], position: int) -> str:
    token = tokens[position]
    previous = tokens[position - 1] if position > 0 else ""
    if _KILLED_WORD.fullmatch(token):
        return KILLED
    if _INJURED_WORD.fullmatch(token):
        return INJURED
    # "30 patients were being treated" when the hospital was hit: in care before, not hurt.
    if _TREATED_WORD.fullmatch(token) and previous not in _IN_CARE:
        return INJURED
    if (token, previous) in _KILLED_PHRASE_ENDS:
        return KILLED
    return ""


def is_casualty_word(token: str) -> bool:
    return bool(
        _KILLED_WORD.fullmatch(token)
        or _INJURED_WORD.fullmatch(token)
        or _TREATED_WORD.fullmatch(token)
    )


def is_person(token: str) -> bool:
    return token.endswith(_PERSON_ENDINGS) or token in _PERSON_WORDS or token in GROUP_NOUNS


def is_civilian(token: str) -> bool:
    return token.endswith(_CIVILIAN_ENDINGS)


_KILLED_WORD = re.compile(alternation("casualties", "killed"))
_INJURED_WORD = re.compile(alternation("casualties", "injured"))
# Treated in hospital after the strike: hurt, though the report does not say "injured".
_TREATED_WORD = re.compile(alternation("casualties", "treated"))
_IN_CARE = frozenset({"being", "still", "already"})
# Multi-word death phrases, recognised by their last word and the one before it.
_KILLED_PHRASE_ENDS = {
    ("leven", "het"),  # om het leven
    ("leben", "ums"),  # ums Leben
    ("vie", "la"),  # ont perdu la vie
    ("vida", "la"),  # perdieron la vida
    ("lives", "their"),  # lost their lives
    ("mortales", "víctimas"),
}
_PERSON_ENDINGS = (
    "people", "persons", "person", "civilians", "civilian", "soldiers", "soldier", "fighters",
    "militants", "children", "child", "women", "woman", "men", "members", "troops",
    "servicemen", "rebels", "insurgents", "police", "policemen", "officers", "guards",
    "residents", "villagers", "worshippers", "students", "workers", "militiamen", "combatants",
    "jihadists", "recruits", "personnel", "passengers", "patients", "journalists", "others",
    "girls", "boys", "tourists", "cadets", "pilgrims", "guests", "mourners", "shoppers",
    "refugees", "migrants", "detainees", "prisoners", "inmates", "babies", "infants",
    "meisjes", "jongens", "toeristen", "cadetten", "vluchtelingen", "gevangenen", "baby's",
    "mädchen", "jungen", "touristen", "urlauber", "kadetten", "flüchtlinge", "gefangene",
    "häftlinge", "babys",
    "filles", "garçons", "touristes", "réfugiés", "détenus", "prisonniers", "déplacés",
    "bébés", "chicos", "chicas", "turistas", "cadetes", "refugiados", "detenidos", "presos",
    "desplazados", "bebés", "staff", "employees", "doctors", "medics", "nurses", "volunteers",
    "medewerkers", "artsen", "hulpverleners", "vrijwilligers", "mitarbeiter", "mitarbeiterinnen",
    "ärzte", "helfer", "sanitäter", "employés", "médecins", "secouristes", "soignants",
    "bénévoles", "empleados", "trabajadores", "médicos", "sanitarios", "voluntarios",
    "dissidents", "disidentes", "dissidenten", "guerrillas",
    "guerrilleros", "guerrilleras", "smugglers", "contrabandistas", "teenagers", "adolescents",
    "adolescentes", "jugendliche", "jugendlichen", "jongeren", "tieners", "terrorists",
    "terroristas", "terroristes", "terroristen", "militantes", "insurgés",
    "mensen", "personen", "persoon", "burgers", "burger", "soldaten", "soldaat", "strijders",
    "militairen", "militair", "kinderen", "vrouwen", "mannen", "leden", "rebellen", "agenten",
    "militanten", "inwoners", "dorpelingen", "jihadisten", "anderen",
    "menschen", "zivilisten", "zivilist", "soldat", "kämpfer", "kinder", "frauen", "männer",
    "mitglieder", "polizisten", "bewohner", "dschihadisten", "milizionäre", "angehörige",
    "andere", "einwohner", "insassen",
    "personnes", "personne", "civils", "civil", "soldats", "combattants", "enfants", "enfant",
    "femmes", "hommes", "membres", "rebelles", "policiers", "habitants", "villageois",
    "jihadistes", "djihadistes", "militaires", "autres",
    "personas", "persona", "civiles", "soldados", "soldado", "combatientes", "niños", "niñas",
    "menores", "mujeres", "hombres", "miembros", "rebeldes", "policías", "habitantes",
    "milicianos", "yihadistas", "militares", "otros", "otras",
)  # fmt: skip
_PERSON_WORDS = frozenset(
    word_list("""kind man vrouw mann frau niño niña fighter militant soldier officer policeman
    member resident journalist boy girl worker guard commander leader farmer student
    herder shepherd driver doctor nurse teacher trader menor hombre mujer joven""")
)
# Peoples and groups counted as people ("two Kurds", "cinco palestinos").
GROUP_NOUNS = frozenset(
    word_list("""citizens nationals kurds palestinians israelis syrians iraqis yemenis somalis
    afghans ukrainians russians lebanese sudanese nigerians malians kenyans
    palestijnen koerden syriërs israëliërs palästinenser kurden syrer israelis
    palestiniens kurdes syriens israéliens palestinos kurdos sirios israelíes ciudadanos
    burgers bürger citoyens ressortissants""")
)
# Children, women and residents are counted as civilians (as Airwars and ACLED notes do).
_CIVILIAN_ENDINGS = (
    "civilians", "civilian", "children", "child", "women", "residents", "villagers",
    "girls", "boys", "tourists", "babies", "meisjes", "jongens", "toeristen", "mädchen",
    "touristen", "urlauber", "filles", "garçons", "touristes", "chicos", "chicas", "turistas",
    "burgers", "burger", "kinderen", "vrouwen", "inwoners", "dorpelingen",
    "zivilisten", "zivilist", "kinder", "frauen", "bewohner", "einwohner",
    "civils", "civil", "enfants", "femmes", "habitants", "villageois",
    "civiles", "niños", "niñas", "menores", "mujeres", "habitantes",
)  # fmt: skip
# When a strike killed, said between the verb and its toll ("mató el sábado a 90 personas").
DAY_WORDS = frozenset(
    word_list("""monday tuesday wednesday thursday friday saturday sunday today yesterday overnight
    maandag dinsdag woensdag donderdag vrijdag zaterdag zondag vandaag gisteren
    montag dienstag mittwoch donnerstag freitag samstag sonntag heute gestern
    lundi mardi mercredi jeudi vendredi samedi dimanche hier
    lunes martes miércoles jueves viernes sábado domingo hoy ayer""")
)
PREPOSITIONS = frozenset(
    word_list("""in on at near from into across bij op nabij naar uit bei auf nahe aus im dans sur
    près en cerca desde sobre""")
)
# Words that open a clause of their own ("... died on Saturday when a missile hit").
CLAUSE_STARTS = frozenset(
    word_list(
        "when as after while because wanneer toen nadat terwijl omdat als wenn nachdem "
        "während weil quand lorsque alors après cuando mientras después porque"
    )
)
# Auxiliaries of the passive: "were killed", "wurden getötet", "ont été tués", "fueron".
PASSIVE = frozenset(
    word_list(
        "were was been are werden werd zijn wurden wurde sind seien été furent fueron fue "
        "resultaron resultó raakten raakte"
    )
)
OF = frozenset({"of", "van", "von", "de", "d'", "du", "del"})
ATTRIBUTION = frozenset(
    {"according", "nach", "laut", "zufolge", "volgens", "selon", "según", "d'après"}
)
ATTRIBUTION_REACH = 4
# Tokens up to the closing comma of an aside: "dont des médecins et des enfants" is six.
ASIDE_REACH = 9
STOPS = frozenset({".", ";", ":", "!", "?", "(", ")", "—", "–"})
AND = frozenset({"and", "en", "und", "et", "y", "e", "or", "oder", "ou", "o", "but"})
QUOTES = frozenset({'"', "“", "”", "„", "«", "»", "'", "‘", "’"})
