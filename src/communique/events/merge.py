"""One event mentioned in several sentences is one record.

Candidates of the same type, plan and status whose actors and recipients agree (or are missing
on one side) are merged: the clearest mention (both parties coded, highest confidence) leads and
the others become its `others` (the record's `mentions`). A mention with no actor at all joins
the nearest earlier event it fits, or is dropped: an event nobody did is not coded.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from spacy.tokens import Doc

from communique.events.parties import SUBJECT_DEPS, inferred_attacker
from communique.records import Entity
from communique.sectors import sector_family
from communique.stages import DocumentContext, EventDraft

# A draft at least this confident is kept with uncoded parties: "the group's leader was
# detained" names no country, yet the arrest is likely. With the learned typer the confidence is
# its calibrated probability, and the threshold was chosen on the calibration split (type F1
# 0.684 at 0.85, 0.695 at 0.5, 0.698 at 0.3, 0.693 at 0): 0.3 and 0.5 are within two events of
# each other, and the higher keeps fewer false events. The rules' own scores add up evidence
# (events/extract.py `_confidence`), not probabilities: with the rules alone only the surest
# drafts are kept so.
CERTAIN_TYPED = 0.5
CERTAIN_RULES = 0.85


@dataclass(frozen=True)
class MentionMerger:
    """The mentions stage: one draft per event, its other mentions in `others`. `certain`: the
    confidence from which a draft whose parties have no country is kept."""

    certain: float = CERTAIN_TYPED
    name: str = "mentions"

    def __call__(self, context: DocumentContext, drafts: list[EventDraft]) -> list[EventDraft]:
        merged = merge_mentions(drafts, self.certain, context.doc)
        return [with_unidentified_attacker(context.doc, draft) for draft in merged]


@dataclass
class _Group:
    lead: EventDraft
    others: list[EventDraft] = field(default_factory=list)


def merge_mentions(
    candidates: list[EventDraft], certain: float = CERTAIN_TYPED, doc: Doc | None = None
) -> list[EventDraft]:
    """The lead draft of each event, in order of the event's first mention. With the parse
    (`doc`), an act whose subject is another mention's noun is that mention's event."""
    groups: list[_Group] = []
    # Copies: the merge fills a lead's missing parties, and the caller's drafts stay as they were.
    for candidate in (replace(c, others=[]) for c in candidates):
        target = next((g for g in reversed(groups) if _same_event(g, candidate, doc)), None)
        if target is None:
            if (
                _has_political_party(candidate)
                or _stands_alone(candidate)
                or _certain(candidate, certain)
            ):
                groups.append(_Group(candidate))
            continue
        target.others.append(candidate)
        if _clarity(candidate) > _clarity(target.lead) and not _names_plan(target, candidate):
            target.others.pop()  # the candidate, just appended: it leads instead
            target.others.insert(0, target.lead)
            target.lead = candidate
        _complete(target)
    return [replace(group.lead, others=group.others) for group in groups]


def _has_political_party(candidate: EventDraft) -> bool:
    """Some party of the event is identified as a political actor: a coded or sectored actor,
    or a coded target. "Serena Williams withdrew from the tournament" has none."""
    return any(a.code or a.sector for a in candidate.actors) or (
        bool(candidate.actors) and any(r.code for r in candidate.recipients)
    )


def _certain(candidate: EventDraft, certain: float) -> bool:
    """The event is likely and someone takes part, even if nobody is coded yet."""
    return candidate.confidence >= certain and bool(candidate.actors or candidate.recipients)


def _stands_alone(candidate: EventDraft) -> bool:
    """An event with no actor is kept when a verb reports it happening to a coded party:
    "three Iraqi civilians were killed" (the actor is unknown, the act is not)."""
    return (
        candidate.status == "asserted"
        and candidate.trigger_pos == "VERB"
        and any(r.code for r in candidate.recipients)
    )


def _names_plan(group: _Group, candidate: EventDraft) -> bool:
    """ "the planned visit to Doha ... the dialogue during the Doha visit": a bare noun of the
    act an earlier plan announced (no tense and no actor of its own, the same target) is that
    plan again, not an act that happened. A mention that names who acts is its own event."""
    plan = group.lead.planned
    return (
        plan is not None
        and plan.event == candidate.event
        and candidate.planned is None
        and candidate.status == "asserted"
        and candidate.trigger_pos == "NOUN"
        and not candidate.actors
        and _compatible(group.lead.recipients, candidate.recipients)
    )


def _same_event(group: _Group, candidate: EventDraft, doc: Doc | None = None) -> bool:
    lead = group.lead
    if _names_plan(group, candidate):
        return True
    if (lead.event, lead.status) != (candidate.event, candidate.status):
        return False
    if (lead.planned is None) != (candidate.planned is None):
        return False
    if lead.planned and candidate.planned:
        if lead.planned.event != candidate.planned.event:
            return False
        modes = {lead.planned.mode, candidate.planned.mode} - {None}
        if len(modes) > 1:
            return False
    if lead.trigger == candidate.trigger:
        return True
    if doc is not None and _act_of_its_subject(doc, lead, candidate):
        return True  # "the attack by Boko Haram killed 30 villagers": one attack
    same_sentence = lead.sent_start == candidate.sent_start
    if same_sentence and candidate.actors and candidate.recipients:
        return False  # two fully stated events in one sentence are two events
    return _compatible(lead.actors, candidate.actors) and _compatible(
        lead.recipients, candidate.recipients
    )


def _act_of_its_subject(doc: Doc, one: EventDraft, other: EventDraft) -> bool:
    """Whether one draft's verb has the other's noun trigger as its subject ("the attack
    killed"). Not a noun in an "in" phrase: "killed in an attack" merged so cost a re3d match
    (docs/accuracy.md)."""
    for verb, noun in ((one, other), (other, one)):
        clause = doc[noun.carrier]
        if clause.head.i == verb.carrier and clause.dep_ in ("xcomp", "advcl"):
            if any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children):
                return True  # "sent a delegation to attend the inauguration": one visit
        if noun.trigger_pos != "NOUN":
            continue
        word = doc[noun.trigger]
        if word.dep_ == "nsubj" and word.head.i == verb.carrier:
            return True
    return False


def _compatible(left: list[Entity], right: list[Entity]) -> bool:
    """Whether two mentions' sides may be one party: a key in common (code, name), and not of
    two sector families ("militants" and "troops" of one country are two sides)."""
    if not left or not right:
        return True
    families = sector_family()
    return any(
        _key(one) == _key(other)
        and not (
            families.get(one.sector or "")
            and families.get(other.sector or "")
            and families[one.sector or ""] != families[other.sector or ""]
        )
        for one in left
        for other in right
    )


def _key(entity: Entity) -> str:
    return entity.code or entity.identifier_text or entity.entity_text


def _clarity(candidate: EventDraft) -> tuple[int, int, float]:
    coded_actor = int(any(a.code for a in candidate.actors))
    coded_recipient = int(any(r.code for r in candidate.recipients))
    return (coded_actor + coded_recipient, len(candidate.actors), candidate.confidence)


def _complete(group: _Group) -> None:
    """Fill the lead's missing parties from the other mentions."""
    lead = group.lead
    for other in group.others:
        if not lead.actors and other.actors:
            lead.actors = other.actors
        if not lead.recipients and other.recipients:
            lead.recipients = other.recipients


def with_unidentified_attacker(doc: Doc, draft: EventDraft) -> EventDraft:
    """An attack that happened to someone, whose doer no mention names, was made by an
    unidentified armed force (PLOVER's UAF): "a journalist was killed in a car bomb explosion",
    "a minefield explosion killed two youths". It is added only once the mentions are merged
    (a later "... killed in the attack" still joins the attack whose actor is named), and not
    where the subject is a pronoun or a name ("they killed ...", "Khalid killed ...": someone
    the coder did not resolve)."""
    if draft.event != "ASSAULT" or draft.actors or not draft.recipients:
        return draft
    if draft.status != "asserted":
        return draft
    subjects = [c for c in doc[draft.carrier].children if c.dep_ in SUBJECT_DEPS]
    if any(s.pos_ in ("PRON", "PROPN") for s in subjects):
        return draft
    return replace(draft, actors=[inferred_attacker()])
