"""code_batch(documents) -> records: the stages in order, nothing else.

`Coder` holds the loaded spaCy pipeline and the stage resources (lexicons, gazetteer); build it
once per process (or Spark worker) and feed it documents. `Coder.code` streams one
`DocumentResult` per input item, in input order, so that callers (the CLI, the store, the Spark
runner) can write results as they come.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from communique.config import Config
from communique.records import BatchResult, Document, EventRecord, Skip


@dataclass
class DocumentResult:
    """The outcome for one input item: its events, or the reason it was skipped."""

    document: Document | None
    skip: Skip | None = None
    records: list[EventRecord] = field(default_factory=list)


class Coder:
    def __init__(self, config: Config | None = None) -> None:
        raise NotImplementedError  # being written

    def code(self, items: Iterable[Document | Skip]) -> Iterator[DocumentResult]:
        raise NotImplementedError


def code_batch(items: Iterable[Document | Skip], config: Config | None = None) -> BatchResult:
    """Code documents and collect every record and skip."""
    coder = Coder(config)
    result = BatchResult()
    for outcome in coder.code(items):
        if outcome.skip is not None:
            result.skipped.append(outcome.skip)
        elif outcome.document is not None:
            result.coded.append(outcome.document)
            result.records.extend(outcome.records)
    return result
