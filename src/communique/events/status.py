"""Did the event happen? asserted, future, hypothetical, negated or historical.

One function, `event_status`, reads the cues around a trigger (data/status_cues.tsv): auxiliaries
and modals, modifiers ("upcoming"), governing words ("plans to", "openness to"), conditional
clauses ("if they choose to") and negation. The nearest cue wins, walking up from the trigger;
negation anywhere on the way wins over everything, so a denied act is never asserted. A learned
classifier can replace this function without touching the rest.
"""

from __future__ import annotations

from spacy.tokens import Token

from communique.events.lexicon import EventKnowledge

# Dependency labels through which a governing word still speaks for the trigger.
_CHAIN_DEPS = frozenset(
    {"xcomp", "pcomp", "pobj", "prep", "acl", "dobj", "advcl", "amod", "acomp", "attr", "conj",
     "nsubj", "nsubjpass", "compound", "oprd"}
)  # fmt: skip
_STATUS_PRIORITY = ("negated", "hypothetical", "future", "historical")


# The status of a word that names an act no one did, intended or refused ("no mandate to
# negotiate"): the finders drop such candidates.
NOT_AN_EVENT = "none"


def event_status(
    trigger: Token, carrier: Token, knowledge: EventKnowledge, stop: Token | None
) -> str:
    """The status of the event whose trigger is `trigger` (a noun's light verb is `carrier`).

    `stop` is the verb of reported speech above the event, if any: cues above it belong to the
    speaker's clause, not the event.
    """
    if _under_capacity(carrier, knowledge):
        return NOT_AN_EVENT  # "had no mandate to negotiate": a power to act is no act
    found = _own_cues(trigger, knowledge)
    if carrier.i != trigger.i:
        found |= _own_cues(carrier, knowledge)
    if "negated" in found:
        return "negated"
    node = carrier
    hops = 0
    while not found and node.dep_ in _CHAIN_DEPS and node.head.i != node.i and hops < 6:
        child, node = node, node.head
        hops += 1
        if stop is not None and node.i == stop.i:
            break
        lemma = node.lemma_.lower()
        if node.dep_ == "prep" and knowledge.cue(lemma, "negation"):
            found.add("negated")  # "without holding talks"
        governed = (
            knowledge.cue(lemma, "governor")
            or (knowledge.cue(lemma, "stance") if node.pos_ == "ADJ" else None)
            or (_INTENDED if _stance_participle(node, child, knowledge) else None)
        )
        if child.dep_ == "conj" or _subordinate_clause(child):
            # "consider it a good step and urge ...": joined, not governed; "set fire to buses
            # after a student was killed": a clause of its own, not what "set" governs
            governed = None
        if governed and not (lemma == "rule" and not _has_child(node, "out")):
            found.add(governed)
        if child.dep_ not in ("advcl", "conj"):
            # A main clause's negation or modal does not reach a subordinate or joined clause.
            found |= _own_cues(node, knowledge, skip=child)
    if found == {"hypothetical"} and stop is not None and _reported_future(carrier):
        return "future"  # "said they would boycott": the reported form of "will"
    for status in _STATUS_PRIORITY:
        if status in found:
            return status
    return "asserted"


# "Israel is determined to attack", "troops are poised to enter": an act its subject means to do.
_INTENDED = "future"


def _stance_participle(node: Token, child: Token, knowledge: EventKnowledge) -> bool:
    """A participle of stance (stative_passives.tsv) with the event as its infinitive."""
    return (
        child.dep_ == "xcomp"
        and node.tag_ == "VBN"
        and node.lemma_.lower() in knowledge.stative_passives
    )


def _under_capacity(verb: Token, knowledge: EventKnowledge) -> bool:
    """ "mandate to negotiate", "authority to arrest": the verb is the infinitive of a noun
    that names a power to act (status_cues.tsv, role capacity); the parser hangs it as acl or,
    wrongly, relcl."""
    head = verb.head
    return (
        verb.dep_ in ("acl", "relcl")
        and head.pos_ == "NOUN"
        and knowledge.cue(head.lemma_.lower(), "capacity") is not None
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    )


def _reported_future(verb: Token) -> bool:
    """ "would" is the only modal of the verb and no condition hangs on it."""
    modals = [c.lower_ for c in verb.children if c.dep_ == "aux" and c.tag_ == "MD"]
    conditional = any(
        c.dep_ == "advcl" and any(m.lower_ in ("if", "unless") for m in c.children)
        for c in verb.children
    )
    return modals == ["would"] and not conditional


def _own_cues(token: Token, knowledge: EventKnowledge, skip: Token | None = None) -> set[str]:
    """Cues among a token's own dependents: auxiliaries, modifiers, marks, negation, and a
    condition clause hung on it ("will meet them if they choose to")."""
    found: set[str] = set()
    for child in token.children:
        if skip is not None and child.i == skip.i:
            continue
        if status := _cue_of(child, knowledge):
            found.add(status)
    if token.dep_ == "advcl":
        for child in token.children:
            if child.dep_ == "mark" and (status := knowledge.cue(child.lower_, "mark")):
                found.add(status)
    return found


def _cue_of(child: Token, knowledge: EventKnowledge) -> str | None:
    lemma, dep = child.lower_, child.dep_
    if dep in ("neg", "det", "advmod") and knowledge.cue(lemma, "negation"):
        return "negated"
    if dep in ("aux", "auxpass"):
        return knowledge.cue(lemma, "aux")
    if dep in ("amod", "advmod", "npadvmod"):
        return knowledge.cue(lemma, "modifier") or knowledge.cue(child.lemma_.lower(), "modifier")
    if dep == "mark":
        return knowledge.cue(lemma, "mark")
    if dep == "advcl":
        marks = (knowledge.cue(m.lower_, "mark") for m in child.children if m.dep_ == "mark")
        return next((status for status in marks if status), None)
    return None


def _subordinate_clause(token: Token) -> bool:
    """An adverbial clause led by a conjunction ("after ...", "when ...", "because ...")."""
    return token.dep_ == "advcl" and any(c.dep_ == "mark" for c in token.children)


def _has_child(token: Token, lower: str) -> bool:
    return any(c.lower_ == lower for c in token.children)
