"""The actor stage: mentions to entities (country, sector, office, name), with coreference.

`ActorResolver(nlp).for_document(doc)` gives a `DocumentActors` whose `resolve(token)` the event
stage calls for subjects, objects and prepositional phrases. `resolve_actor_text` is the same
resolution for one free-standing text, as `communique actors` uses it.
"""

from __future__ import annotations

from datetime import date

from spacy.language import Language

from communique.actors.knowledge import ActorKnowledge, actor_knowledge
from communique.actors.resolve import ActorResolver, DocumentActors
from communique.records import Entity

__all__ = [
    "ActorKnowledge",
    "ActorResolver",
    "DocumentActors",
    "actor_knowledge",
    "resolve_actor_text",
]


def resolve_actor_text(
    text: str,
    resolver: ActorResolver,
    nlp: Language,
    context: str | None = None,
    day: date | None = None,
) -> Entity | None:
    """The entity `text` names ("Russia's deputy foreign minister", "Hamas"), or None.

    With `context`, a passage that contains `text`, the text is resolved at its last occurrence
    there, so that the passage's countries and earlier names help ("the minister" after a
    sentence about Qatar). `day` is when the text was written: people hold the roles they
    held then (today when not given).
    """
    text = text.strip()
    if not text:
        return None
    if context and text in context:
        doc = nlp(context)
        start = context.rindex(text)
        span = doc.char_span(start, start + len(text), alignment_mode="expand")
        if span is not None:
            return resolver.for_document(doc, day).resolve(span.root)
    doc = nlp(text)
    return resolver.for_document(doc, day).resolve(doc[:].root)
