"""Place names in reports, found in the offline gazetteer; the place a strike hit."""

from __future__ import annotations

import pytest

from components.coding.places import best_place, place_fields, place_mentions
from components.coding.strikes import strike_words


def hit(text: str, gazetteer, language: str = "en") -> str:
    mentions = place_mentions(text, gazetteer, language)
    chosen = best_place(mentions, strike_words(text), text)
    return "" if chosen is None else chosen.place.name


@pytest.mark.parametrize(
    ("language", "text", "place"),
    [
        ("en", "An air strike on Aleppo killed 12 people, Syrian media said.", "Aleppo"),
        ("nl", "Bij een luchtaanval op Kabul in Afghanistan vielen tien doden.", "Kabul"),
        ("de", "Beim Beschuss von Charkiw in der Ukraine starben zwei Menschen.", "Kharkiv"),
        ("fr", "Une frappe de drone près de Gao, au Mali, a tué cinq personnes.", "Gao"),
        ("es", "Un bombardeo en Saná, la capital de Yemen, mató a 27 personas.", "Sanaa"),
    ],
)
def test_a_place_named_by_a_strike_word_is_found_in_each_language(language, text, place, gazetteer):
    assert hit(text, gazetteer, language) == place


def test_the_place_after_the_strike_word_beats_a_place_merely_mentioned(gazetteer):
    text = "Officials in Damascus said an air strike on Idlib killed 9 people; Moscow denied it."
    assert hit(text, gazetteer) == "Idlib"


def test_a_town_beats_its_country(gazetteer):
    assert hit("In Yemen, a drone strike in Marib killed 4.", gazetteer) == "Ma'rib"


def test_a_country_named_as_a_party_does_not_become_the_place(gazetteer):
    text = "Beim Beschuss eines Marktes in der von Russland kontrollierten Stadt Donezk starben 27."
    assert hit(text, gazetteer, "de") == "Donetsk"


@pytest.mark.parametrize("word", ["Reuters", "Defensie", "Die", "Coalition", "Het", "Assad"])
def test_ordinary_capitalised_words_are_not_places(word, gazetteer):
    text = f"Volgens {word} zijn er in Syrië doden gevallen."
    assert [m.text for m in place_mentions(text, gazetteer, "nl")] == ["Syrië"]


def test_a_region_word_gives_the_region(gazetteer):
    (mention,) = place_mentions("een basis in de regio Deir ez-Zor", gazetteer, "nl")
    fields = place_fields(mention, gazetteer)
    assert fields["location"] == "Deir ez-Zor"
    assert fields["country"] == "Syria"
    assert fields["geo_precision"] == 3
    assert fields["geocoder"].startswith("gazetteer:SY.")


def test_near_a_town_is_precision_two_with_the_towns_coordinates(gazetteer):
    (mention,) = place_mentions("Der Luftangriff nahe Kundus tötete viele.", gazetteer, "de")
    fields = place_fields(mention, gazetteer)
    assert (fields["location"], fields["geo_precision"]) == ("Kunduz", 2)
    assert abs(fields["latitude"] - 36.73) < 0.1


@pytest.mark.parametrize(
    ("language", "text", "place"),
    [
        (
            "nl",
            "ADDIS ABEBA (ANP/AFP) - Bij een luchtaanval in de regio Tigray zijn 64 mensen "
            "gedood. Gewonden werden naar Mekele gebracht.",
            "Mek'ele",
        ),
        (
            "en",
            "KYIV, Jan 15 (Reuters) - A missile strike killed 30 people, officials said. "
            "The missile hit an apartment block in Dnipro.",
            "Dnipro",
        ),
    ],
)
def test_the_dateline_is_where_the_report_was_filed_not_where_it_hit(
    language, text, place, gazetteer
):
    assert hit(text, gazetteer, language) == place


@pytest.mark.parametrize(
    ("language", "text", "place"),
    [
        (
            "fr",
            "Des frappes de drones ont tué 21 civils dans le nord du Mali, à Kidal, à "
            "quelque 1.500 km de Bamako.",
            "Kidal",
        ),
        (
            "de",
            "Bei Luftangriffen starben 53 Menschen, in einer Stadt rund 25 Kilometer "
            "westlich von Aleppo, in Atarib.",
            "Al Atārib",
        ),
    ],
)
def test_a_place_a_distance_is_measured_from_is_not_where_it_hit(language, text, place, gazetteer):
    assert hit(text, gazetteer, language) == place


def test_where_officials_spoke_gives_way_to_the_town_hit(gazetteer):
    text = (
        "Die Granaten schlugen in einem Ort in der Provinz Dohuk ein. Die Regierung in "
        "Bagdad machte die Türkei verantwortlich."
    )
    assert hit(text, gazetteer, "de") != "Baghdad"


def test_a_name_followed_by_region_is_the_region(gazetteer):
    text = (
        "Myanmar's army attacked opponents in the central Sagaing region, killing 100 people "
        "outside a village in Kanbalu township."
    )
    mentions = place_mentions(text, gazetteer, "en")
    sagaing = next(m for m in mentions if m.text == "Sagaing")
    assert sagaing.place.feature == "region"
    assert hit(text, gazetteer, "en") == "Kanbalu"


def test_the_struck_place_named_late_in_the_lead_beats_a_place_in_a_later_sentence(gazetteer):
    text = (
        "Al menos setenta personas murieron en un bombardeo de la coalición contra un centro "
        "de detención en la ciudad yemení de Saada. Otro ataque aéreo contra una instalación "
        "en el puerto de Hodeida mató a tres niños."
    )
    assert hit(text, gazetteer, "es") == "Sa'dah"


def test_a_possessive_country_name_is_still_the_country(gazetteer):
    mentions = place_mentions("Ukraine's air force said a drone hit Odesa.", gazetteer, "en")
    assert [m.text for m in mentions][:1] == ["Ukraine"]


def hit_place(text: str, gazetteer, language: str):
    mentions = place_mentions(text, gazetteer, language)
    return best_place(mentions, strike_words(text), text).place


def test_a_german_spelling_of_an_arabic_name_is_found(gazetteer):
    text = "Eine Rakete schlug im Ort Madschdal Schams auf den Golanhöhen ein."
    assert hit(text, gazetteer, "de") == "Majdal Shams"


@pytest.mark.parametrize(
    ("language", "text", "place"),
    [
        ("es", "Un bombardeo turco cerca de la aldea de Ortasu, en el distrito de Uludere, mató "
               "a 34 personas.", "Ortasu"),
        ("en", "A drone hit the village of Uludere near the Iraqi border.", "Uludere"),
        ("de", "Eine Rakete schlug in der ostukrainischen Stadt Kurachowe ein.", "Kurakhove"),
        ("en", "Shells landed in the city of Myrnohrad overnight.", "Myrnohrad"),
        ("fr", "Un missile a frappé la ville de Koupiansk.", "Kupyansk"),
    ],
)  # fmt: skip
def test_a_small_place_introduced_as_a_village_district_or_city_counts_outside_the_context(
    language, text, place, gazetteer
):
    assert hit(text, gazetteer, language) == place


def test_a_place_followed_by_its_province_is_the_one_in_that_province(gazetteer):
    text = "Diez guerrilleros murieron en un bombardeo en zona rural de Calamar, Guaviare."
    place = hit_place(text, gazetteer, "es")
    assert (place.name, round(place.latitude)) == ("Calamar", 2)


def test_of_places_sharing_a_name_the_one_near_the_other_places_named_is_taken(gazetteer):
    text = (
        "Misiles rusos alcanzaron un edificio en Serhiivka, a unos 60 kilómetros al suroeste "
        "de Odesa."
    )
    place = hit_place(text, gazetteer, "es")
    assert abs(place.latitude - 46.0) < 0.3 and abs(place.longitude - 30.4) < 0.5


def test_a_big_city_is_not_swapped_for_a_village_of_its_name_near_another_place(gazetteer):
    text = "A missile struck Odesa on Monday; earlier, drones hit Serhiivka and Izmail."
    odesa = [m.place for m in place_mentions(text, gazetteer, "en") if m.text == "Odesa"]
    assert odesa and odesa[0].population > 500_000


def test_a_place_described_as_a_town_after_its_name_counts(gazetteer):
    text = "A drone hit a bus in Bilozerka, a town 20 km west of Kherson, on Tuesday."
    assert hit(text, gazetteer) == "Bilozerka"


def test_a_name_after_a_french_elision_is_found_and_is_where_it_hit(gazetteer):
    text = "Des obus sont tombés sur le marché d'Idlib, a indiqué un responsable à Damas."
    assert "Idlib" in [m.text for m in place_mentions(text, gazetteer, "fr")]
    assert hit(text, gazetteer, "fr") == "Idlib"


def test_a_town_named_like_a_country_in_another_language_is_the_town(gazetteer):
    text = "A missile hit a hotel in Uman, Ukrainian officials in Kyiv said."
    assert hit(text, gazetteer) == "Uman"


def test_a_headline_starting_with_the_word_for_attack_is_not_a_town_of_that_name(gazetteer):
    text = "Ataque contra un mercado de Taiz deja diez muertos"
    assert hit(text, gazetteer, "es") == "Taiz"


def test_a_town_named_like_its_region_is_the_town_not_the_region(gazetteer):
    text = "Israeli forces carried out a drone strike in Tubas on Monday, killing two men."
    assert hit(text, gazetteer) == "Ţūbās"


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "An Israeli strike on a school in Deir al-Balah in the Gaza Strip killed 30."),
        ("fr", "Une frappe sur Deir al-Balah, dans la bande de Gaza, a tué 30 personnes."),
    ],
)
def test_a_spelling_known_only_loosely_is_read_within_the_reports_country(
    language, text, gazetteer
):
    place = hit(text, gazetteer, language)
    assert place != "" and gazetteer.lookup(place)[0].country_code == "PS"
    assert "Bal" in place and "Dayr" in place


def test_a_single_word_is_not_read_loosely_as_a_town_of_the_reports_country(gazetteer):
    text = "Russische raketten troffen Charkiv in Oekraïne; er vielen drie doden."
    assert hit(text, gazetteer, "nl") == "Kharkiv"


def test_a_french_iye_ending_is_read_as_the_ieh_of_other_spellings(gazetteer):
    text = "Une frappe israélienne a touché Nabatiyé, dans le sud du Liban, tuant 16 personnes."
    place = place_mentions(text, gazetteer, "fr")
    named = [m for m in place if m.text == "Nabatiyé"]
    assert named and named[0].place.country_code == "LB"
    assert hit(text, gazetteer, "fr") == named[0].place.name


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "Une frappe a tué le maire Ahmad Kahil et quinze autres personnes au Liban."),
        ("en", "A strike in Lebanon killed governor Ahmad Kahil and four others."),
    ],
)
def test_a_name_after_a_title_is_a_person_not_a_place(language, text, gazetteer):
    assert "Ahmad" not in [m.text for m in place_mentions(text, gazetteer, language)]
    assert hit(text, gazetteer, language) == "Lebanon"


def test_a_german_ch_and_initial_s_are_tried_as_the_kh_and_z_of_other_spellings(gazetteer):
    text = "Granaten schlugen in einem Ausflugsort bei Sacho im Irak ein; neun Menschen starben."
    named = [m for m in place_mentions(text, gazetteer, "de") if m.text == "Sacho"]
    assert named and named[0].place.country_code == "IQ"


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "A missile hit an apartment block in Sloviansk on Friday."),
        ("nl", "Een raket trof een flat in Slovjansk."),
    ],
)
def test_a_spelling_like_a_towns_own_name_beats_a_namesake_listing_it_as_another_name(
    language, text, gazetteer
):
    assert hit(text, gazetteer, language) == "Slovyansk"


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Bij een raketaanval op Tsjernihiv in Oekraïne vielen vier doden.", "Chernihiv"),
        ("Bij een raketaanval op Zjytomyr in Oekraïne vielen vier doden.", "Zhytomyr"),
        ("Bij een raketaanval op Koepjansk in Oekraïne vielen vier doden.", "Kupyansk"),
    ],
)
def test_dutch_tsj_zj_oe_and_j_are_tried_as_the_ch_zh_u_and_y_of_english_spellings(
    text, place, gazetteer
):
    assert hit(text, gazetteer, "nl") == place


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Bei einem Luftangriff auf Jabrud in Syrien starben vier Menschen.", "Yabrūd"),
        (
            "Bei einem Luftangriff auf Chan Scheichun in Syrien starben vier Menschen.",
            "Khān Shaykhūn",
        ),
    ],
)
def test_a_german_j_and_initial_ch_are_tried_as_the_y_and_kh_of_english_spellings(
    text, place, gazetteer
):
    assert hit(text, gazetteer, "de") == place


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Near the border with Algeria, a drone strike hit a convoy in Kidal."),
        (
            "es",
            "Cerca de la frontera con Argelia, un ataque con drones alcanzó un convoy en Kidal.",
        ),
    ],
)
def test_the_other_side_of_a_border_is_not_where_it_hit(language, text, gazetteer):
    assert hit(text, gazetteer, language) == "Kidal"
