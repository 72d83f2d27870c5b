"""A brief's content, from the store: the events the filter selects, clustered across documents
(`communique.dedup`), grouped by dyad and then by PLOVER type, ordered by corroboration."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace

import duckdb

from communique.charts import readable_freq
from communique.countries import country_name
from communique.dedup import ClusterIndex, report_of
from communique.records import Entity, EventRecord
from communique.store import EventFilter
from communique.store.clusters import StoredCluster, stored_clusters
from communique.store.explore import document_meta, records_matching, series

# What a status says to a reader of the brief.
STATUS_WORDS = {
    "asserted": "reported",
    "future": "planned",
    "hypothetical": "conditional",
    "negated": "denied",
    "historical": "past",
}


@dataclass(frozen=True)
class Citation:
    """One document that reports a statement's event, and the sentence it does so in."""

    doc_id: str
    event_id: str
    title: str | None
    source: str | None
    url: str | None
    published: str | None
    sentence: str


@dataclass
class Statement:
    """One real-world event: the sentence that reports it best, quoted, and every report of it."""

    cluster_id: str
    event: str
    quad: int
    status: str  # the canonical record's status
    sentence: str  # verbatim from the canonical report's document
    date: str | None
    enddate: str | None
    speaker: str | None  # who says so, when the sentence attributes it
    cue: str | None
    num_sources: int
    num_articles: int
    citations: list[Citation]
    planned: str | None = None  # the act an AGREE promises: "CONSULT" for a planned visit
    linked: list[str] = field(default_factory=list)  # e.g. "planned consult, 2024-03-05 (1 source)"

    @property
    def status_words(self) -> str:
        words = STATUS_WORDS.get(self.status, self.status)
        if self.speaker:
            words += f", says {self.speaker}" + (f" ({self.cue})" if self.cue else "")
        return words

    @property
    def when(self) -> str:
        if self.date and self.enddate and self.enddate != self.date:
            return f"{self.date} to {self.enddate}"
        return self.date or "undated"


@dataclass
class Topic:
    event: str
    statements: list[Statement]


@dataclass
class Section:
    """One dyad (actor -> recipient) and what passed between them, by type."""

    actor: str
    recipient: str
    topics: list[Topic]

    @property
    def num_sources(self) -> int:
        return sum(s.num_sources for t in self.topics for s in t.statements)

    @property
    def best_sources(self) -> int:
        """The sources of its most corroborated statement: what orders sections first."""
        return max((s.num_sources for t in self.topics for s in t.statements), default=0)

    @property
    def title(self) -> str:
        return f"{self.actor} → {self.recipient}" if self.recipient else self.actor


@dataclass
class Brief:
    title: str
    since: str | None
    until: str | None
    events: int  # event records the filter selects
    clusters: int  # real-world events they report
    documents: int
    sources: int
    sections: list[Section]
    series: list[dict[str, object]]  # counts per period and quad, for the chart
    freq: str
    left_out: int  # clusters past the limits

    @property
    def period(self) -> str:
        if self.since or self.until:
            return f"{self.since or 'the start'} to {self.until or 'the latest event'}"
        return "all stored events"


def _side(entities: list[Entity]) -> tuple[str, str]:
    """A side's grouping key (its codes) and label: "Russia (RUS)", or a name without a code."""
    codes = sorted({e.code for e in entities if e.code})
    if codes:
        names = [f"{country_name(c)} ({c})" if country_name(c) else c for c in codes]
        return "/".join(codes), ", ".join(names)
    names = list(dict.fromkeys(e.identifier_text or e.entity_text for e in entities))
    return "", ", ".join(n for n in names if n)


def _groups(
    con: duckdb.DuckDBPyConnection, records: list[EventRecord]
) -> tuple[list[StoredCluster], list[tuple[str, str]]]:
    """The selected events as real-world events. Events the store has clustered take their
    stored cluster, with every report of it (a corroborating report the filters left out is
    still cited) and its counts, as `communique events --unique` sees them; the others (a
    store not yet clustered, Spark's Parquet) are clustered here, among themselves."""
    stored = stored_clusters(con, [r.id for r in records])
    groups = list(stored.clusters)
    links = list(stored.links)
    rest = [r for r in records if r.id not in stored.placed]
    if rest:
        by_id = {r.id: r for r in rest}
        index = ClusterIndex()
        index.add(report_of(r) for r in sorted(rest, key=lambda r: (r.date or "", r.id)))
        for cluster in index.clusters():
            members = [by_id[m] for m in cluster.member_ids]
            groups.append(
                StoredCluster(cluster.id, by_id[cluster.canonical_id], members,
                              cluster.num_sources, cluster.num_articles)
            )  # fmt: skip
        links += index.links()
    return groups, links


def build_brief(
    con: duckdb.DuckDBPyConnection,
    flt: EventFilter,
    *,
    title: str = "Brief",
    max_sections: int = 20,
    max_statements: int = 8,
) -> Brief:
    """The brief of the events `flt` selects (negated ones included unless the filter says
    otherwise: a denial is news). Sections are ordered by the sources behind them, and so are
    the statements within a topic."""
    if not flt.status:
        flt = replace(flt, status=("all",))
    records = records_matching(con, flt)
    groups, links = _groups(con, records)
    meta = document_meta(con, sorted({m.doc_id for g in groups for m in g.members}))
    statements: dict[str, Statement] = {}
    for group in groups:
        canonical = group.canonical
        speaker = canonical.attribution.speaker if canonical.attribution else None
        statements[group.id] = Statement(
            cluster_id=group.id,
            event=canonical.event,
            quad=canonical.quad_code,
            status=canonical.status,
            sentence=canonical.text,
            date=canonical.date,
            enddate=canonical.enddate,
            speaker=(speaker.identifier_text or speaker.entity_text) if speaker else None,
            cue=canonical.attribution.cue if canonical.attribution else None,
            num_sources=group.num_sources,
            num_articles=group.num_articles,
            citations=[_citation(m, meta) for m in group.members],
            planned=canonical.planned.event if canonical.planned else None,
        )
    for first, second in links:
        for one, other in ((first, second), (second, first)):
            if one in statements and other in statements:
                linked = statements[other]
                statements[one].linked.append(
                    f"{STATUS_WORDS.get(linked.status, linked.status)} "
                    f"{(linked.planned or linked.event).lower()}, "
                    f"{linked.when} ({linked.num_sources} source"
                    f"{'' if linked.num_sources == 1 else 's'})"
                )
    canonical_of = {g.id: g.canonical for g in groups}
    grouped: dict[tuple[str, str], dict[str, list[Statement]]] = defaultdict(
        lambda: defaultdict(list)
    )
    labels: dict[tuple[str, str], tuple[str, str]] = {}
    for cluster_id, statement in statements.items():
        canonical = canonical_of[cluster_id]
        (actor_key, actor), (recipient_key, recipient) = (
            _side(canonical.actor),
            _side(canonical.recipient),
        )
        key = (actor_key or actor, recipient_key or recipient)
        labels.setdefault(key, (actor, recipient))
        grouped[key][statement.event].append(statement)
    sections = []
    for key, topics in grouped.items():
        ordered = []
        for event, items in topics.items():
            items.sort(key=lambda s: (-s.num_sources, -s.num_articles, s.date or "", s.cluster_id))
            ordered.append(Topic(event, items))
        ordered.sort(key=lambda t: (-t.statements[0].num_sources, -len(t.statements), t.event))
        actor, recipient = labels[key]
        sections.append(Section(actor or "unknown actor", recipient, ordered))
    sections.sort(key=lambda s: (-s.best_sources, -s.num_sources, s.title))
    shown, left_out = _limit(sections, max_sections, max_statements)
    days = [dt.date.fromisoformat(r.date[:10]) for r in records if r.date and len(r.date) >= 10]
    freq = readable_freq(min(days, default=None), max(days, default=None))
    return Brief(
        title=title,
        since=flt.since,
        until=flt.until,
        events=sum(len(g.members) for g in groups),
        clusters=len(statements),
        documents=len({m.doc_id for g in groups for m in g.members}),
        sources=len({m.cite_info.publication or m.doc_id for g in groups for m in g.members}),
        sections=shown,
        series=list(series(con, flt, freq, "quad")),
        freq=freq,
        left_out=left_out,
    )


def _limit(sections: list[Section], most: int, per_topic: int) -> tuple[list[Section], int]:
    left_out = sum(len(t.statements) for s in sections[most:] for t in s.topics)
    for section in sections[:most]:
        for topic in section.topics:
            left_out += max(0, len(topic.statements) - per_topic)
            del topic.statements[per_topic:]
    return sections[:most], left_out


def _citation(record: EventRecord, meta: dict[str, dict[str, str | None]]) -> Citation:
    doc = meta.get(record.doc_id, {})
    return Citation(
        doc_id=record.doc_id,
        event_id=record.id,
        title=doc.get("title") or record.cite_info.title,
        source=doc.get("source") or record.cite_info.publication,
        url=doc.get("url") or record.cite_info.url,
        published=doc.get("date") or record.cite_info.publication_date,
        sentence=record.text,
    )
