"""Parties named inside noun phrases: conjoined parties ("France and Germany", "U.S. and
Russian negotiators"), the party behind a thing that is no actor itself ("calls by Belarus's
rulers", "German goods") and whom a thing given is for ("an arms package for Taiwan").

Shared by `parties` (sources and targets) and `reported` (reported acts).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from spacy.tokens import Token

from communique.records import Entity

Resolve = Callable[[Token], Entity | None]

# Prepositions that lead from a thing to the party behind it ("calls by X", "relations with X").
BEHIND_PREPS = frozenset(
    {"by", "from", "of", "with", "against", "on", "to", "toward", "towards", "into", "in", "over"}
    | {"between"}  # "a mediation mission between Syria and the PLO"
)


def party_behind(thing: Token, resolve: Resolve, depth: int = 2) -> list[Entity]:
    """The party behind or before a thing that is no actor itself: "calls by Belarus's rulers",
    "an offer from Afghanistan", "Serbia's suppression", "relations with Russia", "German goods",
    "the city of Kirkuk", "crimes committed by Croat forces"."""
    if found := qualifier_party(thing, resolve):
        return found
    for child in thing.children:
        if child.dep_ == "acl" and child.tag_ == "VBN":
            # "crimes committed by Croat forces", "property seized by government forces"
            for agent in (a for a in child.children if a.dep_ == "agent"):
                for pobj in (p for p in agent.children if p.dep_ == "pobj"):
                    if found := with_conjuncts(pobj, resolve):
                        return found
        if child.dep_ == "prep" and child.lower_ in BEHIND_PREPS:
            for pobj in child.children:
                if pobj.dep_ != "pobj":
                    continue
                found = with_conjuncts(pobj, resolve)
                if not found and depth > 1:
                    found = party_behind(pobj, resolve, depth - 1)
                if found:
                    return found
    return []


def beneficiary(thing: Token, resolve: Resolve) -> list[Entity]:
    """Whom a thing given is for: "an arms package for Taiwan", "aid for Gaza"."""
    for prep in (c for c in thing.children if c.dep_ == "prep" and c.lower_ == "for"):
        for pobj in (p for p in prep.children if p.dep_ == "pobj"):
            if found := with_conjuncts(pobj, resolve):
                return found
    return []


def qualifier_party(thing: Token, resolve: Resolve) -> list[Entity]:
    """The party a thing's own qualifiers name: its possessor, a nationality or organisation
    before it, or a sector noun ("Serbia's suppression", "German goods", "a police outpost")."""
    for child in thing.children:
        if child.dep_ == "poss" and child.pos_ != "PRON":
            if found := with_conjuncts(child, resolve):
                return found
        if child.dep_ in ("amod", "compound") and child.ent_type_ in ("NORP", "GPE", "ORG"):
            if found := with_conjuncts(child, resolve):
                return found  # "German goods", "a Hamas offer", "a Security Council resolution"
        if child.dep_ == "compound" and child.pos_ == "NOUN":
            found = with_conjuncts(child, resolve)
            if any(e.sector for e in found):
                return found  # "a police outpost", "an army convoy": the police's, the army's
    return []


def with_conjuncts(head: Token, resolve: Resolve) -> list[Entity]:
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
