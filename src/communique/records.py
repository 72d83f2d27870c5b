"""The typed records that flow between stages and out of the coder.

`EventRecord` is the contract other tools rely on (see docs/records.md): field names follow the
PLOVER 2.0 manual where it has one. Every record carries `SCHEMA_VERSION` in its `cite_info`, so a
reader can tell which layout it holds. Records are plain dataclasses: cheap to build in the hot
path, and `to_dict` / `from_dict` give the JSON shape.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

SCHEMA_VERSION = "1.0"
CODEBOOK = "PLOVER 2.0"

Status = Literal["asserted", "future", "hypothetical", "negated", "historical"]
STATUSES: tuple[str, ...] = ("asserted", "future", "hypothetical", "negated", "historical")
DatePrecision = Literal["day", "week", "month", "year", "reported"]

PLOVER_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE",
    "COOPERATE", "AID", "RETREAT",
    "REQUEST", "ACCUSE", "REJECT", "THREATEN",
    "SANCTION", "PROTEST", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip
QUAD_OF_TYPE: dict[str, int] = {
    **dict.fromkeys(("AGREE", "CONSULT", "SUPPORT", "CONCEDE"), 1),
    **dict.fromkeys(("COOPERATE", "AID", "RETREAT"), 2),
    **dict.fromkeys(("REQUEST", "ACCUSE", "REJECT", "THREATEN"), 3),
    **dict.fromkeys(("SANCTION", "PROTEST", "MOBILIZE", "COERCE", "ASSAULT"), 4),
}


@dataclass
class Document:
    """One input document, as read by `communique.ingest` and before any parsing."""

    id: str
    text: str
    date: str | None = None  # YYYY-MM-DD publication date; None when unknown (never invented)
    url: str | None = None
    title: str | None = None
    source: str | None = None  # publication or the briefing's "(attribution: ...)" line
    language: str | None = None
    content_hash: str = ""  # sha256 of the text: the idempotency key of the store
    origin: str | None = None  # file path (and row) it came from, for messages
    cut_at: int | None = None  # the text was longer than max_chars: this many were kept


@dataclass
class Skip:
    """A document that could not be coded, and why. Nothing is dropped silently."""

    doc_id: str
    reason: str  # short machine-readable reason: empty, binary, undecodable, not-english, ...
    detail: str = ""  # a sentence for people: what was wrong and what to do
    origin: str | None = None


@dataclass
class Entity:
    """An actor or recipient: who, as PLOVER codes it."""

    entity_text: str
    code: str | None = None  # ISO 3166 alpha-3, or IGO/UNO/EUR/NGO/ISM/IMG/MNC
    sector: str | None = None  # GOV MIL REB COP ...
    office: str | None = None  # "deputy foreign minister"
    identifier_text: str | None = None  # canonical name: "Mikhail Bogdanov", "Hamas"
    identifier_id: str | None = None  # stable id where one is known (Wikidata Q-id)
    # True when the text names no such party and the coder supplied it: the police of an arrest
    # nobody is said to make ("two men were arrested in Lahore"); `entity_text` is then the
    # coder's name for it, not words of the sentence.
    inferred: bool = False

    @property
    def seat(self) -> bool:
        """A city standing for the government seated there ("visit Doha", "Moscow warned")."""
        return (self.identifier_text or "").startswith(SEAT_PREFIX)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entity:
        found = {f.name: data[f.name] for f in fields(cls) if f.name in data}
        found["inferred"] = bool(found.get("inferred"))  # stores of schema 4 say NULL
        return cls(**found)


# The canonical name of a seat of government: "government of Qatar" for "Doha".
SEAT_PREFIX = "government of "


@dataclass
class Location:
    """Where an event happened, resolved against the gazetteer."""

    extracted_place: str
    resolved_place: str | None = None
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    country_code: str | None = None  # ISO 3166 alpha-3
    feature_code: str | None = None  # GeoNames feature code: PPLC, PCLI, ADM1 ...
    resolution: str | None = None  # country, region or city
    basis: str | None = None  # trigger, sentence or document: how the place was chosen

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Location:
        return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})


@dataclass
class Attribution:
    """Who says the event happened: the speaker, the cue verb and the reported span."""

    speaker: Entity | None = None
    cue: str | None = None
    quote: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Attribution:
        speaker = data.get("speaker")
        return cls(
            speaker=Entity.from_dict(speaker) if speaker else None,
            cue=data.get("cue"),
            quote=data.get("quote"),
        )


@dataclass
class TextSpan:
    """A place in the document: sentence number and character offsets."""

    sequence: int
    start: int
    end: int


@dataclass
class PlannedAct:
    """For a future or hypothetical AGREE: the act that is intended."""

    event: str
    mode: str | None = None


@dataclass
class CiteInfo:
    url: str | None = None
    title: str | None = None
    publication: str | None = None
    language: str | None = None
    publication_date: str | None = None
    codebook: str = CODEBOOK
    coder: str = "communique"
    version: str = ""  # coder version, filled by the pipeline
    schema_version: str = SCHEMA_VERSION


@dataclass
class EventRecord:
    """One coded event. See docs/records.md for each field."""

    id: str
    doc_id: str
    event: str
    quad_code: int
    mode: str | None = None
    context: list[str] = field(default_factory=list)
    cameo: str | None = None
    status: str = "asserted"
    planned: PlannedAct | None = None
    actor: list[Entity] = field(default_factory=list)
    recipient: list[Entity] = field(default_factory=list)
    date: str | None = None
    enddate: str | None = None
    date_precision: str | None = None
    event_loc: Location | None = None
    event_text: str = ""
    text: str = ""
    text_info: TextSpan | None = None
    mentions: list[TextSpan] = field(default_factory=list)
    attribution: Attribution | None = None
    cite_info: CiteInfo = field(default_factory=CiteInfo)
    confidence: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EventRecord:
        """Rebuild a record from `to_dict` output (or its JSON)."""
        planned = data.get("planned")
        loc = data.get("event_loc")
        info = data.get("text_info")
        attribution = data.get("attribution")
        cite = data.get("cite_info") or {}
        return cls(
            id=data["id"],
            doc_id=data["doc_id"],
            event=data["event"],
            quad_code=int(data["quad_code"]),
            mode=data.get("mode"),
            context=list(data.get("context") or []),
            cameo=data.get("cameo"),
            status=data.get("status") or "asserted",
            planned=PlannedAct(**planned) if planned else None,
            actor=[Entity.from_dict(e) for e in data.get("actor") or []],
            recipient=[Entity.from_dict(e) for e in data.get("recipient") or []],
            date=data.get("date"),
            enddate=data.get("enddate"),
            date_precision=data.get("date_precision"),
            event_loc=Location.from_dict(loc) if loc else None,
            event_text=data.get("event_text") or "",
            text=data.get("text") or "",
            text_info=TextSpan(**info) if info else None,
            mentions=[TextSpan(**m) for m in data.get("mentions") or []],
            attribution=Attribution.from_dict(attribution) if attribution else None,
            cite_info=CiteInfo(
                **{f.name: cite[f.name] for f in fields(CiteInfo) if f.name in cite}
            ),
            confidence=float(data.get("confidence") or 0.0),
        )


@dataclass
class EventDate:
    """The time an event falls in: output of the dates stage."""

    date: str | None = None
    enddate: str | None = None
    precision: str | None = None  # day, week, month, year or reported


@dataclass
class BatchResult:
    """What `code_batch` returns: records, the documents coded, and those skipped."""

    records: list[EventRecord] = field(default_factory=list)
    coded: list[Document] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
