"""Coding conventions applied to a lexicon draft, beside the rules of `extract`.

- Who is the source of a hosted visit: PLOVER 2.0's CONSULT section codes the visitor as the
  source and the host as the recipient.
- Words of asking or refusing that request or refuse nothing: a reporter's question and its
  answer ("refused to comment"), a question reported ("'Why?' she asked").
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from communique.events.lexicon import EventKnowledge, TriggerEntry
from communique.stages import EventDraft

# CAMEO 043, host a visit: PLOVER codes the visitor as the source and the host as the recipient.
HOSTING = "043"


def visitor_first(
    draft: EventDraft, entry: TriggerEntry, trigger: Token, knowledge: EventKnowledge
) -> EventDraft:
    """ "Qatar hosted a Hamas delegation": Hamas visits (source), Qatar hosts (recipient), CAMEO
    042; "Egypt hosted talks between Israel and Hamas": they meet (mode third-party) at Egypt's.
    A host with no visitor named stays the source ("Qatar hosted a summit"), and so does one
    that promises to host (AGREE: the promise is the host's)."""
    if not draft.recipients or draft.planned is not None:
        return draft
    meetings = knowledge.words("meeting")
    meeting = any(c.dep_ == "dobj" and c.lemma_.lower() in meetings for c in trigger.children)
    mode = "third-party" if meeting else entry.mode
    return replace(draft, actors=draft.recipients, recipients=draft.actors, cameo="042", mode=mode)


def no_act_of_its_own(entry: TriggerEntry, carrier: Token, knowledge: EventKnowledge) -> bool:
    """A reporter's question or its answer ("refused to comment"), or a question reported
    ("'Why did they shoot?' she asked"): words of asking that request nothing."""
    if entry.event not in ("REQUEST", "REJECT"):
        return False
    press = knowledge.words("press")
    return _press_query(carrier, press) or (entry.event == "REQUEST" and _asks_a_question(carrier))


def _asks_a_question(carrier: Token) -> bool:
    """ "what ... , she asked", "asked whether the talks would resume": a question reported."""
    for clause in carrier.children:
        if clause.dep_ != "ccomp":
            continue
        words = list(clause.subtree)
        if any(w.tag_ in ("WDT", "WP", "WP$", "WRB") for w in words[:2]):
            return True
        if any(w.dep_ == "mark" and w.lower_ in ("whether", "if") for w in clause.children):
            return True
        if any(w.text == "?" for w in carrier.sent):
            return True
    return False


def _press_query(carrier: Token, press: frozenset[str]) -> bool:
    """ "an email requesting comment", "asked the ministry for comment", "refused to comment",
    "rejected requests for an interview": a reporter's question and its answer, not a political
    request or refusal."""
    for child in carrier.children:
        lemma = child.lemma_.lower()
        if child.dep_ in ("dobj", "xcomp") and lemma in press:
            return True
        if child.dep_ == "dobj" and lemma == "request":
            child_preps = [g for g in child.children if g.dep_ == "prep" and g.lower_ == "for"]
            if any(_asks_for(prep, press) for prep in child_preps):
                return True
        if child.dep_ == "prep" and child.lower_ == "for" and _asks_for(child, press):
            return True
    return False


def _asks_for(prep: Token, press: frozenset[str]) -> bool:
    return any(g.dep_ == "pobj" and g.lemma_.lower() in press for g in prep.children)
