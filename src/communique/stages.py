"""The stage contract: one shape for every stage, over a typed draft of the event.

The coder is a list of stages run in order on one parsed document (`Coder.stages`):

    events -> mentions -> confidence -> places -> dates -> attribution

Every stage is a `Stage`: it has a `name` and is called as `stage(context, drafts) -> drafts`.

- `DocumentContext` is what a stage may know about the document as a whole: the `Document`, the
  spaCy `Doc`, the actor stage's entity resolver, the countries the document mentions, and
  per-document caches (`context.memo`). It is built once per document, before the first stage.
- `EventDraft` is one event as it travels between stages. It holds no spaCy objects: a stage that
  needs the parse rebuilds tokens from the draft's indices (`context.doc[draft.trigger]`), so
  drafts can be copied, compared, logged and scored without keeping a `Doc` alive, and a stage
  never depends on another stage's internals.
- A stage returns the drafts that go on: it may drop drafts, add them, or return changed copies
  (`dataclasses.replace`); it should not change the drafts it was given in place, since the caller
  may still hold them. Order is text order of the lead mentions unless a stage says otherwise.

Where each field is filled:

- events: the where (token indices and character offsets), the what (event, mode, CAMEO code,
  status, plan, actors, recipients, event text) and a rule confidence;
- mentions: merges drafts of one event into one lead draft whose `others` are its other mentions
  (and fills the lead's missing parties from them); drafts nobody did are dropped, and an
  attack nobody is said to make gets an inferred unidentified armed force as its actor;
- confidence: drops drafts under the configured minimum confidence;
- places: `location`, choosing across mentions, and the country of parties named only by role;
- dates: `date`, the most precise any mention gives;
- attribution: `attribution`, of the lead mention.

A learned typing stage plugs in right after `events`, before mentions are merged: it sees every
candidate with its trigger and sentence (`draft.start_char`/`end_char` inside
`context.doc.text[draft.sent_start_char:draft.sent_end_char]`), and may retype a draft
(`replace(draft, event=..., mode=..., cameo=..., confidence=...)`; `quad` follows `event`), drop
it as no event, or add drafts the rules missed. Inserting it is one line in `Coder.__init__`.
A stage that is cheaper over many documents (one model call for all) is also a `BatchStage`:
the coder then runs it once per chunk of parsed documents, with the same result per document.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar, cast, runtime_checkable

from spacy.tokens import Doc, Span, Token

from communique.records import (
    QUAD_OF_TYPE,
    Attribution,
    Document,
    Entity,
    EventDate,
    Location,
    PlannedAct,
)

__all__ = [
    "BatchStage",
    "ConfidenceFloor",
    "DocumentContext",
    "EntityResolver",
    "EventAnchor",
    "EventDraft",
    "Stage",
]

T = TypeVar("T")


@dataclass(frozen=True)
class EventAnchor:
    """Where one mention of an event sits in the parsed document (token indices into the `Doc`).

    The per-mention functions of the places, dates and attribution stages (`locate`,
    `event_date`, `attribute`) take an anchor, so that they can be called on any mention.
    """

    trigger: int  # the head token of the trigger: "visit" in "his upcoming visit to Doha"
    trigger_end: int  # one past the last trigger token ("held talks": talks is the trigger head)
    sent_start: int  # the sentence's first token
    sent_end: int  # one past the sentence's last token
    status: str  # asserted, future, hypothetical, negated, historical


@dataclass
class EventDraft:
    """One event between stages: plain values only, never spaCy objects."""

    # Where: token indices into `context.doc`, character offsets into `context.doc.text`.
    trigger: int  # the trigger's head token
    trigger_end: int  # one past the trigger's last token
    carrier: int  # the verb that carries the event: the trigger itself or its light verb
    sent_start: int  # the sentence's first token
    sent_end: int  # one past the sentence's last token
    sentence: int  # the sentence's number in the document, from 0
    start_char: int  # the trigger's first character
    end_char: int  # one past the trigger's last character
    sent_start_char: int
    sent_end_char: int
    # What.
    event: str  # PLOVER type
    mode: str | None
    cameo: str | None
    status: str  # asserted, future, hypothetical, negated, historical
    planned: PlannedAct | None
    trigger_pos: str  # VERB or NOUN: how the trigger was read (a noun needs a carrier or party)
    actors: list[Entity] = field(default_factory=list)
    recipients: list[Entity] = field(default_factory=list)
    event_text: str = ""
    confidence: float = 0.0
    # Filled by later stages.
    others: list[EventDraft] = field(default_factory=list)  # the other mentions of this event
    location: Location | None = None
    date: EventDate | None = None
    attribution: Attribution | None = None

    @property
    def quad(self) -> int:
        """The PLOVER quad class; derived from `event` so that retyping cannot leave it stale."""
        return QUAD_OF_TYPE[self.event]

    @property
    def anchor(self) -> EventAnchor:
        return EventAnchor(
            self.trigger, self.trigger_end, self.sent_start, self.sent_end, self.status
        )

    @property
    def mentions(self) -> list[EventDraft]:
        """This mention (the lead) and the others, in that order."""
        return [self, *self.others]


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
    _memo: dict[object, object] = field(default_factory=dict, repr=False, compare=False)

    @property
    def text(self) -> str:
        """The parsed text. Read this, not `doc.text`: spaCy rebuilds that from every token on
        each access, which made long documents quadratic."""
        return self.memo(_parsed_text)

    @property
    def sentence_numbers(self) -> dict[int, int]:
        """Each sentence's first token -> the sentence's number, from 0."""
        return self.memo(_sentence_numbers)

    @property
    def entities(self) -> tuple[Span, ...]:
        """`doc.ents`, built once (spaCy builds the tuple anew on each access)."""
        return self.memo(_entities)

    def memo(self, compute: Callable[[DocumentContext], T]) -> T:
        """`compute(self)`, computed once per document: a per-document cache that stages share
        (the places of the document, say) without a field for each."""
        if compute not in self._memo:
            self._memo[compute] = compute(self)
        return cast(T, self._memo[compute])


def _parsed_text(context: DocumentContext) -> str:
    return context.doc.text


def _entities(context: DocumentContext) -> tuple[Span, ...]:
    return tuple(context.doc.ents)


def _sentence_numbers(context: DocumentContext) -> dict[int, int]:
    return {sent.start: number for number, sent in enumerate(context.doc.sents)}


class Stage(Protocol):
    """One step of the coder: `(context, drafts) -> drafts` (see the module docstring)."""

    @property
    def name(self) -> str: ...

    def __call__(self, context: DocumentContext, drafts: list[EventDraft]) -> list[EventDraft]: ...


@runtime_checkable
class BatchStage(Stage, Protocol):
    """A stage that is cheaper on several documents at once (the learned typer: one model call
    for the candidates of all). `run_batch` must give, for each (context, drafts) pair in order,
    what `stage(context, drafts)` gives; the coder calls it on chunks of parsed documents."""

    def run_batch(
        self, items: Sequence[tuple[DocumentContext, list[EventDraft]]]
    ) -> list[list[EventDraft]]: ...


@dataclass(frozen=True)
class ConfidenceFloor:
    """Drops drafts under the configured minimum confidence (after merging, so that a weak
    mention can still lend its parties to a strong one)."""

    minimum: float
    name: str = "confidence"

    def __call__(self, context: DocumentContext, drafts: list[EventDraft]) -> list[EventDraft]:
        return [draft for draft in drafts if draft.confidence >= self.minimum]
