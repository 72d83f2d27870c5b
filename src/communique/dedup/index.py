"""`ClusterIndex`: incremental, deterministic clustering of event reports.

    index = ClusterIndex()
    assignments = index.add(reports)            # event id -> cluster id (+ linked clusters)
    index.cluster(assignments[0].cluster_id)    # id, canonical event, members, counts, span, links

    # later, in another process: rebuild from what the store kept, continue incrementally
    index = ClusterIndex.from_members(stored_pairs, stored_links)
    index.add(new_reports)

How a report finds its cluster. Clusters are filed under a blocking key (kind and type: "act
ASSAULT", "plan CONSULT", ...), a date bucket (`BUCKET_DAYS` days) and party tokens of their
members: each actor code, each recipient code, each code of either role, and "?" for a role
left empty or uncoded. A new report meets only the clusters of its kind and type in its date
window whose actors can match its actors and whose recipients can match its recipients (for
talks and cooperation, whose parties can match its parties either way round): adding N reports
costs about N x candidates, not N^2. Against each candidate the
report is compared (`compare.score_pair`) with the cluster's canonical report and the first
`MAX_COMPARED_MEMBERS - 1` other members in (date, id) order; the cluster's score is the best
of these, and the report joins the best-scoring cluster at or above `SAME_THRESHOLD` (ties: the
smaller cluster id), or founds a new cluster. Clusters never merge, so an event's cluster id
never changes once given.

Links. A plan (an AGREE with a planned act, or a future event) is linked, never merged, to the
clusters of the act it plans that `compare` finds linked (`LINK_THRESHOLD`); links are symmetric
and kept on both clusters.

Determinism and order. The same reports added in the same batches in the same order give the
same clusters, ids and links. Within one `add` call the order of the reports does not matter:
the batch is sorted first (dated before undated, then by first possible day, date precision,
event id), so a batch of documents gives one result however it is listed. Across calls the
result can depend on which batch came first (a report that fits two clusters joins the one that
existed first; a cluster's founding event fixes its id), as any incremental clustering that
never merges must; the evaluator measures how much (docs/dedup.md).

Idempotence. A report whose event id the index already holds changes nothing: `add` returns its
current assignment.

Cluster ids. `c-` and the first 16 hex digits of the SHA-256 of the founding event's id: stable
across runs and machines, the same for the same founding event.

Canonical event. Among the members, the first by: asserted acts before plans, hypotheticals and
denials; most complete (coded actor, coded recipient, place, precise place, mode, day-precision
date: one point each); most precise date; earliest date; earliest publication; smallest event
id. So the canonical report is the best-specified first report of the event.

Counts. `num_sources` counts distinct publishers (normalised names); a report with no publisher
counts its own document as a source. `num_articles` counts distinct documents.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from communique.dedup import rules
from communique.dedup.compare import Features, features_of, plan_and_act, same_kind, score_pair
from communique.dedup.compare import _link_dates_ok as link_dates_ok
from communique.dedup.report import EventReport, Party

_UNDATED = -1  # the bucket of clusters without dates
_WIDE = -2  # the bucket of clusters whose dates are wider than WIDE_DATE_DAYS
_NO_CODE = "?"


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where one added report went: its cluster, whether it founded it, and the clusters that
    cluster is linked to (a plan's acts, an act's plans) after the whole `add` call."""

    event_id: str
    cluster_id: str
    founded: bool
    linked_to: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Cluster:
    """A snapshot of one cluster."""

    id: str
    canonical_id: str
    member_ids: tuple[str, ...]  # in (date, id) order
    event: str  # the canonical report's type (PLOVER), e.g. "CONSULT" or "AGREE"
    kind: str  # act, plan, hypothetical or negated
    num_sources: int
    num_articles: int
    date_start: dt.date | None
    date_end: dt.date | None
    links: tuple[str, ...]


def cluster_id_for(event_id: str) -> str:
    """The id a cluster founded by `event_id` gets."""
    return "c-" + hashlib.sha256(event_id.encode("utf-8")).hexdigest()[:16]


def _member_order(f: Features) -> tuple[int, str]:
    return (f.lo if f.lo is not None else 1 << 40, f.event_id)


def _completeness(r: EventReport) -> int:
    points = 0
    points += any(p.code for p in r.actors)
    points += any(p.code for p in r.recipients)
    points += r.place is not None and (r.place.country is not None or r.place.precise)
    points += r.place is not None and r.place.precise
    points += r.mode is not None
    points += r.date_precision == "day"
    return points


_KIND_RANK = {"act": 0, "plan": 1, "hypothetical": 2, "negated": 3}


def _canonical_key(f: Features) -> tuple[int, int, int, int, int, str]:
    r = f.report
    asserted = 0 if (f.kind == "act" and r.status == "asserted") else 1
    return (
        asserted * 10 + _KIND_RANK[f.kind],
        -_completeness(r),
        f.precision_rank,
        f.lo if f.lo is not None else 1 << 40,
        r.published.toordinal() if r.published else 1 << 40,
        f.event_id,
    )


def _block(f: Features) -> str:
    return f"{f.kind} {f.type}"


def _buckets(lo: int | None, hi: int | None, wide: bool) -> range | tuple[int, ...]:
    if lo is None or hi is None:
        return (_UNDATED,)
    if wide:
        return (_WIDE,)
    return range(lo // rules.BUCKET_DAYS, hi // rules.BUCKET_DAYS + 1)


def _role_tokens(prefix: str, role: tuple[Party, ...]) -> set[str]:
    out = {f"{prefix}:{p.code}" for p in role if p.code}
    if not role or any(p.code is None for p in role):
        out.add(f"{prefix}:{_NO_CODE}")
    return out


def _tokens(f: Features) -> set[str]:
    """The party tokens a cluster is filed under: each actor code ("a:USA"), each recipient code
    ("r:UKR"), each code of either role ("p:USA"), and "?" for a role left empty or uncoded."""
    actors = _role_tokens("a", f.report.actors)
    recipients = _role_tokens("r", f.report.recipients)
    pooled = {"p:" + t[2:] for t in actors | recipients}
    return actors | recipients | pooled


def _role_keys(prefix: str, role: tuple[Party, ...]) -> set[str] | None:
    """The tokens a cluster must carry to be compatible with this role (None: any cluster is:
    the role is empty or holds a party without a code)."""
    if not role or any(p.code is None for p in role):
        return None
    return {f"{prefix}:{p.code}" for p in role} | {f"{prefix}:{_NO_CODE}"}


@dataclass
class _State:
    id: str
    members: list[Features] = field(default_factory=list)  # kept in _member_order
    sources: set[str] = field(default_factory=set)
    docs: set[str] = field(default_factory=set)
    links: set[str] = field(default_factory=set)
    lo: int | None = None
    hi: int | None = None
    canonical: Features | None = None
    filed: set[tuple[str, int, str]] = field(default_factory=set)
    buckets: set[tuple[str, int]] = field(default_factory=set)

    def add(self, f: Features) -> None:
        self.members.append(f)
        self.members.sort(key=_member_order)
        self.sources.add(f.report.source_key)
        self.docs.add(f.report.doc_id)
        if f.lo is not None and f.hi is not None:
            self.lo = f.lo if self.lo is None else min(self.lo, f.lo)
            self.hi = f.hi if self.hi is None else max(self.hi, f.hi)
        if self.canonical is None or _canonical_key(f) < _canonical_key(self.canonical):
            self.canonical = f

    def compared(self) -> list[Features]:
        """The canonical report and the first others in (date, id) order."""
        assert self.canonical is not None
        out = [self.canonical]
        for f in self.members:
            if len(out) >= rules.MAX_COMPARED_MEMBERS:
                break
            if f is not self.canonical:
                out.append(f)
        return out

    def snapshot(self) -> Cluster:
        canonical = self.canonical
        assert canonical is not None
        starts = [f.report.date for f in self.members if f.report.date]
        ends = [f.report.enddate or f.report.date for f in self.members if f.report.date]
        return Cluster(
            id=self.id,
            canonical_id=canonical.event_id,
            member_ids=tuple(f.event_id for f in self.members),
            event=canonical.report.event,
            kind=canonical.kind,
            num_sources=len(self.sources),
            num_articles=len(self.docs),
            date_start=min(starts) if starts else None,
            date_end=max(d for d in ends if d) if ends else None,
            links=tuple(sorted(self.links)),
        )


def _batch_order(f: Features) -> tuple[int, int, int, str]:
    return (
        1 if f.lo is None else 0,
        f.lo if f.lo is not None else 0,
        f.precision_rank,
        f.event_id,
    )


class ClusterIndex:
    """Clusters of event reports, grown one batch at a time (see the module docstring)."""

    def __init__(self) -> None:
        self._clusters: dict[str, _State] = {}
        self._of_event: dict[str, str] = {}
        # (block, bucket, party token) -> cluster ids, in filing order
        self._filed: dict[tuple[str, int, str], list[str]] = {}
        # (block, bucket) -> every cluster id filed there (for reports with no party code)
        self._by_bucket: dict[tuple[str, int], list[str]] = {}
        self._plan_blocks: set[str] = set()  # the blocks of plans seen ("plan CONSULT", ...)

    # ------------------------------------------------------------------ reading

    def __len__(self) -> int:
        """The number of clusters."""
        return len(self._clusters)

    def __contains__(self, event_id: object) -> bool:
        return event_id in self._of_event

    @property
    def num_events(self) -> int:
        return len(self._of_event)

    def cluster_of(self, event_id: str) -> str | None:
        """The id of the cluster holding `event_id`, or None."""
        return self._of_event.get(event_id)

    def cluster(self, cluster_id: str) -> Cluster:
        """A snapshot of one cluster (KeyError when the index has no such cluster)."""
        return self._clusters[cluster_id].snapshot()

    def clusters(self) -> Iterator[Cluster]:
        """Snapshots of every cluster, in id order."""
        for cid in sorted(self._clusters):
            yield self._clusters[cid].snapshot()

    def links(self) -> list[tuple[str, str]]:
        """Every link once, as (smaller id, larger id), sorted."""
        out = {
            (min(cid, other), max(cid, other))
            for cid, state in self._clusters.items()
            for other in state.links
        }
        return sorted(out)

    def members(self) -> Iterator[tuple[EventReport, str]]:
        """Every (report, cluster id) pair: what `from_members` rebuilds the index from."""
        for cid in sorted(self._clusters):
            for f in self._clusters[cid].members:
                yield f.report, cid

    # ------------------------------------------------------------------ building

    @classmethod
    def from_members(
        cls,
        members: Iterable[tuple[EventReport, str]],
        links: Iterable[tuple[str, str]] = (),
    ) -> ClusterIndex:
        """Rebuild an index from stored (report, cluster id) pairs and links between cluster ids,
        e.g. the clusters of the store that `match_window` says new reports may meet. A cluster's
        state depends only on its members, so the rebuilt index continues exactly as the one that
        made them would have. A link naming a cluster not loaded is kept."""
        index = cls()
        for report, cid in members:
            if report.event_id in index._of_event:
                continue
            state = index._clusters.get(cid)
            if state is None:
                state = index._clusters[cid] = _State(cid)
            f = features_of(report)
            state.add(f)
            index._of_event[report.event_id] = cid
        for cid in sorted(index._clusters):
            state = index._clusters[cid]
            for f in state.members:
                index._file(state, f)
        for a, b in links:
            for x, y in ((a, b), (b, a)):
                if x in index._clusters:
                    index._clusters[x].links.add(y)
        return index

    def add(self, reports: Iterable[EventReport]) -> list[Assignment]:
        """Cluster new reports; one assignment per report, in the order given (a repeated event id
        gets the one assignment of its first occurrence)."""
        given = list(reports)
        fresh: dict[str, Features] = {}
        for report in given:
            if report.event_id not in self._of_event and report.event_id not in fresh:
                fresh[report.event_id] = features_of(report)
        founded: set[str] = set()
        for f in sorted(fresh.values(), key=_batch_order):
            cid = self._best_cluster(f)
            if cid is None:
                cid = cluster_id_for(f.event_id)
                while cid in self._clusters:  # another founder hashed alike: vanishingly rare
                    cid = cluster_id_for(cid)
                self._clusters[cid] = _State(cid)
                founded.add(f.event_id)
            state = self._clusters[cid]
            state.add(f)
            self._of_event[f.event_id] = cid
            self._file(state, f)
            self._link(state, f)
        out = []
        for report in given:
            cid = self._of_event[report.event_id]
            out.append(
                Assignment(
                    event_id=report.event_id,
                    cluster_id=cid,
                    founded=report.event_id in founded,
                    linked_to=tuple(sorted(self._clusters[cid].links)),
                )
            )
        return out

    # ------------------------------------------------------------------ internals

    def _file(self, state: _State, f: Features) -> None:
        block = _block(f)
        if f.kind == "plan":
            self._plan_blocks.add(block)
        tokens = _tokens(f)
        for bucket in _buckets(f.lo, f.hi, f.wide):
            key2 = (block, bucket)
            if key2 not in state.buckets:
                state.buckets.add(key2)
                self._by_bucket.setdefault(key2, []).append(state.id)
            for token in tokens:
                key = (block, bucket, token)
                if key not in state.filed:
                    state.filed.add(key)
                    self._filed.setdefault(key, []).append(state.id)

    def _lookup(self, block: str, bucket: int, keys: set[str]) -> set[str]:
        found: set[str] = set()
        for key in keys:
            found.update(self._filed.get((block, bucket, key), ()))
        return found

    def _candidates(
        self, f: Features, blocks: Iterable[str], lo: int | None, hi: int | None, wide: bool
    ) -> list[str]:
        """Clusters of these blocks in the date window whose parties may match the report's."""
        r = f.report
        if f.type in rules.SYMMETRIC_TYPES:
            pooled = (*r.actors, *r.recipients)
            need: list[set[str]] = []
            keys = _role_keys("p", pooled)
            if keys is not None and not any(p.code is None for p in pooled):
                need.append(keys)
        else:
            need = [k for k in (_role_keys("a", r.actors), _role_keys("r", r.recipients)) if k]
        seen: set[str] = set()
        for block in blocks:
            for bucket in _buckets(lo, hi, wide):
                if not need:
                    seen.update(self._by_bucket.get((block, bucket), ()))
                    continue
                found = self._lookup(block, bucket, need[0])
                for keys in need[1:]:
                    found &= self._lookup(block, bucket, keys)
                seen |= found
        return sorted(seen)

    def _same_blocks(self, f: Features) -> list[str]:
        blocks = [_block(f)]
        if f.kind == "plan":
            blocks.append("act AGREE")
        elif f.kind == "act" and f.type == "AGREE" and not f.report.planned:
            blocks.extend(sorted(self._plan_blocks))
        return blocks

    def _window(self, f: Features) -> tuple[int | None, int | None]:
        if f.lo is None or f.hi is None:
            return f.lo, f.hi
        tol = rules.DATE_TOLERANCE_DAYS
        return f.lo - tol, f.hi + tol

    def _best_cluster(self, f: Features) -> str | None:
        lo, hi = self._window(f)
        best: tuple[float, str] | None = None
        for cid in self._candidates(f, self._same_blocks(f), lo, hi, f.wide):
            state = self._clusters[cid]
            if (
                lo is not None
                and hi is not None
                and state.lo is not None
                and state.hi is not None
                and (state.hi < lo or state.lo > hi)
            ):
                continue  # filed in a bucket of the window, but every member is outside it
            score = 0.0
            for member in state.compared():
                ok, penalty = same_kind(f, member)
                if not ok:
                    continue
                s, _ = score_pair(f, member)
                if s:
                    score = max(score, s - penalty)
            if score >= rules.SAME_THRESHOLD and (
                best is None or score > best[0] or (score == best[0] and cid < best[1])
            ):
                best = (score, cid)
        return best[1] if best else None

    def _link(self, state: _State, f: Features) -> None:
        if f.kind == "plan":
            block = f"act {f.type}"
            if f.lo is None or f.hi is None:
                return
            if f.report.date_precision in ("reported", None):
                lo, hi = f.hi - rules.DATE_TOLERANCE_DAYS, f.hi + rules.LINK_HORIZON_DAYS
            else:
                lo, hi = f.lo, f.hi + rules.DATE_TOLERANCE_DAYS
        elif f.kind == "act":
            block = f"plan {f.type}"
            if f.lo is None or f.hi is None or block not in self._plan_blocks:
                return
            lo, hi = f.lo - rules.LINK_HORIZON_DAYS - 1, f.hi + rules.DATE_TOLERANCE_DAYS
        else:
            return
        for cid in self._candidates(f, [block], lo, hi, f.wide):
            if cid == state.id or cid in state.links:
                continue
            other = self._clusters[cid]
            for member in other.compared():
                pair = plan_and_act(f, member)
                if pair is None or not link_dates_ok(*pair):
                    continue
                s, _ = score_pair(pair[0], pair[1], linking=True)
                if s >= rules.LINK_THRESHOLD:
                    state.links.add(cid)
                    other.links.add(state.id)
                    break


def match_window(reports: Iterable[EventReport]) -> tuple[dt.date, dt.date] | None:
    """The dates a store must load clusters for so that `add(reports)` meets every cluster those
    reports could join or link to: load each cluster whose date span meets this window (and the
    undated clusters, when a report has no date). None when no report has a date."""
    los: list[int] = []
    his: list[int] = []
    for report in reports:
        f = features_of(report)
        if f.lo is None or f.hi is None:
            continue
        los.append(f.lo)
        his.append(f.hi)
    if not los:
        return None
    reach = rules.DATE_TOLERANCE_DAYS + rules.REPORTED_LOOKBACK_DAYS + rules.LINK_HORIZON_DAYS + 1
    # clamped to the calendar: a record may carry any date, year 1 or 9999 included
    first, last = dt.date.min.toordinal(), dt.date.max.toordinal()
    return (
        dt.date.fromordinal(max(first, min(los) - reach)),
        dt.date.fromordinal(min(last, max(his) + reach)),
    )
