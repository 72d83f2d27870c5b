"""The extension points between stages: what the event stage hands to places, dates and attribution.

An `EventAnchor` says where in a parsed document an event was found. The places, dates and
attribution stages each take a parsed `Doc`, the anchors and a `DocumentContext`, and return one
value per anchor; none of them reaches into the event stage's internals.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from communique.records import Document, Entity


@dataclass(frozen=True)
class EventAnchor:
    """Where an event sits in the parsed document (token indices into the `Doc`)."""

    trigger: int  # the head token of the trigger: "visit" in "his upcoming visit to Doha"
    trigger_end: int  # one past the last trigger token ("held talks": talks is the trigger head)
    sent_start: int  # the sentence's first token
    sent_end: int  # one past the sentence's last token
    status: str  # asserted, future, hypothetical, negated, historical


# Resolves a token (a pronoun, a name, a title) to the entity it refers to in this document,
# through the actor stage's coreference; None when it names no actor.
EntityResolver = Callable[[Token], Entity | None]


@dataclass
class DocumentContext:
    """What every stage may know about the document as a whole."""

    document: Document
    doc: Doc
    resolve_entity: EntityResolver
    countries: tuple[str, ...] = ()  # ISO3 codes mentioned in the document, most frequent first
