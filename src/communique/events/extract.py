"""Triggers to events: type, mode, status and the actor/recipient pair, from the parse.

For each token the lexicon knows, `find_events` decides whether it reports an event of its own
(a purpose clause or the object of another event does not), finds the verb that carries it (the
light verb of "held talks"), reads its status, takes the source and target from the parse and
applies the strict PLOVER rules for acts that have not happened. The tokens stay here: each
event leaves as an `EventDraft` of indices and values (`EventFinder` is the events stage).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from communique.events.lexicon import ANY_TYPE, EventKnowledge, TriggerEntry, base_forms
from communique.events.status import NOT_AN_EVENT, event_status
from communique.records import Entity, PlannedAct
from communique.stages import DocumentContext, EventDraft

Resolve = Callable[[Token], Entity | None]

_SUBJECT_DEPS = ("nsubj", "csubj")
# Dependencies through which a subjectless verb, gerund or noun takes the subject above it.
_CONTROL_DEPS = frozenset(
    {"xcomp", "pcomp", "prep", "pobj", "dobj", "acl", "advcl", "conj", "attr", "oprd", "acomp"}
)
# Prepositions whose object is what another event is about ("called for talks"), unlike
# "during his visit" or "after the attack", which only set the scene.
_OBJECT_PREPS = frozenset({"for", "of", "on", "about", "over", "to", "against", "into"})
# Prepositions that lead from a thing to the party behind it ("calls by X", "relations with X").
_BEHIND_PREPS = frozenset(
    {"by", "from", "of", "with", "against", "on", "to", "toward", "towards", "into", "in", "over"}
)
_RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
_EMPTY_SUBJECTS = frozenset({"it", "this", "that", "there", "what", "which"})


@dataclass(frozen=True)
class EventFinder:
    """The events stage: adds a draft for every event candidate in the document, in text order."""

    knowledge: EventKnowledge
    speech_verbs: frozenset[str]  # verbs of saying: an event in their clause keeps its own status
    name: str = "events"

    def __call__(self, context: DocumentContext, drafts: list[EventDraft]) -> list[EventDraft]:
        found = find_events(context.doc, self.knowledge, context.resolve_entity, self.speech_verbs)
        return [*drafts, *found]


def find_events(
    doc: Doc, knowledge: EventKnowledge, resolve: Resolve, speech_verbs: frozenset[str]
) -> list[EventDraft]:
    """Every event candidate in the document, in text order."""
    sentences = {sent.start: number for number, sent in enumerate(doc.sents)}
    fired: dict[int, TriggerEntry] = {}
    for token in doc:
        entry = knowledge.trigger_for(token)
        if entry is not None:
            fired[token.i] = entry
    events: list[EventDraft] = []
    for index, entry in fired.items():
        trigger = doc[index]
        carrier = _carrier(trigger, entry, knowledge)
        if carrier is None or _is_subordinate(trigger, carrier, fired, knowledge):
            continue
        if carrier.i != trigger.i and trigger.lemma_.lower() in _requires_of(fired, carrier):
            continue  # "imposed a blockade": the verb's own entry names the noun and codes it
        stop = _speech_verb_above(carrier, speech_verbs)
        status = event_status(trigger, carrier, knowledge, stop)
        if status == NOT_AN_EVENT:
            continue
        actors = _actors(carrier, trigger, resolve, knowledge)
        recipients = [  # an entity is never its own target ("UN peacekeepers ... ceasefire")
            r
            for r in _recipients(trigger, carrier, resolve, actors, knowledge, entry.event)
            if not any(r is a for a in actors)
        ]
        coded = _code(trigger, carrier, entry, status, actors, recipients, knowledge, sentences)
        events.append(coded)
    events.extend(_reported_demands(doc, knowledge, resolve, speech_verbs, sentences))
    return sorted(events, key=lambda e: e.trigger)


def _requires_of(fired: dict[int, TriggerEntry], token: Token) -> frozenset[str]:
    entry = fired.get(token.i)
    return entry.requires if entry is not None else frozenset()


def _reported_demands(
    doc: Doc,
    knowledge: EventKnowledge,
    resolve: Resolve,
    speech_verbs: frozenset[str],
    sentences: dict[int, int],
) -> Iterator[EventDraft]:
    """ "X said Y must do Z": a demand from the speaker X to Y."""
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
            subject = next((c for c in clause.children if c.dep_ in _SUBJECT_DEPS), None)
            if modal is None or subject is None:
                continue
            entry = TriggerEntry(
                lemma=token.lemma_.lower(), pos="VERB", event="REQUEST", mode=None,
                cameo=knowledge.demand_modals[modal.lower_], requires=frozenset({modal.lower_}),
            )  # fmt: skip
            status = event_status(token, token, knowledge, None)
            if status == NOT_AN_EVENT:
                continue
            actors = _actors(token, token, resolve, knowledge)
            recipients = _with_conjuncts(subject, resolve)
            candidate = _code(token, token, entry, status, actors, recipients, knowledge, sentences)
            candidate.event_text = f"{token.text} ... {modal.text}"
            yield candidate


def _carrier(trigger: Token, entry: TriggerEntry, knowledge: EventKnowledge) -> Token | None:
    """The verb that carries a trigger, or None when a noun trigger reports no event here."""
    if entry.pos == "VERB":
        return trigger
    head = trigger.head
    if trigger.dep_ in ("dobj", "attr", "nsubjpass") and knowledge.is_light_verb(head):
        return head
    if trigger.dep_ == "pobj" and head.lower_ == "in" and knowledge.is_light_verb(head.head):
        return head.head  # "engaged in talks", "took part in talks"
    if (
        trigger.dep_ == "pobj"
        and head.lower_ in ("on", "for")
        and any(base in knowledge.travel_verbs for base in base_forms(head.head))
    ):
        return head.head  # "arrived in Amman on a visit", "returned to Geneva for talks"
    if trigger.dep_ == "nsubj" and head.lemma_.lower() in knowledge.occurrence_verbs:
        return trigger  # "talks took place", "fighting erupted"
    if any(_names_party(child) for child in trigger.children):
        return trigger  # "his visit to Doha", "Israeli air strikes", "talks with Hamas"
    return None


def _names_party(child: Token) -> bool:
    if child.dep_ == "poss":
        return True
    if child.dep_ in ("amod", "compound") and child.ent_type_ in ("NORP", "GPE", "ORG"):
        return True
    if child.dep_ == "prep" and child.lower_ in ("by", "with", "between", "against", "to", "on"):
        return any(g.dep_ == "pobj" and (g.ent_type_ or g.pos_ == "PROPN") for g in child.children)
    return False


def _is_subordinate(
    trigger: Token, carrier: Token, fired: dict[int, TriggerEntry], knowledge: EventKnowledge
) -> bool:
    """A purpose or complement clause of another event, or the thing another event acts on."""
    head = carrier.head
    if head.i == carrier.i:
        return False
    if (
        carrier.i == trigger.i
        and trigger.pos_ == "NOUN"
        and trigger.dep_ in ("dobj", "pobj", "attr")
    ):
        # "condemned the attack", "signed an agreement": the noun is what the other event is about.
        if trigger.dep_ != "pobj" or head.lower_ in _OBJECT_PREPS:
            governor = head.head if trigger.dep_ == "pobj" else head
            if governor.i in fired and governor.i != trigger.i:
                return True
    infinitival = carrier.dep_ in ("xcomp", "advcl", "acl") and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in carrier.children
    )
    if not infinitival:
        return False
    if head.i in fired:
        return True  # "agreed to cooperate", "threatened to attack"
    # "staged demonstrations to demand reforms": the head's object is the event.
    return any(c.i in fired and c.dep_ in ("dobj", "attr") for c in head.children)


def _speech_verb_above(token: Token, speech_verbs: frozenset[str]) -> Token | None:
    node = token
    while node.head.i != node.i:
        if node.dep_ in ("ccomp", "parataxis") and node.head.lemma_.lower() in speech_verbs:
            return node.head
        node = node.head
    return None


def _actors(
    carrier: Token,
    trigger: Token,
    resolve: Resolve,
    knowledge: EventKnowledge,
) -> list[Entity]:
    """The source: the carrier's subject, a passive agent, a noun's possessor, or inherited."""
    if carrier.i == trigger.i and trigger.pos_ == "NOUN":
        own = _noun_actor(trigger, resolve, knowledge.patient_nouns)
        if own:
            return own
    passive_agent = [
        pobj
        for agent in carrier.children
        if agent.dep_ == "agent"
        for pobj in agent.children
        if pobj.dep_ == "pobj"
    ]
    if passive_agent:
        return _with_conjuncts(passive_agent[0], resolve)
    if carrier.lemma_.lower() in knowledge.stative_passives:
        stance = next((c for c in carrier.children if c.dep_ == "nsubjpass"), None)
        if stance is not None:
            return _with_conjuncts(stance, resolve)  # "Israel is opposed to ..."
    if carrier.tag_ == "VBN" and carrier.dep_ in ("advcl", "acl") and not _has_subject(carrier):
        return []  # "when asked", "citizens held in captivity": the subject above undergoes it
    if any(c.dep_ == "nsubjpass" for c in carrier.children) and carrier.dep_ == "relcl":
        return []  # "Montenegro, where 28 people were killed": the place did not kill them
    node = carrier
    for _ in range(6):
        subject = next((c for c in node.children if c.dep_ in _SUBJECT_DEPS), None)
        if subject is not None and subject.i != trigger.i:
            return _subject_entities(subject, node, resolve)
        if node.dep_ == "relcl":
            return _with_conjuncts(node.head, resolve)
        if node.dep_ == "conj" and node.head.pos_ in ("VERB", "AUX"):
            node = node.head  # "met X and agreed": the first conjunct's subject
            continue
        if node.dep_ not in _CONTROL_DEPS or node.head.i == node.i:
            break
        node = node.head
        if (
            node.pos_ == "NOUN"
            and node.i != trigger.i
            and (owner := _noun_actor(node, resolve, knowledge.patient_nouns))
        ):
            return owner  # "the plan of X to visit", "X's decision to attack"
    return []


def _has_subject(token: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "csubj") for c in token.children)


def _subject_entities(subject: Token, verb: Token, resolve: Resolve) -> list[Entity]:
    if subject.lower_ in _RELATIVE_PRONOUNS and verb.dep_ == "relcl":
        return _with_conjuncts(verb.head, resolve)
    if subject.lower_ in _EMPTY_SUBJECTS:
        entity = resolve(subject) if subject.lower_ == "it" else None
        return [entity] if entity is not None else []
    entities = _with_conjuncts(subject, resolve)
    if entities:
        return entities
    # "statements from Kremlin spokespersons touched on ...": the speakers act.
    for prep in subject.children:
        if prep.dep_ == "prep" and prep.lower_ in ("from", "by", "of"):
            for pobj in prep.children:
                if pobj.dep_ == "pobj":
                    return _with_conjuncts(pobj, resolve)
    return []


def _noun_actor(noun: Token, resolve: Resolve, patient_nouns: frozenset[str]) -> list[Entity]:
    """Who does what a noun names: its possessor (unless it undergoes the act), "by" phrase or
    nationality adjective ("Israeli air strikes")."""
    possessor_acts = noun.lemma_.lower() not in patient_nouns
    for child in noun.children:
        if (child.dep_ == "poss" and possessor_acts) or (
            child.dep_ in ("amod", "compound") and child.ent_type_ == "NORP"
        ):
            entity = resolve(child)
            if entity is not None:
                return [entity]
        if child.dep_ == "prep" and child.lower_ == "by":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return _with_conjuncts(pobj, resolve)
    return []


def _recipients(
    trigger: Token,
    carrier: Token,
    resolve: Resolve,
    actors: list[Entity],
    knowledge: EventKnowledge,
    event: str,
) -> list[Entity]:
    """The target: a passive subject, an object that names an actor, a "to/with/..." phrase;
    failing those, the same in the clause the event governs ("offered to hand over to Britain",
    "demanded that the US cancel")."""
    holders = [trigger] if trigger.i == carrier.i else [trigger, carrier]
    uncoded: list[Entity] = []  # a party without a country is kept only if no better one is found
    candidates = _recipient_candidates(trigger, carrier, holders, resolve, actors, knowledge, event)
    for found in candidates:
        if any(e.code for e in found):
            return found
        uncoded = uncoded or found
    return uncoded


def _recipient_candidates(
    trigger: Token,
    carrier: Token,
    holders: list[Token],
    resolve: Resolve,
    actors: list[Entity],
    knowledge: EventKnowledge,
    event: str,
) -> Iterator[list[Entity]]:
    for holder in holders:
        yield _recipient_of(holder, trigger, resolve, actors, True, knowledge, event)
    for complement in _complements(carrier):
        if complement.dep_ == "ccomp":
            subject = next((c for c in complement.children if c.dep_ in _SUBJECT_DEPS), None)
            if subject is not None:
                yield _with_conjuncts(subject, resolve)
        yield _recipient_of(complement, trigger, resolve, actors, False, knowledge, event)


def _complements(carrier: Token) -> list[Token]:
    """Verbs of the clauses an event governs, two levels down ("agreed to set up", "demanded
    that X cancel")."""
    found: list[Token] = []
    frontier = [carrier]
    for _ in range(2):
        frontier = [
            c
            for t in frontier
            for c in t.children
            if c.pos_ in ("VERB", "AUX") and (c.dep_ in ("xcomp", "ccomp") or _purpose_clause(c))
        ]
        found.extend(frontier)
    return found


def _recipient_of(
    holder: Token,
    trigger: Token,
    resolve: Resolve,
    actors: list[Entity],
    own_clause: bool,
    knowledge: EventKnowledge,
    event: str,
) -> list[Entity]:
    actor_codes = {a.code for a in actors if a.code}
    if own_clause and holder.pos_ == "VERB":
        for child in holder.children:
            if (
                child.dep_ == "nsubjpass"
                and child.i != trigger.i
                and holder.lemma_.lower() not in knowledge.stative_passives
            ):
                if found := _with_conjuncts(child, resolve):
                    return found
    for child in holder.children:
        if child.dep_ in ("dobj", "dative", "iobj") and child.i != trigger.i:
            found = _with_conjuncts(child, resolve)
            if _owned_by_actor(child, resolve, actor_codes) and not (
                {e.code for e in found if e.code} - actor_codes
            ):
                continue  # "offered its troops to Lebanon": the thing given, not the recipient
            if found := found or _party_behind(child, resolve):
                return found
    preps = {
        c.lower_: c for c in holder.children if c.dep_ in ("prep", "dative") and c.i != trigger.i
    }
    for prep_word in knowledge.target_preps(event):
        prep = preps.get(prep_word)
        if prep is None:
            continue
        for pobj in prep.children:
            if pobj.dep_ == "pobj" and (
                found := _with_conjuncts(pobj, resolve) or _party_behind(pobj, resolve)
            ):
                return found
    if holder.pos_ == "NOUN":
        for child in holder.children:
            if child.dep_ == "compound" and child.ent_type_ in ("GPE", "LOC"):
                entity = resolve(child)  # "the Doha visit": the place hosts the visit
                if entity is not None:
                    return [entity]
    return []


def _purpose_clause(token: Token) -> bool:
    """ "... blocked roads to press their demands": an infinitival clause of purpose."""
    return token.dep_ == "advcl" and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in token.children
    )


def _owned_by_actor(token: Token, resolve: Resolve, actor_codes: set[str]) -> bool:
    for child in token.children:
        if child.dep_ == "poss" and child.pos_ == "PRON":
            owner = resolve(child)
            return owner is None or owner.code in actor_codes
    return False


def _party_behind(thing: Token, resolve: Resolve, depth: int = 2) -> list[Entity]:
    """The party behind or before a thing that is no actor itself: "calls by Belarus's rulers",
    "an offer from Afghanistan", "Serbia's suppression", "relations with Russia", "German goods",
    "the city of Kirkuk"."""
    for child in thing.children:
        if child.dep_ == "poss" and child.pos_ != "PRON":
            if found := _with_conjuncts(child, resolve):
                return found
        if child.dep_ in ("amod", "compound") and child.ent_type_ in ("NORP", "GPE"):
            if found := _with_conjuncts(child, resolve):
                return found
    for child in thing.children:
        if child.dep_ == "prep" and child.lower_ in _BEHIND_PREPS:
            for pobj in child.children:
                if pobj.dep_ != "pobj":
                    continue
                found = _with_conjuncts(pobj, resolve)
                if not found and depth > 1:
                    found = _party_behind(pobj, resolve, depth - 1)
                if found:
                    return found
    return []


def _with_conjuncts(head: Token, resolve: Resolve) -> list[Entity]:
    """The entities a phrase names, conjoined heads and conjoined countries included:
    "France and Germany", "U.S. and Russian negotiators", "the ministers of France and Germany"."""
    entities: list[Entity] = []
    for token in (head, *head.conjuncts):
        entity = resolve(token)
        if entity is None:
            continue
        for item in (entity, *_shared_by_conjoined_countries(token, entity, resolve)):
            if item not in entities:
                entities.append(item)
    return entities


def _shared_by_conjoined_countries(head: Token, entity: Entity, resolve: Resolve) -> list[Entity]:
    if entity.code is None or entity.identifier_text is not None:
        return []  # a named person or organisation has one country
    modifiers = [c for c in head.children if c.dep_ in ("amod", "compound", "nmod")]
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            modifiers += [p for p in prep.children if p.dep_ == "pobj"]
    others: list[Entity] = []
    for modifier in modifiers:
        for conjunct in modifier.conjuncts:
            if conjunct.ent_type_ not in ("GPE", "NORP"):
                continue
            other = resolve(conjunct)
            if other is not None and other.code and other.code != entity.code:
                others.append(replace(entity, code=other.code))
    return others


def _code(
    trigger: Token,
    carrier: Token,
    entry: TriggerEntry,
    status: str,
    actors: list[Entity],
    recipients: list[Entity],
    knowledge: EventKnowledge,
    sentences: Mapping[int, int],
) -> EventDraft:
    """The draft of one event: the strict PLOVER rules applied, the tokens turned into indices."""
    event, mode, cameo, status, planned = _strict(
        entry.event, entry.mode, entry.cameo, status, carrier, knowledge
    )
    sentence = trigger.sent
    return EventDraft(
        trigger=trigger.i,
        trigger_end=trigger.i + 1,
        carrier=carrier.i,
        sent_start=sentence.start,
        sent_end=sentence.end,
        sentence=sentences[sentence.start],
        start_char=trigger.idx,
        end_char=trigger.idx + len(trigger),
        sent_start_char=sentence.start_char,
        sent_end_char=sentence.end_char,
        event=event,
        mode=mode,
        cameo=cameo,
        status=status,
        planned=planned,
        trigger_pos=entry.pos,
        actors=actors,
        recipients=recipients,
        event_text=_event_text(trigger, carrier, entry),
        confidence=_confidence(trigger, carrier, entry, status, actors, recipients),
    )


def _strict(
    event: str,
    mode: str | None,
    cameo: str | None,
    status: str,
    carrier: Token,
    knowledge: EventKnowledge,
) -> tuple[str, str | None, str | None, str, PlannedAct | None]:
    """Strict PLOVER for an act that has not happened: (event, mode, cameo, status, planned)."""
    rule = knowledge.strict.get((event, status))
    if status == "negated" and not _refused(carrier, knowledge):
        rule = None  # "has not agreed (yet)" is a negated AGREE; "would not accept" a REJECT
    if status in ("future", "hypothetical") and _conditioned(carrier, knowledge):
        threat = knowledge.strict.get((event, "conditional"))
        if threat is not None:
            rule, status = threat, "asserted"  # the threat itself has been made
    if rule is None:
        return event, mode, cameo, status, None
    if status == "negated":
        status = "asserted"  # "would not accept any deal": the refusal is what happened
    planned = PlannedAct(event=event, mode=mode) if rule.keeps_plan else None
    return rule.coded_as, None, rule.cameo, status, planned


def draft_for_token(
    doc: Doc,
    token: Token,
    event: str,
    knowledge: EventKnowledge,
    resolve: Resolve,
    speech_verbs: frozenset[str],
    sentence_numbers: Mapping[int, int],
) -> EventDraft | None:
    """A draft for a word another judge (the learned typer) says names an event of this type:
    carrier, status, parties and strict PLOVER found as for a lexicon trigger; None where the
    word names no act ("had no mandate to negotiate").
    `sentence_numbers`: each sentence's first token -> its number (`DocumentContext`)."""
    entry = _typed_entry(token, event, knowledge)
    carrier = _carrier(token, entry, knowledge) or token
    status = event_status(token, carrier, knowledge, _speech_verb_above(carrier, speech_verbs))
    if status == NOT_AN_EVENT:
        return None
    actors = _actors(carrier, token, resolve, knowledge)
    recipients = [
        r for r in _recipients(token, carrier, resolve, actors, knowledge, event)
        if not any(r is a for a in actors)
    ]  # fmt: skip
    return _code(token, carrier, entry, status, actors, recipients, knowledge, sentence_numbers)


def may_name_parties(
    token: Token, knowledge: EventKnowledge, resolve: Resolve, speech_verbs: frozenset[str]
) -> bool:
    """Whether `draft_for_token` could give this word a party, whatever type it is given: the
    carrier, status and actor do not depend on the type, and the target is looked for behind
    the prepositions of every type. A word that names no act or no party is not worth asking
    the learned typer about: its draft could only join an event already found."""
    carrier = _carrier(token, _typed_entry(token, ANY_TYPE, knowledge), knowledge) or token
    if event_status(token, carrier, knowledge, _speech_verb_above(carrier, speech_verbs)) == (
        NOT_AN_EVENT
    ):
        return False
    actors = _actors(carrier, token, resolve, knowledge)
    return bool(actors) or bool(_recipients(token, carrier, resolve, actors, knowledge, ANY_TYPE))


def _typed_entry(token: Token, event: str, knowledge: EventKnowledge) -> TriggerEntry:
    """A lexicon entry for a word typed by another judge: no mode, the type's root CAMEO code."""
    return TriggerEntry(
        lemma=token.lemma_.lower(), pos="VERB" if token.pos_ == "VERB" else "NOUN", event=event,
        mode=None, cameo=knowledge.type_cameo.get(event), requires=frozenset(),
    )  # fmt: skip


def recode_type(doc: Doc, draft: EventDraft, event: str, knowledge: EventKnowledge) -> EventDraft:
    """The draft as an event of another type (mode unknown, CAMEO the type's root), with strict
    PLOVER applied for the draft's status (a future CONSULT is still AGREE)."""
    coded, mode, cameo, status, planned = _strict(
        event, None, knowledge.type_cameo.get(event), draft.status, doc[draft.carrier], knowledge
    )
    return replace(draft, event=coded, mode=mode, cameo=cameo, status=status, planned=planned)


def _refused(carrier: Token, knowledge: EventKnowledge) -> bool:
    """ "would not accept", "will not agree", "won't concede": a negation of will, a refusal."""
    return any(
        c.dep_ == "aux" and knowledge.cue(c.lower_, "refusal") is not None for c in carrier.children
    )


def _conditioned(carrier: Token, knowledge: EventKnowledge) -> bool:
    """ "... will withdraw unless X", "... if X": a condition clause hangs on the event."""
    return any(
        child.dep_ == "advcl"
        and any(m.dep_ == "mark" and knowledge.cue(m.lower_, "mark") for m in child.children)
        for child in carrier.children
    )


def _event_text(trigger: Token, carrier: Token, entry: TriggerEntry) -> str:
    words = {trigger.i}
    if carrier.i != trigger.i:
        words.add(carrier.i)
    for child in trigger.children:
        if (
            child.lemma_.lower() in entry.requires
            or child.dep_ in ("prt", "neg")
            or (child.dep_ == "compound" and entry.pos == "NOUN" and not child.ent_type_)
        ):
            words.add(child.i)
    doc = trigger.doc
    return " ".join(doc[i].text for i in sorted(words))


def _confidence(
    trigger: Token,
    carrier: Token,
    entry: TriggerEntry,
    status: str,
    actors: list[Entity],
    recipients: list[Entity],
) -> float:
    """A score in 0-1 that rises with the evidence: a verb trigger, coded actor and recipient."""
    score = 0.45 if entry.pos == "VERB" else 0.4 if carrier.i != trigger.i else 0.35
    if entry.requires:
        score += 0.05  # a phrasal or constrained entry is less ambiguous
    if any(a.code for a in actors):
        score += 0.25
    elif actors:
        score += 0.1
    if any(r.code for r in recipients):
        score += 0.15
    if status == "hypothetical":
        score -= 0.1
    return round(max(0.05, min(score, 0.95)), 2)
