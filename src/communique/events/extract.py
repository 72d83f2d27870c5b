"""Triggers to events: type, mode, status and the actor/recipient pair, from the parse.

For each token the lexicon knows, `find_events` decides whether it reports an event of its own
(a purpose clause or the object of another event does not), finds the verb that carries it (the
light verb of "held talks"), reads its status, takes the source and target from the parse and
applies the strict PLOVER rules for acts that have not happened. The tokens stay here: each
event leaves as an `EventDraft` of indices and values (`EventFinder` is the events stage).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from communique.events.conventions import (
    HOSTING,
    consequence,
    consequence_victims,
    no_act_of_its_own,
    visitor_first,
    vowed_violence,
)
from communique.events.lexicon import ANY_TYPE, EventKnowledge, TriggerEntry, base_forms
from communique.events.parties import (
    SUBJECT_DEPS,
    actors_of,
    condition_clauses,
    inferred_police,
    recipients_of,
    reporting_authority,
)
from communique.events.party_phrases import Resolve, with_conjuncts
from communique.events.reported import demanded_clauses, reported_acts
from communique.events.status import NOT_AN_EVENT, event_status
from communique.records import Entity, PlannedAct
from communique.stages import DocumentContext, EventDraft

# Prepositions whose object is what another event is about ("called for talks"), unlike
# "during his visit" or "after the attack", which only set the scene.
_OBJECT_PREPS = frozenset({"for", "of", "on", "about", "over", "to", "against", "into"})


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
    fired = _fired(doc, knowledge)
    demands = list(demanded_clauses(doc, knowledge, speech_verbs))
    demanded = {clause.i for _, clause, _, _ in demands}
    events: list[EventDraft] = []
    for index, entry in fired.items():
        trigger = doc[index]
        carrier = _carrier(trigger, entry, knowledge)
        if carrier is None or _part_of_another(trigger, carrier, fired, knowledge):
            continue
        if carrier.i in demanded:
            continue  # "said the government must withdraw the bill": asked for, not done
        if no_act_of_its_own(entry, carrier, knowledge):
            continue
        stop = _speech_verb_above(carrier, speech_verbs)
        status = event_status(trigger, carrier, knowledge, stop)
        if status == NOT_AN_EVENT:
            continue
        actors = actors_of(carrier, trigger, resolve, knowledge) or _arrester(
            entry, carrier, stop, resolve, knowledge
        )
        entry = _held_together(entry, actors, knowledge)
        entry, vowed = vowed_violence(entry, carrier, fired, knowledge)
        found = recipients_of(trigger, carrier, resolve, actors, knowledge, entry.event)
        if entry.event == "ASSAULT":
            for victim in consequence_victims(trigger, knowledge):
                found += [v for v in with_conjuncts(victim, resolve) if v not in found]
        recipients = [  # an entity is never its own target ("UN peacekeepers ... ceasefire")
            r for r in found if not any(r is a for a in actors)
        ]
        coded = _code(trigger, carrier, entry, status, actors, recipients, knowledge, sentences)
        if vowed is not None:
            coded = replace(coded, planned=vowed)
        events.append(
            visitor_first(coded, entry, trigger, knowledge) if entry.cameo == HOSTING else coded
        )
    accusing = {doc[i].sent.start for i, e in fired.items() if e.event == "ACCUSE"}
    for act in reported_acts(doc, knowledge, resolve, speech_verbs, accusing, demands):
        coded = _code(
            act.verb, act.verb, act.entry, act.status, act.actors, act.recipients, knowledge,
            sentences,
        )  # fmt: skip
        events.append(replace(coded, event_text=act.text))
    return sorted(events, key=lambda e: e.trigger)


def _fired(doc: Doc, knowledge: EventKnowledge) -> dict[int, TriggerEntry]:
    """Every token the lexicon knows, with its entry."""
    fired: dict[int, TriggerEntry] = {}
    for token in doc:
        entry = knowledge.trigger_for(token)
        if entry is not None:
            fired[token.i] = entry
    return fired


def _part_of_another(
    trigger: Token, carrier: Token, fired: dict[int, TriggerEntry], knowledge: EventKnowledge
) -> bool:
    """The trigger belongs to another trigger's event: its purpose, complement, object or
    allegation (`_is_subordinate`), or the noun of a verb that is a trigger itself ("imposed a
    blockade": the verb's entry names the noun; "called off talks": the talks are not held)."""
    if carrier.i != trigger.i and carrier.i in fired:
        return True
    return _is_subordinate(trigger, carrier, fired, knowledge)


def parts_of_other_events(
    doc: Doc, knowledge: EventKnowledge, speech_verbs: frozenset[str]
) -> set[int]:
    """The lexicon triggers the rules set aside as part of another trigger's event ("condemned
    the attack", "agreed to meet", "called on the EU to ban imports", "accused Iran of
    attacking", "said Russia must withdraw") or as a reporter's question ("refused to
    comment"): no judge should code them as events of their own."""
    fired = _fired(doc, knowledge)
    demanded = {clause.i for _, clause, _, _ in demanded_clauses(doc, knowledge, speech_verbs)}
    found = set()
    for index, entry in fired.items():
        carrier = _carrier(doc[index], entry, knowledge) or doc[index]
        if (
            carrier.i in demanded
            or _part_of_another(doc[index], carrier, fired, knowledge)
            or no_act_of_its_own(entry, carrier, knowledge)
            or _in_asked_or_promised_clause(doc[index], fired)
        ):
            found.add(index)
    return found


# Events whose infinitive or "that" clause is an act not done: asked for, promised, refused or
# threatened ("called on Pyongyang to return to talks").
_GOVERNING_EVENTS = frozenset({"REQUEST", "AGREE", "REJECT", "THREATEN"})


def _in_asked_or_promised_clause(token: Token, fired: dict[int, TriggerEntry]) -> bool:
    """A word inside the clause a request, promise, refusal or threat governs: "talks" in
    "called on Pyongyang to return to talks" is what is asked for, not talks held."""
    node = token
    for _ in range(5):
        head = node.head
        if head.i == node.i:
            return False
        if node.dep_ in ("xcomp", "ccomp") and head.i in fired:
            return fired[head.i].event in _GOVERNING_EVENTS
        node = head
    return False


def _carrier(trigger: Token, entry: TriggerEntry, knowledge: EventKnowledge) -> Token | None:
    """The verb that carries a trigger, or None when a noun trigger reports no event here."""
    if entry.pos == "VERB":
        return trigger
    head = trigger.head
    if trigger.dep_ in ("dobj", "attr", "nsubjpass") and knowledge.is_light_verb(head):
        if any(c.dep_ == "oprd" for c in head.children):
            return None  # "called the sanctions illegal": naming the act, not carrying it
        return head
    participle = next(
        (
            c
            for c in trigger.children
            if c.dep_ == "acl"
            and c.tag_ == "VBN"
            and knowledge.is_light_verb(c)
            and not any(g.dep_ in ("aux", "auxpass", *SUBJECT_DEPS) for g in c.children)
        ),
        None,
    )
    if participle is not None:
        # "sanctions imposed on Iran by the US": a reduced relative clause carries the noun
        # (not "an allegation that the rebels had taken over", a clause of its own)
        return participle
    if trigger.dep_ == "pobj" and head.lower_ == "in" and knowledge.is_light_verb(head.head):
        return head.head  # "engaged in talks", "took part in talks"
    if trigger.dep_ == "pobj" and head.lower_ == "on" and "on" in entry.named_lemmas():
        return head.head  # "put its forces on alert", "troops remained on alert"
    if (
        trigger.dep_ == "pobj"
        and head.lower_ == "of"
        and head.head.lemma_ in knowledge.words("measure")
    ):
        measure = head.head
        if measure.dep_ in ("dobj", "nsubjpass") and knowledge.is_light_verb(measure.head):
            return measure.head  # "launched ten days of war games", "held a round of talks"
    if (
        trigger.dep_ == "pobj"
        and head.lower_ in ("on", "for")
        and any(base in knowledge.travel_verbs for base in base_forms(head.head))
    ):
        return head.head  # "arrived in Amman on a visit", "returned to Geneva for talks"
    if trigger.dep_ == "pobj" and head.lower_ == "for" and _claims(head.head, knowledge):
        return head.head.head  # "claimed responsibility for the bombing": the claimant's act
    if trigger.dep_ == "nsubj" and head.lemma_.lower() in knowledge.occurrence_verbs:
        return trigger  # "talks took place", "fighting erupted"
    if any(_names_party(child) for child in trigger.children):
        return trigger  # "his visit to Doha", "Israeli air strikes", "talks with Hamas"
    return None


def _held_together(
    entry: TriggerEntry, actors: list[Entity], knowledge: EventKnowledge
) -> TriggerEntry:
    """ "Russian and Chinese warships launched war games": an exercise of two countries' forces
    is a joint one (the manual: joint exercises are COOPERATE, one country's MOBILIZE), coded by
    the lexicon's row for the joint form of the same word."""
    if entry.event != "MOBILIZE" or len({a.code for a in actors if a.code}) < 2:
        return entry
    joint = next(
        (e for e in knowledge.triggers.get((entry.lemma, entry.pos), ()) if e.event == "COOPERATE"),
        None,
    )
    return joint or entry


def _claims(noun: Token, knowledge: EventKnowledge) -> bool:
    """ "responsibility" as the object of a verb that owns an act ("claimed responsibility")."""
    return (
        noun.lemma_.lower() == "responsibility"
        and noun.dep_ == "dobj"
        and noun.head.lemma_.lower() in knowledge.claim_verbs
    )


def _names_party(child: Token) -> bool:
    if child.dep_ == "poss":
        return True
    if child.dep_ in ("amod", "compound") and child.ent_type_ in ("NORP", "GPE", "ORG"):
        return True
    if child.dep_ == "prep" and child.lower_ in ("by", "with", "between", "against", "to", "on"):
        return any(g.dep_ == "pobj" and (g.ent_type_ or g.pos_ == "PROPN") for g in child.children)
    return False


def _stated_purpose(
    trigger: Token, fired: dict[int, TriggerEntry], knowledge: EventKnowledge
) -> bool:
    """A noun of aim ("in protest", "in retaliation") hung on an act the rules coded: it says
    why that act was done. On an act they did not code ("shut their shops in protest"), it is
    the event."""
    prep = trigger.head
    if not (
        trigger.pos_ == "NOUN"
        and trigger.dep_ == "pobj"
        and prep.lower_ == "in"
        and trigger.lemma_.lower() in knowledge.aim_nouns
    ):
        return False
    act = prep.head
    return act.i in fired or any(
        c.i in fired and c.dep_ in ("dobj", "attr", "nsubjpass") for c in act.children
    )


def _is_subordinate(
    trigger: Token, carrier: Token, fired: dict[int, TriggerEntry], knowledge: EventKnowledge
) -> bool:
    """A purpose or complement clause of another event, or the thing another event acts on."""
    if _stated_purpose(trigger, fired, knowledge):
        return True  # "observed a bandh in protest against the killing": why, not a second act
    head = carrier.head
    if head.i == carrier.i:
        return False
    if trigger.dep_ == "dobj" and any(c.dep_ == "oprd" for c in trigger.head.children):
        return True  # "called the sanctions illegal": an act named and judged, not done here
    if carrier.i == trigger.i and trigger.pos_ == "NOUN":
        governor = _event_object_governor(trigger)
        if governor is not None and governor.i in fired and governor.i != trigger.i:
            return True  # "condemned the attack": the noun is what the other event is about
        if trigger.dep_ == "pobj" and trigger.head.lower_ in ("at", "with"):
            feeling = trigger.head.head
            if feeling.i in fired and fired[feeling.i].event == "ACCUSE":
                return True  # "anger at the visit", "dissatisfaction with the talks"
    if carrier.dep_ == "pcomp" and head.dep_ == "prep" and head.head.i in fired:
        if carrier in _allegation_clauses(head.head, fired[head.head.i].event):
            return True  # "accused Iran of attacking", "arrested five men for attacking a bus"
    if carrier.dep_ in ("ccomp", "acl") and head.i in fired and fired[head.i].event == "REQUEST":
        return True  # "demanded that Israel ease restrictions": what is asked has not happened
    if consequence(carrier, fired) and fired[trigger.i].event == "ASSAULT":
        return True  # "shelled the town, killing 20 people": one attack, not two
    infinitival = carrier.dep_ in ("xcomp", "advcl", "acl") and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in carrier.children
    )
    if not infinitival:
        return False
    if head.i in fired:
        return True  # "agreed to cooperate", "threatened to attack"
    # "staged demonstrations to demand reforms": the head's object is the event.
    return any(c.i in fired and c.dep_ in ("dobj", "attr") for c in head.children)


def _event_object_governor(noun: Token) -> Token | None:
    """The word a noun is the object of, directly or through a preposition of aboutness:
    "condemned the attack", "signed an agreement", "concern over the arrest"; None if none."""
    if noun.dep_ in ("dobj", "attr"):
        return noun.head
    if noun.dep_ == "pobj" and noun.head.lower_ in _OBJECT_PREPS:
        return noun.head.head
    return None


# Events whose "of / for / with" clause says what someone is blamed for, not an act the sentence
# asserts: "accused Iran of attacking its ships", "arrested for collaborating with Israel",
# "convicted of spying", "charged with inciting violence".
_ALLEGING_EVENTS = frozenset({"ACCUSE", "COERCE", "SANCTION"})
_ALLEGATION_PREPS = frozenset({"of", "for", "with"})


def _allegation_clauses(carrier: Token, event: str) -> list[Token]:
    """The verbs of the clauses that say what an accusation, arrest or conviction blames."""
    if event not in _ALLEGING_EVENTS:
        return []
    return [
        clause
        for prep in carrier.children
        if prep.dep_ == "prep" and prep.lower_ in _ALLEGATION_PREPS
        for clause in prep.children
        if clause.dep_ == "pcomp" and clause.pos_ in ("VERB", "AUX")
    ]


def _arrester(
    entry: TriggerEntry,
    carrier: Token,
    speech_verb: Token | None,
    resolve: Resolve,
    knowledge: EventKnowledge,
) -> list[Entity]:
    """For an arrest nobody is said to make, the police who report it ("police said two men
    were arrested") or else police the text leaves implicit ("two men were arrested": an
    inferred party). A coercion the model typed (mode unknown) gets only a reporting police."""
    if entry.event != "COERCE" or entry.mode not in ("arrest", None):
        return []
    if found := reporting_authority(carrier, speech_verb, resolve, knowledge):
        return found
    # Only a passive clause reports an arrest nobody makes ("two men were arrested", "arrests
    # have been made"); "the jailed leader" or "detaining prisoners" report none.
    passive = any(c.dep_ == "nsubjpass" for c in carrier.children)
    return [inferred_police()] if entry.mode == "arrest" and passive else []


def _speech_verb_above(token: Token, speech_verbs: frozenset[str]) -> Token | None:
    node = token
    while node.head.i != node.i:
        if node.dep_ in ("ccomp", "parataxis") and node.head.lemma_.lower() in speech_verbs:
            return node.head
        node = node.head
    return None


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
        start_char=_word_start(trigger),
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


def _word_start(trigger: Token) -> int:
    """Where the written word of the trigger starts: "lathi-charged" and "baton-charged" are
    one word to a reader (and to the typer, which reads the marked span), three tokens here."""
    doc = trigger.doc
    i = trigger.i
    if i >= 2 and doc[i - 1].tag_ == "HYPH" and not doc[i - 1].whitespace_:
        if not doc[i - 2].whitespace_ and doc[i - 2].is_alpha:
            return doc[i - 2].idx
    return trigger.idx


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
    elif status in ("future", "hypothetical") and _readying(carrier, knowledge):
        posture = knowledge.strict.get((event, "prepared"))
        if posture is not None:
            rule, status = posture, "asserted"  # "prepared to resume shelling": forces ready
    elif status in ("future", "hypothetical") and _offered(carrier, knowledge):
        threat = knowledge.strict.get((event, "offered"))
        if threat is not None:
            rule, status = threat, "asserted"  # "is ready to use force": the threat is made
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
    speech_verb = _speech_verb_above(carrier, speech_verbs)
    status = event_status(token, carrier, knowledge, speech_verb)
    if status == NOT_AN_EVENT:
        return None
    actors = actors_of(carrier, token, resolve, knowledge) or _arrester(
        entry, carrier, speech_verb, resolve, knowledge
    )
    recipients = [
        r for r in recipients_of(token, carrier, resolve, actors, knowledge, event)
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
    actors = actors_of(carrier, token, resolve, knowledge)
    return bool(actors) or bool(recipients_of(token, carrier, resolve, actors, knowledge, ANY_TYPE))


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
    return any(condition_clauses(carrier, knowledge))


def _readying(carrier: Token, knowledge: EventKnowledge) -> bool:
    """ "the army prepared to resume shelling": the act is the infinitive of a verb of getting
    ready (status_cues.tsv, role posture), directly or through one more infinitive."""
    node = carrier
    for _ in range(2):
        if node.dep_ not in ("xcomp", "acl") or node.head.i == node.i:
            return False
        node = node.head
        if node.pos_ == "VERB" and knowledge.cue(node.lemma_.lower(), "posture"):
            return True
    return False


def _offered(carrier: Token, knowledge: EventKnowledge) -> bool:
    """ "is ready to use force", "expressed readiness to strike": the act is the infinitive of a
    word of readiness (status_cues.tsv, role offer), directly or through one more infinitive."""
    node = carrier
    for _ in range(2):
        if node.dep_ not in ("xcomp", "acl") or node.head.i == node.i:
            return False
        node = node.head
        if knowledge.cue(node.lower_, "offer") or knowledge.cue(node.lemma_.lower(), "offer"):
            return True
    return False


def _event_text(trigger: Token, carrier: Token, entry: TriggerEntry) -> str:
    words = {trigger.i}
    if carrier.i != trigger.i:
        words.add(carrier.i)
    for child in trigger.children:
        if (
            child.lemma_.lower() in entry.named_lemmas()
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
