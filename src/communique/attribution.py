"""The attribution stage: who says the event happened, with which cue, and what they said.

`attribute` looks in the event's sentence, in this order, for
1. the trigger itself being a verb of saying ("Russia denied the accusation"): the speaker is its
   subject and the quote the sentence;
2. a verb of saying above the trigger in the parse ("Bogdanov emphasized that ...", "X said Y
   attacked Z", "He affirmed the intention to travel"): its subject speaks, its complement is the
   quote;
3. a parenthetical cue anywhere in the sentence ("This stance, he noted, reflects ...");
4. "according to X";
5. a statement noun whose "from"/"by" phrase or possessive names the speaker, on the trigger's
   path ("Earlier statements from Kremlin spokespersons touched on ...").
The cues are data (`data/attribution_cues.tsv`). A sentence without a cue has no attribution.
As a stage (`Attributor`), each event is attributed from its lead mention.

The speaker comes from the actor stage's resolver (`DocumentContext.resolve_entity`), which
resolves pronouns through coreference; when it resolves nothing, a name or a noun phrase that
names people or organisations stands as the speaker's text, and anything else ("it", "this")
leaves the speaker empty while the cue is still reported. When the trigger sits inside quotation
marks, the quote is the quoted text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from spacy.tokens import Span, Token

from communique.datafiles import read_table
from communique.records import Attribution, Entity
from communique.stages import DocumentContext, EventAnchor, EventDraft

__all__ = ["Attributor", "CueLexicon", "attribute", "cue_lexicon"]

_CUE_FILE = "attribution_cues.tsv"
# Where a verb of saying governs its claim: the child on the path down to the trigger.
_CLAUSE_DEPS = frozenset({"ccomp", "xcomp", "parataxis"})
_NOT_CLAIM_DEPS = frozenset({"nsubj", "csubj", "agent", "conj", "cc", "punct", "appos"})
# Parts of a noun phrase that are not the speaker's name ("the minister, who ...").
_NOT_NAME_DEPS = frozenset(
    {"relcl", "acl", "appos", "advcl", "parataxis", "punct", "cc", "conj", "case"}
)
_EDGE_DEPS = frozenset({"cc", "punct", "case"})  # trimmed from a quote's edges
_DOUBLE_QUOTES = frozenset({'"', "“", "”", "``", "''", "«", "»"})
_NAME_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE", "FAC"})
_LEADING_DETS = frozenset({"the", "a", "an"})
_TRIM = " \t\n,.;:\"'“”‘’«»—–-"


@dataclass(frozen=True)
class CueLexicon:
    """The attribution cues of `data/attribution_cues.tsv`, by kind."""

    verbs: frozenset[str]  # lemmas of verbs of saying
    clause_verbs: frozenset[str]  # of those, the ones that count only with a clausal complement
    nouns: frozenset[str]  # statement nouns: "statements from X"
    phrases: frozenset[str]  # "according to"
    speakers: frozenset[str]  # common nouns that name people or organisations


@lru_cache(maxsize=1)
def cue_lexicon() -> CueLexicon:
    """Load the cue file once per process."""
    rows = read_table(_CUE_FILE)

    def of(kind: str) -> frozenset[str]:
        return frozenset(r["cue"].lower() for r in rows if r["kind"] == kind)

    clause = frozenset(
        r["cue"].lower() for r in rows if r["kind"] == "verb" and r.get("clause") == "yes"
    )
    return CueLexicon(of("verb"), clause, of("noun"), of("phrase"), of("speaker"))


@dataclass(frozen=True)
class Attributor:
    """The attribution stage: who says each event happened, read at its lead mention."""

    name: str = "attribution"

    def __call__(self, context: DocumentContext, drafts: list[EventDraft]) -> list[EventDraft]:
        return [replace(draft, attribution=attribute(context, draft.anchor)) for draft in drafts]


@dataclass(frozen=True)
class _Found:
    """A cue found in the sentence, before the speaker is resolved."""

    cue: str
    subject: Token | None  # the head token of the speaker's phrase
    quote_tokens: tuple[int, int] | None  # [start, end) of the reported clause
    removed: frozenset[int] = frozenset()  # tokens to leave out of the quote (the cue clause)


def attribute(ctx: DocumentContext, anchor: EventAnchor) -> Attribution | None:
    """Who says the event at `anchor` happened (see the module docstring); None without a cue."""
    doc = ctx.doc
    sent = doc[anchor.sent_start : anchor.sent_end]
    trigger = doc[anchor.trigger]
    lex = cue_lexicon()
    found = (
        _trigger_is_cue(trigger, lex)
        or _governing_cue(trigger, sent, lex)
        or _parenthetical_cue(trigger, sent, lex)
        or _according_to(sent, lex)
        or _statement_noun(trigger, sent, lex)
    )
    if found is None:
        return None
    quoted = _quoted_region(sent, trigger)
    if quoted is not None:
        quote = _text(sent, range(*quoted))
    elif found.quote_tokens is not None:
        quote = _text(sent, (i for i in range(*found.quote_tokens) if i not in found.removed))
    else:
        quote = _text(sent, (t.i for t in sent if t.i not in found.removed))
    speaker = _speaker(ctx, found.subject, lex) if found.subject is not None else None
    return Attribution(speaker=speaker, cue=found.cue, quote=quote or None)


# --- finding the cue -------------------------------------------------------------------------


def _is_cue_verb(tok: Token, lex: CueLexicon) -> bool:
    return tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in lex.verbs


def _cue_text(verb: Token) -> str:
    """The cue's surface form, with its particle: "noted", "pointed out"."""
    prt = [c for c in verb.children if c.dep_ == "prt"]
    return " ".join([verb.text, *(p.text for p in prt)])


def _trigger_is_cue(trigger: Token, lex: CueLexicon) -> _Found | None:
    """ "Russia denied the accusation": the event is the act of saying itself."""
    lemma = trigger.lemma_.lower()
    if not _is_cue_verb(trigger, lex) or lemma in lex.clause_verbs:
        return None
    sent = trigger.sent
    return _Found(_cue_text(trigger), _subject(trigger), (sent.start, sent.end))


def _governing_cue(trigger: Token, sent: Span, lex: CueLexicon) -> _Found | None:
    """The nearest verb of saying above the trigger whose claim the trigger is part of."""
    child = trigger
    head = trigger.head
    while head.i != child.i and sent.start <= head.i < sent.end:
        if _is_cue_verb(head, lex) and child.dep_ not in _NOT_CLAIM_DEPS:
            clause_only = head.lemma_.lower() in lex.clause_verbs
            if not clause_only or child.dep_ in _CLAUSE_DEPS:
                if child.dep_ == "nsubjpass":  # "The attack was confirmed by the ministry"
                    return _Found(_cue_text(head), _subject(head), (sent.start, sent.end))
                start, end = _subtree_bounds(child)
                if child.dep_ in ("ccomp", "xcomp"):
                    start = _skip_marker(child, start)
                return _Found(_cue_text(head), _subject(head), (start, end))
        child, head = head, head.head
    return None


def _parenthetical_cue(trigger: Token, sent: Span, lex: CueLexicon) -> _Found | None:
    """A "he noted" or "X said" inserted anywhere in the sentence."""
    for tok in sent:
        if tok.dep_ == "parataxis" and tok.i != trigger.i and _is_cue_verb(tok, lex):
            if trigger in tok.subtree:
                continue  # the trigger is inside this cue's own clause: not a parenthesis
            removed = frozenset(t.i for t in tok.subtree)
            return _Found(_cue_text(tok), _subject(tok), None, removed)
    return None


def _according_to(sent: Span, lex: CueLexicon) -> _Found | None:
    """ "According to the deputy minister, such meetings could ...": the object speaks."""
    for tok in sent:
        if tok.lower_ != "according" or tok.i + 1 >= sent.end:
            continue
        to = tok.doc[tok.i + 1]
        phrase = f"{tok.lower_} {to.lower_}"
        if phrase not in lex.phrases:
            continue
        objects = [c for c in to.children if c.dep_ == "pobj"]
        removed = {t.i for t in tok.subtree} | {t.i for t in to.subtree}
        # the comma that closes the phrase
        end = max(removed) + 1
        if end < sent.end and tok.doc[end].text == ",":
            removed.add(end)
            if tok.i > sent.start and tok.doc[tok.i - 1].text == ",":
                removed.add(tok.i - 1)  # "Hamas, according to X, fired ...": both commas
        return _Found(
            f"{tok.text} {to.text}", objects[0] if objects else None, None, frozenset(removed)
        )
    return None


def _statement_noun(trigger: Token, sent: Span, lex: CueLexicon) -> _Found | None:
    """ "Earlier statements from Kremlin spokespersons touched on maintaining contact ..."."""
    path = {trigger.i, *(a.i for a in trigger.ancestors)}
    for tok in sent:
        if tok.pos_ not in ("NOUN", "PROPN") or tok.lemma_.lower() not in lex.nouns:
            continue
        on_path = tok.head.i in path and tok.head.i != tok.i
        inside = trigger.i in {t.i for t in tok.subtree}
        if not (on_path or inside):
            continue
        speaker = _noun_speaker(tok)
        if speaker is None:
            continue
        quote: tuple[int, int] | None = None
        removed: frozenset[int] = frozenset()
        if on_path and not inside:
            quote = _subtree_bounds(tok.head)
            removed = frozenset(t.i for t in tok.subtree)
        return _Found(tok.text, speaker, quote, removed)
    return None


def _noun_speaker(noun: Token) -> Token | None:
    for child in noun.children:
        if child.dep_ == "poss" and child.pos_ != "PRON":
            return child
        if child.dep_ == "prep" and child.lower_ in ("from", "by"):
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects:
                return objects[0]
    return None


# --- the speaker -----------------------------------------------------------------------------


def _subject(verb: Token) -> Token | None:
    """The speaker of a verb of saying: its subject, the by-phrase of a passive, or the subject
    it shares with the verb it is conjoined to ("affirmed ... and highlighted that ...")."""
    seen = 0
    while seen < 8:
        children = list(verb.children)
        for c in children:
            if c.dep_ == "nsubj":
                return c
        for c in children:
            if c.dep_ == "agent":
                objects = [o for o in c.children if o.dep_ == "pobj"]
                return objects[0] if objects else None
        if any(c.dep_ == "nsubjpass" for c in children):
            return None  # "was reported", no by-phrase: nobody named
        if verb.dep_ not in ("conj", "xcomp", "advcl") or verb.head.i == verb.i:
            return None
        verb = verb.head
        seen += 1
    return None


def _speaker(ctx: DocumentContext, head: Token, lex: CueLexicon) -> Entity | None:
    for tok in (head, *_close_appositions(head)):
        resolved = ctx.resolve_entity(tok)
        if resolved is not None:
            return resolved
    if head.pos_ == "PRON" or head.tag_ in ("PRP", "PRP$", "DT", "WDT", "WP", "EX"):
        return None  # "it", "this", "that", an unresolved "he"
    phrase = _name_tokens(head)
    if not _names_people_or_organisation(head, phrase, lex):
        return None
    text = _text(head.sent, (t.i for t in phrase))
    return Entity(entity_text=text) if text else None


def _close_appositions(head: Token) -> list[Token]:
    """Appositions not set off by a comma: "Deputy Head of the Ministry Mikhail Bogdanov"."""
    doc = head.doc
    return [
        c
        for c in head.children
        if c.dep_ == "appos" and c.left_edge.i > 0 and not doc[c.left_edge.i - 1].is_punct
    ]


def _name_tokens(head: Token) -> list[Token]:
    """The speaker's noun phrase without its clauses, commaed appositions and leading article."""
    keep = [head]
    stack = [c for c in head.children if c.dep_ not in _NOT_NAME_DEPS]
    stack.extend(_close_appositions(head))
    while stack:
        tok = stack.pop()
        keep.append(tok)
        stack.extend(c for c in tok.children if c.dep_ not in _NOT_NAME_DEPS)
    keep.sort(key=lambda t: t.i)
    while keep and keep[0].lower_ in _LEADING_DETS and keep[0].dep_ == "det":
        keep.pop(0)
    return keep


def _names_people_or_organisation(head: Token, phrase: list[Token], lex: CueLexicon) -> bool:
    if head.pos_ == "PROPN" or head.ent_type_ in _NAME_LABELS:
        return True
    if any(t.ent_type_ in _NAME_LABELS for t in phrase):
        return True
    return head.lemma_.lower() in lex.speakers or head.lower_ in lex.speakers


# --- spans and text --------------------------------------------------------------------------


def _quoted_region(sent: Span, trigger: Token) -> tuple[int, int] | None:
    """[start, end) of the quotation the trigger sits in, by the tagger's opening and closing
    quote tags; a quote open at the sentence's start or end runs to that edge."""
    regions: list[tuple[int, int]] = []
    open_at: int | None = None
    open_double = False
    for tok in sent:
        double = tok.text in _DOUBLE_QUOTES
        if tok.tag_ == "``" and (double or tok.text in ("'", "‘")):
            open_at, open_double = tok.i + 1, double
        elif tok.tag_ == "''" and (double or (open_at is not None and not open_double)):
            # a lone closing single quote is an apostrophe ("powers’ concerns")
            regions.append((sent.start if open_at is None else open_at, tok.i))
            open_at = None
    if open_at is not None and open_double:
        regions.append((open_at, sent.end))
    for start, end in regions:
        if start <= trigger.i < end:
            return start, end
    return None


def _subtree_bounds(tok: Token) -> tuple[int, int]:
    return tok.left_edge.i, tok.right_edge.i + 1


def _skip_marker(clause_head: Token, start: int) -> int:
    """Drop the complementiser of a reported clause: "that numerous topics ..."."""
    first = clause_head.doc[start]
    if first.dep_ == "mark" and first.lower_ in ("that", "whether", "if"):
        return start + 1
    return start


def _text(sent: Span, indices: Iterable[int]) -> str:
    """The text of the given tokens, with a single space where tokens were left out."""
    doc = sent.doc
    order = sorted(set(indices))
    while order and (doc[order[0]].dep_ in _EDGE_DEPS or doc[order[0]].is_space):
        order.pop(0)
    while order and (doc[order[-1]].dep_ in _EDGE_DEPS or doc[order[-1]].is_space):
        order.pop()
    parts: list[str] = []
    last: int | None = None
    for i in order:
        if last is not None:
            parts.append(doc[last].whitespace_ if i == last + 1 else " ")
        parts.append(doc[i].text)
        last = i
    return "".join(parts).strip(_TRIM).strip()
