"""Casualty figures in sentences of five languages: ranges, qualifiers, and what is not one."""

from __future__ import annotations

import pytest

from components.coding.numbers import INJURED, KILLED, casualty_figures


def figures(sentence: str, language: str) -> list[tuple[str, int | None, int | None]]:
    return [(f.kind, f.minimum, f.maximum) for f in casualty_figures(sentence, language)]


@pytest.mark.parametrize(
    ("language", "sentence", "expected"),
    [
        ("nl", "Daarbij zijn honderd Syrische soldaten omgekomen.", [(KILLED, 100, 100)]),
        ("nl", "Er vielen eenenveertig doden en tientallen gewonden.",
         [(KILLED, 41, 41), (INJURED, 20, 99)]),
        ("nl", "Bij de luchtaanval kwamen minstens 15 mensen om het leven.", [(KILLED, 15, None)]),
        ("de", "Bei dem Luftangriff wurden zweihundert Menschen getötet.", [(KILLED, 200, 200)]),
        ("de", "Dabei kamen mindestens zwölf Menschen ums Leben, 40 weitere wurden verletzt.",
         [(KILLED, 12, None), (INJURED, 40, 40)]),
        ("de", "Bis zu 142 Menschen wurden getötet.", [(KILLED, None, 142)]),
        ("fr", "La frappe a fait trente-deux morts et une dizaine de blessés.",
         [(KILLED, 32, 32), (INJURED, 10, 10)]),
        ("fr", "Au moins douze civils ont été tués et 20 blessés.",
         [(KILLED, 12, None), (INJURED, 20, 20)]),
        ("es", "El bombardeo dejó veintisiete muertos y decenas de heridos.",
         [(KILLED, 27, 27), (INJURED, 20, 99)]),
        ("es", "Al menos doce personas murieron y otras 15 resultaron heridas.",
         [(KILLED, 12, None), (INJURED, 15, 15)]),
        ("es", "Un bombardeo mató a 27 personas en Saná.", [(KILLED, 27, 27)]),
        ("en", "At least 12 people were killed and up to 30 wounded.",
         [(KILLED, 12, None), (INJURED, None, 30)]),
        ("en", "Between 5 and 7 civilians died in the strike.", [(KILLED, 5, 7)]),
        ("en", "More than 20 people were killed.", [(KILLED, 20, None)]),
        ("en", "About 30 fighters were killed.", [(KILLED, 30, 30)]),
        ("en", "The air strike killed a dozen people and wounded dozens.",
         [(KILLED, 12, 12), (INJURED, 24, 99)]),
        ("en", "killing at least 44 people and wounding more than 130", [
            (KILLED, 44, None), (INJURED, 130, None)]),
        ("en", "Hundreds of people were wounded.", [(INJURED, 200, 999)]),
    ],
)  # fmt: skip
def test_figures_tied_to_death_and_injury_words_are_read_as_ranges(language, sentence, expected):
    assert figures(sentence, language) == expected


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "Five hundred attacking soldiers fired fifty-nine missiles at the base."),
        ("nl", "Vijfhonderd pro-regeringssoldaten zouden hebben geschoten op een hoofdkwartier."),
        ("de", "Russland feuerte in der Nacht 59 Raketen und 20 Drohnen ab."),
        ("fr", "En 2018, la 3e brigade comptait 500 soldats."),
        ("es", "Más de 3.000 desplazados se refugiaban en la escuela."),
        ("en", "A 12-year-old boy watched the strike from 3 km away."),
    ],
)
def test_numbers_that_are_not_casualties_are_not_read_as_casualties(language, sentence):
    assert casualty_figures(sentence, language) == []


def test_at_least_twelve_is_a_minimum_with_no_maximum():
    (figure,) = casualty_figures("At least twelve people were killed.", "en")
    assert (figure.minimum, figure.maximum) == (12, None)


def test_a_part_of_a_figure_counts_towards_civilians_not_the_total():
    found = casualty_figures("La frappe de drone a tué 5 personnes, dont 2 enfants.", "fr")
    total, part = found
    assert (total.minimum, total.subset) == (5, False)
    assert (part.minimum, part.subset, part.civilians) == (2, True, True)


def test_the_words_a_figure_was_read_from_are_kept():
    (figure,) = casualty_figures("Dozens of civilians were killed.", "en")
    assert "Dozens" in figure.phrase and "killed" in figure.phrase


@pytest.mark.parametrize(
    ("language", "sentence", "expected"),
    [
        (
            "en",
            "At least 21 civilians, including 11 children, were killed on Sunday.",
            [(KILLED, 21, None), (KILLED, 11, 11)],
        ),
        (
            "fr",
            "Au moins 54 civils, dont 37 enfants, ont été tués dimanche à l'aube.",
            [(KILLED, 54, None), (KILLED, 37, 37)],
        ),
        (
            "es",
            "Noventa civiles, entre ellos sesenta niños, murieron el pasado viernes.",
            [(KILLED, 90, 90), (KILLED, 60, 60)],
        ),
        (
            "nl",
            "Twaalf mensen, onder wie vier kinderen, raakten gewond.",
            [(INJURED, 12, 12), (INJURED, 4, 4)],
        ),
    ],
)
def test_a_figure_followed_by_a_part_of_it_takes_the_parts_casualty_word(
    language, sentence, expected
):
    assert figures(sentence, language) == expected


def test_the_part_is_marked_as_a_subset_and_the_whole_is_not():
    found = casualty_figures("At least 21 civilians, including 11 children, were killed.", "en")
    assert [f.subset for f in found] == [False, True]


@pytest.mark.parametrize(
    ("language", "sentence", "expected"),
    [
        (
            "en",
            "Two children were killed and three girls injured.",
            [(KILLED, 2, 2), (INJURED, 3, 3)],
        ),
        ("de", "Dabei sind mindestens neun Touristen getötet worden.", [(KILLED, 9, None)]),
        ("es", "Al menos treinta cadetes murieron.", [(KILLED, 30, None)]),
        ("fr", "Douze détenus ont été tués.", [(KILLED, 12, 12)]),
    ],
)
def test_more_kinds_of_people_can_be_casualties(language, sentence, expected):
    assert figures(sentence, language) == expected


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("de", "Unter den Toten sei ein einjähriges Kind."),
        ("en", "Among the dead were five children."),
    ],
)
def test_a_figure_among_the_dead_is_part_of_the_toll_not_the_toll(language, sentence):
    assert all(f.subset for f in casualty_figures(sentence, language))


@pytest.mark.parametrize(
    ("language", "sentence", "expected"),
    [
        ("en", "Gunships struck the school, killing scores of people.", [(KILLED, 40, 199)]),
        ("de", "Mehr als zwei Dutzend Menschen wurden verletzt.", [(INJURED, 24, None)]),
        ("en", "Two dozen people were wounded.", [(INJURED, 24, 24)]),
        ("es", "Casi 40 personas resultaron heridas.", [(INJURED, 36, 40)]),
        ("de", "Knapp 90 weitere wurden verletzt.", [(INJURED, 81, 90)]),
        ("en", "Rescuers said 80 bodies had been pulled from the rubble.", [(KILLED, 80, 80)]),
    ],
)
def test_vague_and_near_amounts_hold_the_figure_they_name(language, sentence, expected):
    assert figures(sentence, language) == expected


@pytest.mark.parametrize(
    ("language", "sentence", "expected"),
    [
        ("de", "Knapp 90 weitere wurden nach Angaben des Stadtrats verletzt.", [(INJURED, 81, 90)]),
        ("nl", "Zes mensen zijn volgens het ministerie gedood.", [(KILLED, 6, 6)]),
        (
            "fr",
            "Au moins douze personnes, en majorité des enfants, ont été tuées.",
            [(KILLED, 12, None)],
        ),
        ("de", "Dabei wurden zwölf Kinder und Jugendliche getötet.", [(KILLED, 12, 12)]),
        ("nl", "Er zijn zeven leden van één familie om het leven gekomen.", [(KILLED, 7, 7)]),
        ("es", "Al menos diez disidentes de las FARC murieron.", [(KILLED, 10, None)]),
        (
            "fr",
            "Au moins 19 personnes, dont des infirmiers et des bébés, ont été tuées.",
            [(KILLED, 19, None)],
        ),
        (
            "en",
            "Nine people, among them nurses and a doctor on duty, were killed.",
            [(KILLED, 9, 9)],
        ),
    ],
)
def test_words_between_a_figure_and_its_casualty_word_are_read_past(language, sentence, expected):
    assert figures(sentence, language) == expected


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("nl", "Sinds oktober zijn aan de Libanese kant ruim tweehonderd mensen gedood."),
        ("en", "Since the start of the war, more than 500 civilians have been killed."),
        ("de", "Seit Beginn des Krieges wurden mehr als 900 Menschen getötet."),
        ("es", "Desde el inicio de la ofensiva han muerto 300 personas."),
    ],
)
def test_a_running_total_of_a_war_is_not_the_toll_of_the_strike(language, sentence):
    assert casualty_figures(sentence, language) == []


def test_a_minor_among_the_dead_is_part_of_the_toll():
    found = casualty_figures("Entre los muertos habría una menor de 16 años.", "es")
    assert found and all(f.subset for f in found)


def test_a_toll_counted_since_the_strike_is_still_the_toll():
    found = figures("Since Monday's strike, 14 people have died of their wounds.", "en")
    assert found == [(KILLED, 14, 14)]


@pytest.mark.parametrize(
    ("language", "sentence", "expected"),
    [
        ("nl", "Daarbij zijn tussen de 20 en 25 burgers omgekomen.", [(KILLED, 20, 25)]),
        ("en", "The drone killed 2 people and wounded nearly a dozen.",
         [(KILLED, 2, 2), (INJURED, 11, 12)]),
    ],
)  # fmt: skip
def test_ranges_and_near_amounts_in_other_wordings(language, sentence, expected):
    assert figures(sentence, language) == expected


@pytest.mark.parametrize(
    ("language", "sentence", "expected"),
    [
        ("en", "Ten died and more than 300 were treated for breathing problems.",
         [(KILLED, 10, 10), (INJURED, 300, None)]),
        ("nl", "Veertig mensen werden in het ziekenhuis behandeld.", [(INJURED, 40, 40)]),
        ("de", "Zwölf Menschen wurden im Krankenhaus behandelt.", [(INJURED, 12, 12)]),
        ("fr", "Quarante personnes ont été hospitalisées après la frappe.", [(INJURED, 40, 40)]),
        ("es", "Veinte personas fueron atendidas por asfixia.", [(INJURED, 20, 20)]),
    ],
)  # fmt: skip
def test_people_treated_in_hospital_are_injured(language, sentence, expected):
    assert figures(sentence, language) == expected


def test_patients_already_in_care_when_a_hospital_is_hit_are_not_injured_by_it():
    assert figures("The strike hit a ward where 30 patients were being treated.", "en") == []


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("es", "Cuatro civiles murieron el martes cuando un dron alcanzó su coche."),
        ("en", "Three people died on Friday when one rocket hit a bus."),
        ("fr", "Deux soldats sont morts lundi quand une roquette a frappé leur poste."),
    ],
)
def test_a_single_weapon_in_a_new_clause_is_not_a_second_toll(language, sentence):
    assert [f for f in figures(sentence, language) if f[1] == 1] == []


def test_the_age_of_the_part_does_not_cut_the_whole_from_its_casualty_word():
    sentence = "Al menos once civiles, entre ellos un niño de cinco años, murieron el sábado."
    found = casualty_figures(sentence, "es")
    whole = [f for f in found if not f.subset]
    assert [(f.kind, f.minimum, f.maximum) for f in whole] == [(KILLED, 11, None)]


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "Six Iraqis were killed in the raid."),
        ("de", "Sechs Iraker wurden getötet."),
        ("fr", "Six Irakiens ont été tués."),
    ],
)
def test_a_people_named_after_the_figure_are_the_dead_of_a_passive_sentence(language, sentence):
    assert figures(sentence, language) == [(KILLED, 6, 6)]


def test_an_active_strike_noun_before_a_death_word_is_not_counted():
    assert figures("Three strikes killed 12 people.", "en") == [(KILLED, 12, 12)]


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "Forty people were wounded, twelve of them seriously."),
        ("de", "40 Menschen wurden verletzt, zwölf davon schwer."),
    ],
)
def test_a_part_named_after_a_figure_is_part_of_it_not_the_toll(language, sentence):
    found = casualty_figures(sentence, language)
    assert [(f.kind, f.minimum) for f in found if not f.subset] == [(INJURED, 40)]


@pytest.mark.parametrize(
    ("language", "sentence", "expected"),
    [
        ("en", "The number of people killed when two bombs hit the store rose to 16.",
         [(KILLED, 16, 16)]),
        ("en", "The death toll climbed to at least 20 on Sunday.", [(KILLED, 20, None)]),
        ("de", "Am Abend stieg die Zahl der Toten auf 19.", [(KILLED, 19, 19)]),
        ("nl", "Het dodental is opgelopen tot 23.", [(KILLED, 23, 23)]),
        ("fr", "Le bilan s'est alourdi à 12 morts.", [(KILLED, 12, 12)]),
        ("es", "La cifra de heridos ascendió a 40.", [(INJURED, 40, 40)]),
    ],
)  # fmt: skip
def test_an_updated_toll_counts_what_its_casualty_word_names(language, sentence, expected):
    assert figures(sentence, language) == expected


def test_a_number_that_rose_without_a_casualty_word_is_no_toll():
    assert figures("The number of displaced families rose to 3000.", "en") == []


@pytest.mark.parametrize(
    ("language", "sentence", "expected"),
    [
        ("de", "Dabei wurden mindestens neun Mitarbeiter getötet.", [(KILLED, 9, None)]),
        ("en", "Two doctors were killed in the strike.", [(KILLED, 2, 2)]),
        ("fr", "Quatre secouristes ont été tués.", [(KILLED, 4, 4)]),
        ("es", "Murieron cinco empleados del hospital.", [(KILLED, 5, 5)]),
    ],
)  # fmt: skip
def test_staff_and_medics_are_people_a_figure_can_count(language, sentence, expected):
    assert figures(sentence, language) == expected


@pytest.mark.parametrize(
    ("language", "sentence", "expected"),
    [
        ("en", "The strike killed the commander and 4 others.", [(KILLED, 5, 5)]),
        ("fr", "La frappe a tué le maire et quinze autres personnes.", [(KILLED, 16, 16)]),
        ("de", "Der Angriff tötete den Bürgermeister und zwei weitere Menschen.",
         [(KILLED, 3, 3)]),
    ],
)  # fmt: skip
def test_one_named_victim_and_others_count_the_named_one_too(language, sentence, expected):
    assert figures(sentence, language) == expected


@pytest.mark.parametrize(
    ("language", "sentence", "expected"),
    [
        ("es", "Un misil mató el martes a siete civiles en el mercado.", [(KILLED, 7, 7)]),
        ("es", "Un dron mató ayer por la noche a 4 pescadores.", [(KILLED, 4, 4)]),
        ("nl", "Een raket doodde zondag minstens 12 mensen in de stad.", [(KILLED, 12, None)]),
        ("fr", "Une frappe a tué dimanche au moins 8 personnes.", [(KILLED, 8, None)]),
    ],
)
def test_the_day_said_between_the_verb_and_its_toll_does_not_hide_the_toll(
    language, sentence, expected
):
    assert figures(sentence, language) == expected


def test_a_spanish_qualifier_before_the_personal_a_still_leaves_the_top_open():
    assert figures("El ataque mató al menos a 31 personas.", "es") == [(KILLED, 31, None)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Multiple militants were killed. Unspecified number of fatalities coded as 3.", (3, 3)),
        ("Casualties mentioned (unknown death or injuries coded as zero fatalities).", (0, 0)),
        ("Two rebels were killed [5 fatalities split across 3 events].", (0, 5)),
    ],
)
def test_a_coders_own_figure_is_read_as_the_coder_means_it(sentence, expected):
    coded = [f for f in casualty_figures(sentence, "en") if f.coded]
    assert [(f.minimum, f.maximum) for f in coded] == [expected]


@pytest.mark.parametrize(
    ("sentence", "language", "expected"),
    [
        ("The strike killed a woman near the market.", "en", [(KILLED, 1, 1)]),
        ("The shelling led to the killing of a person.", "en", [(KILLED, 1, 1)]),
        ("Two Somali citizens and four Kenyan citizens died.", "en", [(KILLED, 6, 6)]),
        ("Five corpses were recovered from the rubble.", "en", [(KILLED, 5, 5)]),
        ("Au moins 31 civils ont été tués le 28 septembre.", "fr", [(KILLED, 31, None)]),
        ("Ein Zehntel der Bewohner wurde verletzt.", "de", []),
        ("Murieron este miércoles por un bombardeo.", "es", []),
    ],
)
def test_single_victims_and_groups_count_but_dates_fractions_and_articles_do_not(
    sentence, language, expected
):
    found = casualty_figures(sentence, language)
    assert [(f.kind, f.minimum, f.maximum) for f in found] == expected
