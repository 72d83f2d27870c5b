"""Reports of the same events by several outlets, for the cluster and brief tests: a planned
visit, the meeting itself in three documents from three publishers, and an unrelated clash."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from communique.pipeline import DocumentResult
from communique.records import (
    CiteInfo,
    Document,
    Entity,
    EventRecord,
    Location,
    PlannedAct,
    Skip,
    TextSpan,
)
from communique.store.arrow import text_hash

LAVROV = Entity("Sergei Lavrov", "RUS", "GOV", identifier_text="Sergei Lavrov")
QATAR = Entity("Qatari prime minister", "QAT", "GOV", identifier_text="Mohammed bin Abdulrahman")
POLICE = Entity("police", "KEN", "COP")
PROTESTERS = Entity("protesters", "KEN", "CVL")
DOHA = Location("Doha", "Doha", 290030, 25.28, 51.53, "QAT", "PPLC", "city")
NAIROBI = Location("Nairobi", "Nairobi", 184745, -1.28, 36.82, "KEN", "PPLC", "city")

# (document id, publisher, published, sentence, type, status, date, actor, recipient, place)
REPORTS = [
    ("wire-1", "Wire One", "2024-03-01",
     "Russian Foreign Minister Sergei Lavrov will visit Doha next week for talks with Qatar.",
     "AGREE", "future", "2024-03-05", LAVROV, QATAR, DOHA),
    ("wire-2", "Wire One", "2024-03-05",
     "Lavrov met the Qatari prime minister in Doha on Tuesday.",
     "CONSULT", "asserted", "2024-03-05", LAVROV, QATAR, DOHA),
    ("paper-1", "Gulf Daily", "2024-03-06",
     "Sergei Lavrov held talks with Qatar's prime minister in Doha on Tuesday.",
     "CONSULT", "asserted", "2024-03-05", LAVROV, QATAR, DOHA),
    ("press-1", "Qatar Foreign Ministry", "2024-03-05",
     "The Prime Minister received Russian Foreign Minister Sergei Lavrov in Doha today.",
     "CONSULT", "asserted", "2024-03-05", LAVROV, QATAR, DOHA),
    ("local-1", "Nairobi Star", "2024-03-07",
     "Police fired tear gas at protesters in central Nairobi on Thursday.",
     "ASSAULT", "asserted", "2024-03-07", POLICE, PROTESTERS, NAIROBI),
]  # fmt: skip


def documents_and_records() -> tuple[list[Document], dict[str, list[EventRecord]]]:
    docs, records = [], {}
    for doc_id, publisher, published, sentence, kind, status, date, actor, target, place in REPORTS:
        text = f"{sentence} More follows."
        docs.append(
            Document(doc_id, text, published, f"https://news.example/{doc_id}",
                     f"Story {doc_id}", publisher, "en", text_hash(text))
        )  # fmt: skip
        planned = PlannedAct("CONSULT", "visit") if kind == "AGREE" else None
        records[doc_id] = [
            EventRecord(
                id=f"{doc_id}-e",
                doc_id=doc_id,
                event=kind,
                quad_code=4 if kind == "ASSAULT" else 1,
                status=status,
                planned=planned,
                actor=[actor],
                recipient=[target],
                date=date,
                date_precision="day",
                event_loc=place,
                event_text="met",
                text=sentence,
                text_info=TextSpan(0, 0, len(sentence)),
                cite_info=CiteInfo(url=f"https://news.example/{doc_id}", publication=publisher),
                confidence=0.8,
            )
        ]
    return docs, records


class ByDocument:
    def __init__(self, records: dict[str, list[EventRecord]]) -> None:
        self.records = records

    def code(self, items: Iterable[Document | Skip]) -> Iterator[DocumentResult]:
        for item in items:
            assert isinstance(item, Document)
            yield DocumentResult(document=item, records=self.records[item.id])
