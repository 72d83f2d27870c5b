"""Who did it and to whom: the source and target of a trigger, from the parse.

`actors_of` finds the source (the carrier's subject, a passive agent, a noun's possessor, or a
subject inherited through control and conjunction); `recipients_of` the target (a passive
subject, an object that names an actor, a phrase behind one of the event type's prepositions,
or the same in a clause the event governs). Both resolve tokens to entities through the actor
stage's resolver, and keep conjoined parties together ("Hungarian and Romanian officials").
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

from spacy.tokens import Token

from communique.events.lexicon import EventKnowledge, base_forms
from communique.events.party_phrases import (
    Resolve,
    beneficiary,
    party_behind,
    qualifier_party,
    with_conjuncts,
)
from communique.records import Entity

SUBJECT_DEPS = ("nsubj", "csubj")
# Dependencies through which a subjectless verb, gerund or noun takes the subject above it.
_CONTROL_DEPS = frozenset(
    {"xcomp", "pcomp", "prep", "pobj", "dobj", "acl", "advcl", "conj", "attr", "oprd", "acomp"}
)
# The prepositions after a noun of aim (data/aim_nouns.tsv: "in defiance of X") that name X.
_AIMED_PREPS = frozenset({"of", "at", "against", "for", "to"})
# Prepositions of a circumstance or cause others bring about: the subject above does not do it
# ("closed the border because of fighting between X and Y"; "because" and "due" head "of"/"to").
_CIRCUMSTANCE_PREPS = frozenset({"amid", "despite", "because", "due", "owing"})
_RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
# Types whose target a city "in" phrase can name: a measure on the city ("a curfew in
# Abidjan"), and a visit with a verb of travel ("arrived in Amman on a visit"). For the rest,
# meetings included ("will meet in Geneva"), the city is where it happened.
_PLACE_TARGETS = frozenset({"COERCE"})
# Modes of those types done to people, never to a place: the city they are in is no target.
_PERSON_MODES = frozenset({"arrest", "deport"})
_EMPTY_SUBJECTS = frozenset({"it", "this", "that", "there", "what", "which"})


def actors_of(
    carrier: Token,
    trigger: Token,
    resolve: Resolve,
    knowledge: EventKnowledge,
) -> list[Entity]:
    """The source: the carrier's subject, a passive agent, a noun's possessor, or inherited."""
    nominal = trigger.pos_ == "NOUN" or trigger.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj")
    if carrier.i == trigger.i and nominal:  # a noun, or a gerund heading one ("Fighting ...")
        own = _noun_actor(trigger, resolve, knowledge)
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
        return with_conjuncts(passive_agent[0], resolve)
    if means := _means_actor(carrier, resolve, knowledge):
        return means
    if carrier.lemma_.lower() in knowledge.stative_passives:
        stance = next((c for c in carrier.children if c.dep_ == "nsubjpass"), None)
        if stance is not None:
            return with_conjuncts(stance, resolve)  # "Israel is opposed to ..."
    if misread_main_verb(carrier, knowledge):
        return _subject_entities(carrier.head, carrier, resolve)  # "Thousands protested"
    if carrier.tag_ == "VBG" and carrier.dep_ == "acl" and not _has_subject(carrier):
        if found := with_conjuncts(carrier.head, resolve):
            return found  # "police firing on protesters", "troops shelling the town": they act
    if carrier.tag_ == "VBN" and carrier.dep_ in ("advcl", "acl") and not _has_subject(carrier):
        return []  # "when asked", "citizens held in captivity": the subject above undergoes it
    if carrier.dep_ == "advcl" and any(c.dep_ == "nsubjpass" for c in carrier.children):
        if any(c.dep_ == "mark" for c in carrier.children):
            return []  # "a mob set fire to buses after a student was killed": not the mob
    if any(c.dep_ == "nsubjpass" for c in carrier.children) and carrier.dep_ == "relcl":
        return []  # "Montenegro, where 28 people were killed": the place did not kill them
    node = carrier
    for _ in range(6):
        stative = node.i != carrier.i and node.lemma_.lower() in knowledge.stative_passives
        # "militias were involved in attacks": a stance verb's subject acts
        subjects = [
            c
            for c in node.children
            if (c.dep_ in SUBJECT_DEPS or (stative and c.dep_ == "nsubjpass")) and c.i != trigger.i
        ]
        if subjects:
            found = _subject_entities(subjects[0], node, resolve)
            for heading, subject in pairwise(subjects):
                if (
                    found
                    or heading.right_edge.i + 1 != subject.left_edge.i
                    or heading.left_edge.i != heading.sent.start
                    or any(c.dep_ in ("det", "poss") for c in heading.children)
                ):
                    break
                # "International reaction A U.S. spokesperson urged ...": a heading run into
                # the sentence, right before the subject, is read as a subject too
                found = _subject_entities(subject, node, resolve)
            return found
        if node.dep_ == "relcl":
            return with_conjuncts(node.head, resolve)
        if node.dep_ == "conj" and node.head.pos_ in ("VERB", "AUX"):
            node = node.head  # "met X and agreed": the first conjunct's subject
            continue
        if node.dep_ not in _CONTROL_DEPS or node.head.i == node.i:
            break
        if node.dep_ == "prep" and (
            node.lower_ in _CIRCUMSTANCE_PREPS or node.head.lemma_.lower() in knowledge.aim_nouns
        ):
            break  # "resigned amid criticism", "struck in retaliation for the rocket fire"
        if node.dep_ == "xcomp" and (controller := _controlling_object(node, trigger)):
            # "forced police to open fire": the police fire; "forced them to open fire" with
            # "them" unresolved: nobody known, never the subject that forced them
            return with_conjuncts(controller, resolve)
        node = node.head
        if (
            node.pos_ == "NOUN"
            and node.i != trigger.i
            and (owner := _noun_actor(node, resolve, knowledge))
        ):
            return owner  # "the plan of X to visit", "X's decision to attack"
    return []


def _means_actor(carrier: Token, resolve: Resolve, knowledge: EventKnowledge) -> list[Entity]:
    """ "Three people were killed in police firing", "died in Israeli air strikes": an
    agentless passive's act whose means names its doer."""
    if not any(c.dep_ == "nsubjpass" for c in carrier.children):
        return []
    for prep in carrier.children:
        if prep.dep_ != "prep" or prep.lower_ not in ("in", "during"):
            continue
        for means in prep.children:
            if means.dep_ != "pobj":
                continue
            if knowledge.trigger_for(means) is not None:
                if found := _noun_actor(means, resolve, knowledge):
                    return found
            # "in police firing" parsed as "police" with the participle "firing" on it
            acting = any(
                c.dep_ == "acl"
                and c.tag_ == "VBG"
                and (c.lemma_.lower(), "VERB") in knowledge.triggers
                for c in means.children
            )
            entity = resolve(means) if acting else None
            if entity is not None and entity.sector in knowledge.agent_sectors:
                return [entity]
    return []


def misread_main_verb(verb: Token, knowledge: EventKnowledge) -> bool:
    """In "Thousands of students protested in Belgrade" the small model reads the verb as a
    participle on "Thousands" ("students who were protested"). A verb with no passive sense on
    people (data/event_words.tsv, "intransitive") so read, with no "by" agent, is the verb of
    the noun above, its subject."""
    return (
        verb.dep_ == "acl"
        and verb.tag_ in ("VBN", "VBD")
        and verb.head.pos_ in ("NOUN", "PROPN", "NUM")
        and not any(c.dep_ == "agent" for c in verb.children)
        and any(base in knowledge.words("intransitive") for base in base_forms(verb))
    )


def _has_subject(token: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "csubj") for c in token.children)


def _subject_entities(subject: Token, verb: Token, resolve: Resolve) -> list[Entity]:
    if subject.lower_ in _RELATIVE_PRONOUNS and verb.dep_ == "relcl":
        return with_conjuncts(verb.head, resolve)
    if subject.lower_ in _EMPTY_SUBJECTS:
        entity = resolve(subject) if subject.lower_ == "it" else None
        return [entity] if entity is not None else []
    doc = subject.doc
    if subject.i + 2 == verb.i and doc[subject.i + 1].tag_ == "HYPH":
        # "Police lathi-charged the crowd", "troops baton-charged": the noun before the hyphen
        # is part of the verb, and the noun it was read to qualify is the subject
        subject = next((c for c in subject.lefts if c.dep_ == "compound"), subject)
    if subject.tag_ == "VBG" and (
        inner := next((c for c in subject.children if c.dep_ == "nsubj"), None)
    ):
        subject = inner  # "The Red Cross operating in Iraq said": parsed as a gerund's subject
    entities = with_conjuncts(subject, resolve)
    if entities:
        return entities
    # "statements from Kremlin spokespersons touched on ...": the speakers act.
    for prep in subject.children:
        if prep.dep_ == "prep" and prep.lower_ in ("from", "by", "of"):
            for pobj in prep.children:
                if pobj.dep_ == "pobj":
                    return with_conjuncts(pobj, resolve)
    return []


def _controlling_object(clause: Token, trigger: Token) -> Token | None:
    """The object of the verb above an infinitive clause, which does what the clause says
    ("ordered troops to withdraw", "urged Iran to release them"); none without an object
    ("agreed to meet": the subject does it)."""
    return next((c for c in clause.head.children if c.dep_ == "dobj" and c.i != trigger.i), None)


def _noun_actor(noun: Token, resolve: Resolve, knowledge: EventKnowledge) -> list[Entity]:
    """Who does what a noun names: its possessor (unless it undergoes the act), "by" phrase
    ("between" for fighting), nationality adjective ("Israeli air strikes") or a force or authority
    before it ("police firing")."""
    possessor_acts = noun.lemma_.lower() not in knowledge.patient_nouns
    for child in noun.children:
        if (child.dep_ == "poss" and possessor_acts) or (
            child.dep_ in ("amod", "compound") and child.ent_type_ == "NORP"
        ):
            entity = resolve(child)
            if entity is not None:
                return [entity]
        if child.dep_ == "compound" and child.pos_ == "NOUN" and possessor_acts:
            entity = resolve(child)
            if entity is not None and entity.sector in knowledge.agent_sectors:
                return [entity]
        if child.dep_ == "prep" and (
            child.lower_ == "by"
            or (child.lower_ == "from" and _said_by_someone(noun, knowledge))
            or (child.lower_ in ("between", "among") and _fight(noun, knowledge))
        ):
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return with_conjuncts(pobj, resolve)
    return []


def _fight(noun: Token, knowledge: EventKnowledge) -> bool:
    """ "fighting between the army and the RSF", "clashes among militias": in two-sided violence
    every side acts, as PLOVER codes it. Talks "between" two sides were tried too: two more false
    events on the VOA held-out split (docs/accuracy.md)."""
    entry = knowledge.trigger_for(noun)
    return entry is not None and entry.event == "ASSAULT"


# Types of what is said: their nouns name the speaker with "from" ("criticism from the
# opposition", "an offer from Kabul"). Other acts take "from" for a place ("withdrawal from
# Afghanistan", "fire from across the border").
_SAID_TYPES = frozenset({"AGREE", "SUPPORT", "REQUEST", "ACCUSE", "REJECT", "THREATEN"})


def _said_by_someone(noun: Token, knowledge: EventKnowledge) -> bool:
    entry = knowledge.trigger_for(noun)
    return entry is not None and entry.event in _SAID_TYPES


def recipients_of(
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
        if complement.dep_ == "ccomp" or _content_clause(complement):
            subject = next((c for c in complement.children if c.dep_ in SUBJECT_DEPS), None)
            if subject is not None:
                yield with_conjuncts(subject, resolve)
        yield _recipient_of(complement, trigger, resolve, actors, False, knowledge, event)
    if event == "PROTEST":
        # A protest is against whoever its purpose names: "went on strike to demand the
        # resignation of the minister", "rioted, calling for the removal of President X".
        actor_codes = {a.code for a in actors if a.code}
        clauses = [c for c in carrier.children if c.dep_ == "advcl"]
        clauses += [c for c in trigger.children if c.dep_ == "acl"]  # "a rally calling for ..."
        for clause in clauses:
            if _infinitival(clause) or clause.tag_ == "VBG":
                yield _first_other_party(clause, resolve, actor_codes)
    if event == "THREATEN":
        # A threat is made to whoever must meet its condition: "threatened to strike unless
        # Israel rescinds the annexation", "... if the United States goes ahead".
        for clause in (carrier, *_complements(carrier)):
            for condition in condition_clauses(clause, knowledge):
                for subject in (c for c in condition.children if c.dep_ in SUBJECT_DEPS):
                    yield with_conjuncts(subject, resolve)


def condition_clauses(clause: Token, knowledge: EventKnowledge) -> Iterator[Token]:
    """The condition clauses hung on a clause: "... will withdraw unless X ...", "... if X ..."
    (a subordinating word that status_cues.tsv lists with role mark)."""
    for child in clause.children:
        if child.dep_ == "advcl" and any(
            m.dep_ == "mark" and knowledge.cue(m.lower_, "mark") for m in child.children
        ):
            yield child


def _complements(carrier: Token) -> list[Token]:
    """Verbs of the clauses an event governs, two levels down ("agreed to set up", "demanded
    that X cancel", "its demand that X cancel")."""
    found: list[Token] = []
    frontier = [carrier]
    for _ in range(2):
        frontier = [
            c
            for t in frontier
            for c in t.children
            if c.pos_ in ("VERB", "AUX")
            and (c.dep_ in ("xcomp", "ccomp") or _purpose_clause(c) or _content_clause(c))
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
        if (
            holder.dep_ == "acl"
            and holder.tag_ == "VBN"
            and holder.head.i != trigger.i
            and not misread_main_verb(holder, knowledge)
        ):
            # "hostages freed by Hamas", "civilians killed by soldiers": the noun undergoes it
            if found := with_conjuncts(holder.head, resolve):
                return found
        for child in holder.children:
            if (
                child.dep_ == "nsubjpass"
                and child.i != trigger.i
                and holder.lemma_.lower() not in knowledge.stative_passives
            ):
                if found := with_conjuncts(child, resolve):
                    return found
    # "sent a delegation to attend the inauguration": what a verb of sending sends is its own
    sent_only = event not in ("COERCE", "ASSAULT") and any(
        base in knowledge.sending_verbs for base in base_forms(holder)
    )
    objects = [
        c
        for c in holder.children
        if c.dep_ in ("dobj", "dative", "iobj")
        and c.i != trigger.i
        and not (sent_only and c.dep_ == "dobj")
    ]
    behind: list[Entity] = []
    for child in objects:
        found = with_conjuncts(child, resolve)
        if (_owned_by_actor(child, resolve, actor_codes) or event == "MOBILIZE") and not (
            {e.code for e in found if e.code} - actor_codes
        ):
            # "offered its troops to Lebanon", "Britain mobilized army reservists for a war
            # against Iraq": the actor's own forces are what it gives or moves
            continue
        if found:
            return found
        behind = behind or party_behind(child, resolve)
        if not behind and event == "AID":
            behind = beneficiary(child, resolve)  # "approved an arms package for Taiwan"
    # "blocked streets in defiance of Chinese authorities", "recalled its ambassador in protest
    # at the raid": whom the act is aimed at, before the party behind a thing ("streets in
    # Hong Kong")
    if aimed := _aimed_phrase(holder, resolve, knowledge):
        return aimed
    if behind:
        return behind
    preps = {
        c.lower_: c for c in holder.children if c.dep_ in ("prep", "dative") and c.i != trigger.i
    }
    for prep_word in knowledge.target_preps(event):
        prep = preps.get(prep_word)
        if prep is None:
            continue
        for pobj in (p for p in prep.children if p.dep_ == "pobj"):
            named = with_conjuncts(pobj, resolve)
            found = named or party_behind(pobj, resolve)
            if not found:
                continue
            # "protested in Nairobi", "will meet in Geneva": a city named where is where it
            # happened (one behind a thing, "an attack on a village in Borno", stays a target)
            if prep_word == "in" and all(e.seat for e in found):
                visit = event == "CONSULT" and any(
                    base in knowledge.travel_verbs for base in base_forms(holder)
                )
                if not (visit or _measure_on_place(event, trigger, knowledge)):
                    continue
            return found
    if holder.pos_ == "NOUN":
        for child in holder.children:
            if child.dep_ == "compound" and child.ent_type_ in ("GPE", "LOC"):
                entity = resolve(child)  # "the Doha visit": the place hosts the visit
                if entity is not None:
                    return [entity]
        if holder.i == trigger.i and actor_codes:
            return _theme_party(holder, resolve, actor_codes)
    return []


def _measure_on_place(event: str, trigger: Token, knowledge: EventKnowledge) -> bool:
    """An act done to a city as a whole ("a curfew in Abidjan"), not to people in it ("the
    accused was nabbed in Ghaziabad": an arrest's target is whom it holds)."""
    if event not in _PLACE_TARGETS:
        return False
    entry = knowledge.trigger_for(trigger)
    return entry is None or entry.mode not in _PERSON_MODES


def _aimed_phrase(holder: Token, resolve: Resolve, knowledge: EventKnowledge) -> list[Entity]:
    """The party an "in defiance / protest / retaliation" phrase names: "in defiance of Chinese
    authorities", "in protest at the Israeli raid", "in retaliation for Hamas rocket fire"."""
    for prep in (c for c in holder.children if c.dep_ == "prep" and c.lower_ == "in"):
        for reason in (c for c in prep.children if c.lemma_.lower() in knowledge.aim_nouns):
            for of in (c for c in reason.children if c.dep_ == "prep"):
                if of.lower_ not in _AIMED_PREPS:
                    continue
                for pobj in (p for p in of.children if p.dep_ == "pobj"):
                    if knowledge.trigger_for(pobj) is not None:
                        # The act answered: its doer is aimed at, not whom it hit ("in
                        # retaliation for an air raid on Dezful" is not aimed at Dezful).
                        found = _noun_actor(pobj, resolve, knowledge)
                        found = found or qualifier_party(pobj, resolve)
                    else:
                        found = with_conjuncts(pobj, resolve) or party_behind(pobj, resolve)
                    if found:
                        return found
    return []


def _theme_party(noun: Token, resolve: Resolve, actor_codes: set[str]) -> list[Entity]:
    """Another party an event noun names once its actor is known: the sides "between" names
    ("began a mediation mission between Egypt and Ethiopia"), or the party of its "of" phrase
    ("mounted its invasion of South Lebanon", "the withdrawal of its forces from Panama": the
    forces are the actor's own, so the party behind them). A bare noun with no actor gets
    neither: "fighting between X and Y" is often background, not this report's event."""
    for prep in noun.children:
        if prep.dep_ != "prep" or prep.lower_ not in ("between", "of"):
            continue
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            found = with_conjuncts(pobj, resolve)
            if prep.lower_ == "of" and (
                not any(e.code for e in found) or {e.code for e in found} <= actor_codes
            ):
                found = party_behind(pobj, resolve)
            if any(e.code and e.code not in actor_codes for e in found):
                return found
    return []


def _content_clause(token: Token) -> bool:
    """ "its demand that Israel ease restrictions": a "that" clause saying what a noun holds."""
    return token.dep_ == "acl" and any(
        c.dep_ == "mark" and c.lower_ == "that" for c in token.children
    )


def _purpose_clause(token: Token) -> bool:
    """ "... blocked roads to press their demands": an infinitival clause of purpose."""
    return token.dep_ == "advcl" and _infinitival(token)


def _infinitival(token: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)


def _first_other_party(clause: Token, resolve: Resolve, actor_codes: set[str]) -> list[Entity]:
    """The first coded party in a clause, in text order, that is not the actor's own people
    (civilians of the actor's country); the actor's own government counts: protesters demand
    things of it."""
    for token in clause.subtree:
        if token.i == clause.i or token.dep_ not in _PARTY_DEPS:
            continue
        found = with_conjuncts(token, resolve)
        if any(e.code for e in found) and not all(
            e.code in actor_codes and e.sector == "CVL" for e in found
        ):
            return found
    return []


# The dependencies of a noun phrase's head that can name a party inside a clause.
_PARTY_DEPS = frozenset({"dobj", "pobj", "poss", "nsubj", "nsubjpass", "dative"})


def _owned_by_actor(token: Token, resolve: Resolve, actor_codes: set[str]) -> bool:
    for child in token.children:
        if child.dep_ == "poss" and child.pos_ == "PRON":
            owner = resolve(child)
            return owner is None or owner.code in actor_codes
    return False


def reporting_authority(
    carrier: Token, speech_verb: Token | None, resolve: Resolve, knowledge: EventKnowledge
) -> list[Entity]:
    """The police (or soldiers, or intelligence service) who report an agentless arrest:
    "police said two men were arrested", "two men were detained, the army said". Nobody
    else's report names the arrester ("the family said he was detained")."""
    if speech_verb is None or not any(c.dep_ == "nsubjpass" for c in carrier.children):
        return []
    subject = next((c for c in speech_verb.children if c.dep_ in SUBJECT_DEPS), None)
    if subject is None:
        return []
    found = with_conjuncts(subject, resolve)
    return found if found and all(e.sector in knowledge.arrester_sectors for e in found) else []


def inferred_police() -> Entity:
    """The police who make an arrest nobody is said to make ("two men were arrested"): PLOVER
    codes the arrester, whom the text leaves implicit. Its country comes from where the event
    is placed (`places.place_unplaced_parties`)."""
    return Entity(entity_text="police", sector="COP", inferred=True)


def inferred_attacker() -> Entity:
    """The unidentified armed force (PLOVER sector UAF) behind an attack nobody is said to make
    ("a journalist was killed in a car bomb explosion", "a roadside bomb killed two soldiers").
    Its country comes from where the event is placed, like the inferred police."""
    return Entity(entity_text="unidentified attackers", sector="UAF", inferred=True)
