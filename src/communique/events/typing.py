"""The learned typing stage: the model decides what the rules cannot.

It runs right after the rule event finder (see `communique.stages`). For every rule draft and
for every recall candidate (in a sentence where the rules found nothing, the words the training
data most often saw name an event; in any sentence, a lexicon trigger the rules set aside for
want of a carrier, never one they set aside as part of another event) it asks the
`EventTyper` for the probability of each PLOVER type and of "no event", then applies the
policy:

- `rules`: the stage is not in the pipeline at all;
- `model`: the model's most probable label decides every candidate (no event drops a draft);
- `combined` (the default): the rules keep what they coded unless the model is sure they are
  wrong (no event at `drop_above` or more drops the draft; another type at `retype_above` or more
  retypes it), and a recall candidate becomes an event when the model gives one type at least
  `add_above`.

The thresholds ship in the model's `config.json` (chosen on the calibration split by
`train/tune_policy.py`, see docs/accuracy.md). The rules stay in charge of what they do well:
status, mode where the type is kept, strict PLOVER (a retyped future cooperative act is still
AGREE), and the source and target from the parse. A draft the model read carries the model's
probability as its confidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from spacy.tokens import Doc, Token

from communique.events.extract import (
    draft_for_token,
    may_name_parties,
    parts_of_other_events,
    recode_type,
)
from communique.events.learned import NO_EVENT, EventTyper, TypeScores, marked_text
from communique.events.lexicon import EventKnowledge
from communique.stages import DocumentContext, EventDraft

TypingMode = Literal["rules", "model", "combined"]


@dataclass(frozen=True)
class TypingPolicy:
    """How the model's scores and the rules' drafts combine (see the module docstring)."""

    mode: TypingMode = "combined"
    drop_above: float = 0.9  # P(no event) at which a rule draft is dropped
    retype_above: float = 0.8  # P(other type) at which a rule draft is retyped
    add_above: float = 0.6  # P(type) at which a recall candidate becomes an event
    # Recall candidates cost model time: at most this many a sentence, the words that most often
    # named an event in training first, none under `recall_share` (lexicon triggers always ask).
    recall_per_sentence: int = 2
    recall_share: float = 0.15

    def judge(self, draft: EventDraft, scores: TypeScores) -> str | None:
        """The type a rule draft ends with, or None to drop it."""
        if self.mode == "model":
            return None if scores.label == NO_EVENT else scores.label
        if scores.of(NO_EVENT) >= self.drop_above:
            return None
        if scores.label not in (NO_EVENT, draft.event) and scores.probability >= self.retype_above:
            return scores.label
        return draft.event

    @property
    def keeps_rule_events(self) -> bool:
        """Whether every rule event goes on unchanged (so the model need not read them)."""
        return self.mode == "combined" and self.drop_above > 1 and self.retype_above > 1

    def accepts(self, scores: TypeScores) -> bool:
        """Whether a recall candidate (no rule draft) is an event of the model's type."""
        if scores.label == NO_EVENT:
            return False
        return self.mode == "model" or scores.probability >= self.add_above


@dataclass
class _Questions:
    """What the stage asks the model about one document: its rule drafts (unless the policy
    keeps them whatever the model says) and its recall candidates, in that order."""

    drafts: list[EventDraft]
    recall: list[Token]
    texts: list[str]


@dataclass
class LearnedTyping:
    """The stage: `(context, drafts) -> drafts`, rule drafts judged, recall drafts added.

    `run_batch` does the same for a chunk of documents: the coder runs it in a background
    thread, beside the parse of the next chunk (`runner.StageRunner`)."""

    typer: EventTyper
    policy: TypingPolicy
    knowledge: EventKnowledge
    speech_verbs: frozenset[str]
    recall_lemmas: dict[str, float]  # lemma -> share of its uses that named an event
    name: str = "learned-typing"

    def __call__(self, context: DocumentContext, drafts: list[EventDraft]) -> list[EventDraft]:
        return self.run_batch([(context, drafts)])[0]

    def run_batch(
        self, items: Sequence[tuple[DocumentContext, list[EventDraft]]]
    ) -> list[list[EventDraft]]:
        """The stage on each (context, drafts) pair, in order.

        The model reads each text alone (batches of one): the int8 model quantises a batch's
        activations with one scale, so a text batched with others could score differently with
        its neighbours, and a document re-coded in other company could change its events. Alone,
        a text needs no padding either: on one thread this was faster than batching each
        document's texts together (docs/benchmarks.md)."""
        questions = [self._questions(context, drafts) for context, drafts in items]
        texts = [text for asked in questions for text in asked.texts]
        # A text asked twice (two lexicon entries of one trigger, a sentence repeated) is read
        # once: alone, it scores the same every time.
        unique = list(dict.fromkeys(texts))
        read = dict(zip(unique, self.typer.score(unique, batch_size=1), strict=True))
        scores = [read[text] for text in texts]
        results: list[list[EventDraft]] = []
        first = 0
        for (context, drafts), asked in zip(items, questions, strict=True):
            answers = scores[first : first + len(asked.texts)]
            first += len(asked.texts)
            results.append(self._answer(context, drafts, asked, answers))
        return results

    def _questions(self, context: DocumentContext, drafts: list[EventDraft]) -> _Questions:
        recall = self._recall_candidates(context, drafts)
        # The model only adds where the policy keeps every rule event: it need not read them.
        judged = [] if self.policy.keeps_rule_events else drafts
        text = context.text
        window = self.typer.window_chars
        texts = [
            _marked(text, d.sent_start_char, d.sent_end_char, d.start_char, d.end_char, window)
            for d in judged
        ]
        texts += [_marked_token(text, t, window) for t in recall]
        return _Questions(judged, recall, texts)

    def _answer(
        self,
        context: DocumentContext,
        drafts: list[EventDraft],
        asked: _Questions,
        scores: list[TypeScores],
    ) -> list[EventDraft]:
        if not asked.texts:
            return drafts
        kept: list[EventDraft] = list(drafts) if self.policy.keeps_rule_events else []
        for draft, score in zip(asked.drafts, scores, strict=False):
            judged = self.policy.judge(draft, score)
            if judged is None:
                continue
            # The model names the act; the rules may have coded its strict form already ("will
            # visit": AGREE with CONSULT planned), keeping the mode the lexicon knows.
            planned = draft.planned.event if draft.planned is not None else None
            if judged not in (draft.event, planned):
                draft = recode_type(context.doc, draft, judged, self.knowledge)
            probability = score.of(judged)
            if judged == draft.event and planned is not None:
                # "will not accept refugees": REJECT by strict PLOVER of the AID the model may
                # name instead; either reading is this record
                probability = min(1.0, probability + score.of(planned))
            kept.append(replace(draft, confidence=round(probability, 3)))
        kept += self._added(context, asked.recall, scores[len(asked.drafts) :])
        return sorted(kept, key=lambda d: (d.trigger, d.event))

    def _added(
        self, context: DocumentContext, recall: list[Token], scores: list[TypeScores]
    ) -> list[EventDraft]:
        """Drafts for the recall candidates the policy accepts, typed by the model."""
        added = []
        for token, score in zip(recall, scores, strict=True):
            if not self.policy.accepts(score):
                continue
            draft = draft_for_token(
                context.doc, token, score.label, self.knowledge, context.resolve_entity,
                self.speech_verbs, context.sentence_numbers,
            )  # fmt: skip
            if draft is None:
                continue
            added.append(replace(draft, confidence=round(score.probability, 3)))
        return added

    def _recall_candidates(self, context: DocumentContext, drafts: list[EventDraft]) -> list[Token]:
        """Words worth asking about: in a sentence where the rules coded nothing, the words the
        training data most often saw name an event; in one where they coded something, only the
        lexicon triggers they set aside ("negotiations between X and Y" with no light verb).
        A trigger that is part of another trigger's event ("called on the EU to ban imports",
        "condemned the attack") is never asked about: the rules decided it is no event.
        Each candidate costs about as much as parsing a sentence, so few are asked about, and
        none that could name no party (its draft would have nobody to do the act)."""
        doc = context.doc
        covered = {d.sent_start for d in drafts}
        used = {i for d in drafts for i in _trigger_words(doc, d)}
        used |= parts_of_other_events(doc, self.knowledge, self.speech_verbs)
        policy = self.policy
        found: list[Token] = []
        for sentence in doc.sents:
            ranked: list[tuple[float, int]] = []
            for token in sentence:
                if token.pos_ not in ("NOUN", "VERB") or token.i in used:
                    continue
                in_lexicon = self.knowledge.trigger_for(token) is not None
                if sentence.start in covered:
                    share = 1.0 if in_lexicon else 0.0
                else:
                    share = 1.0 if in_lexicon else self.recall_lemmas.get(token.lemma_.lower(), 0.0)
                    if _main_predicate(token, self.speech_verbs):
                        share = max(share, _PREDICATE_SHARE)
                if share >= policy.recall_share:
                    ranked.append((-share, token.i))
            limit = 1 if sentence.start in covered else policy.recall_per_sentence
            asked = 0
            for _, index in sorted(ranked):
                if asked == limit:
                    break
                if may_name_parties(
                    doc[index], self.knowledge, context.resolve_entity, self.speech_verbs
                ):
                    found.append(doc[index])
                    asked += 1
        return sorted(found, key=lambda t: t.i)


def _trigger_words(doc: Doc, draft: EventDraft) -> set[int]:
    """The words of a trigger phrase the rules coded: the trigger, its carrier, and the
    trigger's dependents its `event_text` names ("imposed sanctions" is one event, not two)."""
    named = set(draft.event_text.split())
    words = {draft.carrier, *range(draft.trigger, draft.trigger_end)}
    words |= {child.i for child in doc[draft.trigger].children if child.text in named}
    return words


# A sentence's own predicate ("France is ready to contribute troops": contribute) is worth
# asking about though the training data never saw its verb name an event.
_PREDICATE_SHARE = 0.2


def _main_predicate(token: Token, speech_verbs: frozenset[str]) -> bool:
    """A verb that carries its sentence: the root, or an infinitive or clause under it; not a
    verb of saying (those report, they are no event)."""
    if token.pos_ != "VERB" or token.lemma_.lower() in speech_verbs:
        return False
    return token.dep_ == "ROOT" or (token.dep_ in ("xcomp", "ccomp") and token.head.dep_ == "ROOT")


def _marked_token(text: str, token: Token, window: int) -> str:
    sentence = token.sent
    return _marked(
        text, sentence.start_char, sentence.end_char, token.idx, token.idx + len(token), window
    )


def _marked(text: str, sent_start: int, sent_end: int, start: int, end: int, window: int) -> str:
    return marked_text(text[sent_start:sent_end], start - sent_start, end - sent_start, window)
