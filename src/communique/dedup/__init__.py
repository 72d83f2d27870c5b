"""Cross-document deduplication: one real-world event, however many outlets report it.

    from communique.dedup import ClusterIndex, report_of

    index = ClusterIndex()
    for assignment in index.add(report_of(record) for record in records):
        print(assignment.event_id, assignment.cluster_id, assignment.linked_to)
    cluster = index.cluster(assignment.cluster_id)   # canonical event, members, num_sources ...

- `report_of(record) -> EventReport`: what clustering reads of an `EventRecord`
  (`communique.dedup.report`).
- `compare(a, b) -> Comparison`: one event (`same`), a plan and its act (`linked`), or
  `different`, with the score and the reason (`communique.dedup.compare`; the thresholds and
  tables are in `communique.dedup.rules`).
- `ClusterIndex`: incremental, deterministic clustering with blocking; `add`, `from_members`,
  `cluster`, `clusters`, `links`, `members`; `match_window(reports)` says which stored clusters
  to load before adding (`communique.dedup.index`).
- `communique.dedup.evaluate`: precision and recall on labelled pairs
  (`python -m communique.dedup.evaluate eval/dedup-pairs.jsonl --split dev`).

docs/dedup.md describes the rules, the labelled set and the measured figures. Importing this
package loads no model and reads no file.
"""

from __future__ import annotations

from communique.dedup.compare import Comparison, compare
from communique.dedup.index import Assignment, Cluster, ClusterIndex, cluster_id_for, match_window
from communique.dedup.report import EventReport, Party, Place, report_from_dict, report_of

__all__ = [
    "Assignment",
    "Cluster",
    "ClusterIndex",
    "Comparison",
    "EventReport",
    "Party",
    "Place",
    "cluster_id_for",
    "compare",
    "match_window",
    "report_from_dict",
    "report_of",
]
