"""The strike vocabulary: which words name a strike, and of what kind."""

from __future__ import annotations

import pytest

from components.coding.strikes import AIR_STRIKE, SHELLING, actors_in, strike_words


@pytest.mark.parametrize(
    "sentence",
    [
        "Pakistani military helicopters destroyed a religious school near Khar.",
        "Helicopter gunships fired on the convoy.",
        "Kampfhubschrauber griffen das Dorf an.",
        "Des hélicoptères de combat ont visé le camp.",
        "Helicópteros artillados atacaron el campamento.",
    ],
)
def test_military_helicopters_are_air_strikes(sentence):
    assert [w.event_type for w in strike_words(sentence)][:1] == [AIR_STRIKE]


def test_a_helicopter_taking_the_wounded_away_is_no_strike():
    assert strike_words("Die Verletzten wurden per Hubschrauber nach Maiduguri gebracht.") == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Bij nachtelijke beschietingen van de stad vielen drie doden.",
        "De beschieting van het dorp duurde uren.",
    ],
)
def test_dutch_shelling_in_singular_and_plural_is_a_shelling(sentence):
    assert [w.event_type for w in strike_words(sentence)] == [SHELLING]


def test_a_single_missile_in_spanish_is_a_missile_attack():
    words = strike_words("Un misil balístico alcanzó una gasolinera en el centro de la ciudad.")
    assert [w.event_type for w in words] == [SHELLING]


@pytest.mark.parametrize(
    "sentence",
    [
        "Missiles fired from a US drone hit a wedding party.",
        "Raketen aus einem Kampfhubschrauber trafen das Dorf.",
        "Des missiles tirés par un drone ont frappé la ville.",
    ],
)
def test_missiles_fired_from_the_air_are_an_air_strike(sentence):
    assert strike_words(sentence)[0].event_type == AIR_STRIKE


def test_missiles_fired_alongside_drones_stay_a_missile_attack():
    assert strike_words("Russia fired missiles and drones at Kyiv.")[0].event_type == SHELLING


@pytest.mark.parametrize(
    ("sentence", "actor1", "actor2"),
    [
        ("An air strike on Houthi positions killed five.", "", "Houthis"),
        ("A drone strike against the Taliban killed 4.", "", "Taliban"),
        ("Une frappe israélienne sur Rafah a tué 45 personnes.", "Israel", ""),
        ("Ein Luftangriff der Bundeswehr gegen die Taliban.", "", "Taliban"),
        ("Bombardeo ruso contra Járkov.", "Russia", ""),
        ("Een luchtaanval door Israëlische straaljagers op Hamas.", "Israel", "Hamas"),
    ],
)
def test_the_striker_is_the_agent_or_subject_and_the_struck_its_object(sentence, actor1, actor2):
    words = strike_words(sentence)
    found = actors_in(sentence, words[0])
    assert (found.actor1, found.actor2) == (actor1, actor2)


def test_a_coalition_is_named_only_by_its_own_words():
    sentence = "An American drone strike in Marib killed three men, the Saudi-led coalition said."
    assert actors_in(sentence, strike_words(sentence)[0]).actor1 == "United States"


def test_a_party_named_as_fighting_beside_the_striker_is_not_the_striker():
    sentence = (
        "International forces, in coordination with government forces (SNA), conducted an "
        "airstrike targeting Al Shabaab near the village."
    )
    found = actors_in(sentence, strike_words(sentence)[0])
    assert (found.actor1, found.actor2) == ("", "al-Shabaab")


@pytest.mark.parametrize(
    ("sentence", "actor2"),
    [
        ("An air strike on a school bus killed 12 children.", ""),
        ("Un bombardeo contra un hospital apoyado por médicos locales mató a 5.", ""),
        ("Une frappe aérienne sur un camp de déplacés a tué 9 personnes.", ""),
        ("An air strike on rebel fighters near the river killed 6.", "rebel fighters"),
        (
            "Een luchtaanval op de stellingen van de rebellen doodde 8 strijders.",
            "de stellingen van de rebellen",
        ),
    ],
)
def test_what_was_hit_is_an_actor_only_when_it_names_people_or_a_party(sentence, actor2):
    assert actors_in(sentence, strike_words(sentence)[0]).actor2 == actor2


@pytest.mark.parametrize(
    "sentence",
    [
        "Bij een raketaanval op een school in de Oekraïense stad Zolotarivka vielen 3 doden.",
        "Une frappe de missiles sur le centre de Zolotarivka, ville russe, a tué 2 personnes.",
    ],
)
def test_the_country_of_the_town_hit_is_not_the_party_hit(sentence):
    assert actors_in(sentence, strike_words(sentence)[0]).actor2 == ""


def test_the_adjective_of_a_second_strike_word_in_one_phrase_names_the_striker():
    sentence = "Diez civiles murieron en un bombardeo de la aviación turca cerca de la aldea."
    assert actors_in(sentence, strike_words(sentence)[0]).actor1 == "Turkey"
