"""What reported speech codes besides the words of its verb: a demand ("X said Y must ...")
and an accusation ("X said Y was behind the attack"). The event finder (`extract`) turns each
`ReportedAct` into a draft."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from communique.events.lexicon import EventKnowledge, TriggerEntry
from communique.events.parties import SUBJECT_DEPS, actors_of
from communique.events.party_phrases import Resolve, with_conjuncts
from communique.events.status import NOT_AN_EVENT, event_status
from communique.records import Entity


@dataclass(frozen=True)
class ReportedAct:
    """An act a verb of saying reports: the verb carries it."""

    verb: Token
    entry: TriggerEntry
    status: str
    actors: list[Entity]
    recipients: list[Entity]
    text: str


# (the verb of saying, the clause's verb, its modal, its subject) of a reported demand
Demand = tuple[Token, Token, Token, Token]


def reported_acts(
    doc: Doc,
    knowledge: EventKnowledge,
    resolve: Resolve,
    speech_verbs: frozenset[str],
    accusing: set[int],
    demands: list[Demand],
) -> list[ReportedAct]:
    """Demands (`demands`, from `demanded_clauses`) and accusations reported; `accusing`:
    sentence starts that hold an accusation of their own, where no second one is read from
    "said they were responsible"."""
    return [
        *_reported_demands(demands, knowledge, resolve),
        *_reported_blame(doc, knowledge, resolve, speech_verbs, accusing),
    ]


def demanded_clauses(
    doc: Doc, knowledge: EventKnowledge, speech_verbs: frozenset[str]
) -> Iterator[Demand]:
    """ "X said Y must do Z": (the verb of saying, the clause's verb, its modal, its subject)
    of each clause that reports a demand. What is demanded has not happened: the act the clause
    names is the demand's, no event of its own."""
    for token in doc:
        if token.pos_ != "VERB" or token.lemma_.lower() not in speech_verbs:
            continue
        for clause in token.children:
            if clause.dep_ != "ccomp":
                continue
            modal = next(
                (
                    c
                    for c in clause.children
                    if c.dep_ == "aux" and c.lower_ in knowledge.demand_modals
                ),
                None,
            )
            subject = next((c for c in clause.children if c.dep_ in SUBJECT_DEPS), None)
            if modal is not None and subject is not None:
                yield token, clause, modal, subject


def _reported_demands(
    demands: list[Demand], knowledge: EventKnowledge, resolve: Resolve
) -> Iterator[ReportedAct]:
    """ "X said Y must do Z": a demand from the speaker X to Y."""
    for token, _clause, modal, subject in demands:
        entry = TriggerEntry(
            lemma=token.lemma_.lower(), pos="VERB", event="REQUEST", mode=None,
            cameo=knowledge.demand_modals[modal.lower_], requires=frozenset({modal.lower_}),
        )  # fmt: skip
        status = event_status(token, token, knowledge, None)
        if status == NOT_AN_EVENT:
            continue
        actors = actors_of(token, token, resolve, knowledge)
        recipients = with_conjuncts(subject, resolve)
        yield ReportedAct(
            token, entry, status, actors, recipients, f"{token.text} ... {modal.text}"
        )


def _reported_blame(
    doc: Doc,
    knowledge: EventKnowledge,
    resolve: Resolve,
    speech_verbs: frozenset[str],
    accusing: set[int],
) -> Iterator[ReportedAct]:
    """ "Ukraine said Russia was responsible for the strike", "police said al-Shabab was behind
    the attack": the speaker accuses (ACCUSE allege, CAMEO 112) the party it names. Not in a
    sentence with an accusation of its own ("accused the rebels, saying they were
    responsible")."""
    for token in doc:
        if token.pos_ != "VERB" or token.lemma_.lower() not in speech_verbs:
            continue
        if token.sent.start in accusing:
            continue
        for clause in token.children:
            if clause.dep_ != "ccomp" or clause.lemma_ != "be":
                continue
            subject = next((c for c in clause.children if c.dep_ in SUBJECT_DEPS), None)
            if subject is None or not _names_blame(clause, knowledge):
                continue
            status = event_status(token, token, knowledge, None)
            if status == NOT_AN_EVENT:
                continue
            entry = TriggerEntry(
                lemma=token.lemma_.lower(), pos="VERB", event="ACCUSE", mode="allege",
                cameo="112", requires=frozenset(),
            )  # fmt: skip
            actors = actors_of(token, token, resolve, knowledge)
            recipients = [r for r in with_conjuncts(subject, resolve) if r not in actors]
            if not recipients:
                continue  # "the minister said he was responsible for ...": no one accused
            yield ReportedAct(
                token, entry, status, actors, recipients, f"{token.text} ... {clause.text}"
            )


def _names_blame(clause: Token, knowledge: EventKnowledge) -> bool:
    """ "was responsible for" or "was behind" an act the lexicon knows ("the strike", "the
    attack"; not "the budget")."""
    for child in clause.children:
        prep = None
        if child.dep_ == "acomp" and child.lower_ == "responsible":
            prep = next((c for c in child.children if c.dep_ == "prep" and c.lower_ == "for"), None)
        elif child.dep_ == "prep" and child.lower_ == "behind":
            prep = child
        if prep is not None:
            acts = [g for g in prep.children if g.dep_ == "pobj"]
            return any(knowledge.trigger_for(act) is not None for act in acts)
    return False
