"""Coding conventions applied to a lexicon draft, beside the rules of `extract`.

- Who is the source of a hosted visit: PLOVER 2.0's CONSULT section codes the visitor as the
  source and the host as the recipient.
- Words of asking or refusing that request or refuse nothing: a reporter's question and its
  answer ("refused to comment"), a question reported ("'Why?' she asked").
- One attack, not two: "shelled the town, killing 20 people" (a consequence participle, also
  where the parser hangs it on the verb above the attack).
- A promise of a conflictual act is a threat: "vowed to continue the offensive" (strict PLOVER:
  a conflictual act announced as coming is THREATEN).
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from communique.events.lexicon import EventKnowledge, TriggerEntry
from communique.records import PlannedAct
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


def vowed_violence(
    entry: TriggerEntry, carrier: Token, fired: dict[int, TriggerEntry], knowledge: EventKnowledge
) -> tuple[TriggerEntry, PlannedAct | None]:
    """ "vowed to continue the offensive", "promised to launch new attacks": a promise
    (data/event_words.tsv, "promise") whose infinitive does, carries on or steps up a
    conflictual act is a threat of that act, with the act planned; the promise otherwise
    stands ("vowed to cooperate")."""
    if (
        entry.event != "AGREE"
        or entry.pos != "VERB"
        or entry.lemma not in knowledge.words("promise")
    ):
        return entry, None
    for clause in (c for c in carrier.children if c.dep_ == "xcomp"):
        acts = [clause]
        if knowledge.is_light_verb(clause) or clause.lemma_.lower() in knowledge.words("carry-on"):
            acts += [c for c in clause.children if c.dep_ in ("dobj", "xcomp")]
        for act in (a for a in acts if a.i in fired):
            planned = fired[act.i]
            rule = knowledge.strict.get((planned.event, "future"))
            if rule is not None and rule.coded_as == "THREATEN":
                threat = replace(entry, event="THREATEN", mode=None, cameo=rule.cameo)
                return threat, PlannedAct(event=planned.event, mode=planned.mode)
    return entry, None


def consequence(verb: Token, fired: dict[int, TriggerEntry]) -> bool:
    """A participle clause telling what an attack did: "shelled the town, killing 20 people",
    "attacks targeting security forces" (the training labels code such a clause as part of the
    attack in 55 of their 60 sentences with ", killing / wounding / injuring")."""
    if verb.dep_ not in ("advcl", "acl") or verb.tag_ != "VBG":
        return False
    head = verb.head
    if head.i in fired and fired[head.i].event == "ASSAULT":
        return True
    return _misattached_attack(verb, fired) is not None


def _misattached_attack(verb: Token, fired: dict[int, TriggerEntry]) -> int | None:
    """ "accused Kabul of sheltering militants who attacked a base, killing 12 soldiers": the
    parser hangs the participle after the comma on the sentence's verb, though it tells what
    the attack just before it did. That attack's token, if the participle so follows one."""
    if verb.i < 2 or verb.doc[verb.i - 1].text != ",":
        return None
    attacks = [
        i
        for i, entry in fired.items()
        if entry.event == "ASSAULT" and verb.head.i < i < verb.i and verb.doc[i].sent == verb.sent
    ]
    return max(attacks) if attacks else None


def consequence_victims(attack: Token, knowledge: EventKnowledge) -> list[Token]:
    """The objects of an attack's consequence participles ("shelled the town, killing 20
    people", "attacks targeting security forces"): whom it hit, beside what its object names."""
    doc = attack.doc
    participles = list(attack.children)
    if attack.pos_ == "VERB":  # one the parser hung on a verb above ("_misattached_attack")
        sentence = attack.sent
        participles += [
            t
            for t in doc[attack.i + 1 : sentence.end]
            if t.head.i < attack.i and doc[t.i - 1].text == "," and t.head.i >= sentence.start
        ]
    return [
        obj
        for verb in participles
        if verb.dep_ in ("advcl", "acl")
        and verb.tag_ == "VBG"
        # any reading of the verb as an attack: "targeting villagers" though no entry of
        # "target" lists villagers among its objects
        and any(
            e.event == "ASSAULT" for e in knowledge.triggers.get((verb.lemma_.lower(), "VERB"), ())
        )
        for obj in verb.children
        if obj.dep_ == "dobj"
    ]
