"""Mentions to entities within one parsed document, with the document's coreference.

`DocumentActors(doc)` resolves any token that heads a noun phrase ("Head" in "Deputy Head of the
Russian Foreign Ministry Mikhail Bogdanov", "he", "the deputy minister", "Kremlin spokespersons")
to an `Entity`: country code, sector, office and name. People are registered as they are met, so
later mentions (surname, title, pronoun) resolve to the same entity.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from communique.actors.knowledge import ActorKnowledge, Agent, KnownActor, actor_knowledge
from communique.gazetteer import choose, default_gazetteer
from communique.records import Entity

# Dependents that belong to a noun phrase's own description (not clauses hung on it).
_PHRASE_DEPS = frozenset(
    {"det", "amod", "compound", "poss", "nmod", "nummod", "quantmod", "case", "punct", "advmod"}
)
_PERSON_PRONOUNS = frozenset({"he", "him", "his", "she", "her", "hers"})
_GROUP_PRONOUNS = frozenset({"it", "its", "they", "them", "their"})
_DEFINITE = frozenset({"the", "this", "that", "these", "those"})
_COUNTRY_LABELS = frozenset({"GPE", "NORP", "LOC"})


@dataclass
class _PersonMention:
    position: int
    entity: Entity


class ActorResolver:
    """Per-pipeline resources: the knowledge tables and PhraseMatchers for known actors.

    Build one per loaded spaCy pipeline (the matcher patterns are tokenized by it) and call
    `for_document` once per parsed document.
    """

    def __init__(self, nlp: Language, knowledge: ActorKnowledge | None = None) -> None:
        self.knowledge = knowledge or actor_knowledge()
        self._place_cache: dict[str, str | None] = {}
        self.by_lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        for name in self.knowledge.known_by_name:
            self.by_lower.add(name, [nlp.make_doc(name)])
        for name in self.knowledge.acronyms:
            self.exact.add(name, [nlp.make_doc(name)])

    def place_country(self, name: str) -> str | None:
        """The country of a place name the gazetteer reads one way only ("Kirkuk" -> IRQ)."""
        if name not in self._place_cache:
            chosen, _margin = choose(default_gazetteer().lookup(name), {})
            self._place_cache[name] = chosen.country_code if chosen else None
        return self._place_cache[name]

    def for_document(self, doc: Doc) -> DocumentActors:
        return DocumentActors(doc, self)


class DocumentActors:
    """Resolves tokens of one document to entities; build one per document."""

    def __init__(self, doc: Doc, resolver: ActorResolver) -> None:
        self.doc = doc
        self.resolver = resolver
        self.knowledge = resolver.knowledge
        self._known: dict[int, tuple[Span, KnownActor]] = {}
        self._match_known_actors()
        self._ent_of: dict[int, Span] = {t.i: ent for ent in doc.ents for t in ent}
        self._cache: dict[int, Entity | None] = {}
        self._people: list[_PersonMention] = []
        self._people_by_name: dict[str, Entity] = {}
        self._groups: list[tuple[int, Entity]] = []
        self._country_mentions: list[tuple[int, str]] = []  # (token, ISO3) of each country named
        self.countries = self._count_countries()
        self._register_people()

    # --- document-wide passes -------------------------------------------------------------

    def _match_known_actors(self) -> None:
        by_lower, exact = self.resolver.by_lower, self.resolver.exact
        strings = self.doc.vocab.strings
        found: list[tuple[int, int, KnownActor]] = []
        for match_id, start, end in by_lower(self.doc):
            found.append((start, end, self.knowledge.known_by_name[strings[match_id]]))
        for match_id, start, end in exact(self.doc):
            found.append((start, end, self.knowledge.acronyms[strings[match_id]]))
        # Longest match wins where matches overlap ("UN Security Council" over "UN").
        for start, end, actor in sorted(found, key=lambda m: (m[0] - m[1], m[0])):
            if any(i in self._known for i in range(start, end)):
                continue
            span = self.doc[start:end]
            for i in range(start, end):
                self._known[i] = (span, actor)

    def _owner_country(self, tokens: list[Token]) -> str | None:
        for token in tokens:
            if token.dep_ == "poss" and token.pos_ == "PRON":
                owner = self.resolve(token)
                return owner.code if owner is not None else None
        return None

    def _context_country(self, head: Token) -> str | None:
        sentence = head.sent.start
        counts: dict[str, int] = {}
        for start, code in self._country_mentions:
            if self.doc[start].sent.start != sentence:
                counts[code] = counts.get(code, 0) + 1
        return max(counts, key=lambda c: counts[c]) if counts else None

    def _count_countries(self) -> tuple[str, ...]:
        counts: dict[str, int] = {}
        for ent in self.doc.ents:
            if ent.label_ in _COUNTRY_LABELS:
                code = self._country_of_text(ent.text)
                if code:
                    counts[code] = counts.get(code, 0) + 1
                    self._country_mentions.append((ent.start, code))
        seats = {span.start: actor for span, actor in self._known.values() if actor.kind == "seat"}
        for actor in seats.values():
            counts[actor.code] = counts.get(actor.code, 0) + 1
        return tuple(sorted(counts, key=lambda c: -counts[c]))

    def _register_people(self) -> None:
        """Meet every named person and every subject in text order, so that later mentions
        ("he", "it", "the minister") resolve to the fullest entity met before them."""
        people = {ent.start: ent for ent in self.doc.ents if ent.label_ == "PERSON"}
        subjects = {
            token.i: token
            for token in self.doc
            if token.dep_ in ("nsubj", "nsubjpass") and token.pos_ in ("NOUN", "PROPN")
        }
        for position in sorted(set(people) | set(subjects)):
            ent = people.get(position)
            if ent is None:
                self.resolve(subjects[position])
            elif ent.root.i not in self._known:
                self._meet_person(ent)

    def _meet_person(self, ent: Span) -> None:
        root = ent.root
        # "Deputy Head of the Russian Foreign Ministry Mikhail Bogdanov": the title heads the
        # phrase and the name is its apposition; resolve the whole phrase.
        head = root.head if root.dep_ == "appos" else root
        entity = self.resolve(head)
        if entity is not None and entity.identifier_text is None:
            entity = self.resolve(root)
        if entity is not None:
            self._people.append(_PersonMention(ent.start, entity))

    # --- resolution -----------------------------------------------------------------------

    def resolve(self, token: Token) -> Entity | None:
        """The entity a noun-phrase head (or pronoun) refers to, or None if it names no actor."""
        if token.i in self._cache:
            return self._cache[token.i]
        self._cache[token.i] = None  # guards against cycles through appositions
        entity = self._resolve(token)
        self._cache[token.i] = entity
        if entity is not None and entity.code and token.pos_ in ("PROPN", "NOUN"):
            self._groups.append((token.i, entity))
        return entity

    def _resolve(self, token: Token) -> Entity | None:
        lower = token.lower_
        if token.pos_ == "PRON" or token.tag_ in ("PRP", "PRP$"):
            return self._resolve_pronoun(token, lower)
        if token.pos_ not in ("NOUN", "PROPN", "ADJ", "X", "NUM") and token.i not in self._known:
            return None
        if token.pos_ == "PROPN" and token.i not in self._known:
            met = self._people_by_name.get(token.text)
            ent = self._ent_of.get(token.i)
            if met is not None and (ent is None or ent.label_ != "PERSON"):
                return met  # a surname the model did not tag as a person ("Bogdanov met ...")
        if token.lemma_.lower() in self.knowledge.partitives:
            counted = _of_object(token)
            if counted is not None:
                return self.resolve(counted)  # "thousands of students": the students act
        tokens = phrase_tokens(token, self.knowledge)
        return self._entity_from_phrase(token, tokens)

    def _resolve_pronoun(self, token: Token, lower: str) -> Entity | None:
        if lower in _PERSON_PRONOUNS:
            earlier = [p for p in self._people if p.position < token.i]
            return earlier[-1].entity if earlier else None
        if lower in _GROUP_PRONOUNS:
            # "it" takes a country or organisation; "they" a plural group ("Hamas officials").
            plural = lower not in ("it", "its")
            clause_mates = _clause_subjects(token)
            for position, entity in reversed(self._groups):
                if position in clause_mates:
                    continue  # "diplomats will meet them": not the diplomats themselves
                if position < token.i and (self.doc[position].tag_ in ("NNS", "NNPS")) == plural:
                    return entity
        return None

    def _entity_from_phrase(self, head: Token, tokens: list[Token]) -> Entity | None:
        known = self._known_in(tokens, head)
        head_ent = self._ent_of.get(head.i)
        if known is not None and head.i not in self._known and head_ent is not None:
            if head_ent.label_ == "GPE" and self._country_of_text(head_ent.text):
                known = None  # "NATO-member Norway" is Norway
        person = self._person_in(tokens)
        country = self._country_in(tokens)
        agent = self._agent_in(tokens, head, require_head=person is None and known is None)
        if person is not None:
            registered = self._lookup_person(person)
            if registered is not None and not (agent or country):
                return registered
        if known is None and person is None and country is None and agent is None:
            if head.ent_type_ == "NORP" and head.tag_ in ("NNS", "NNPS"):
                # "ethnic Turks", "Kurds": people of a group that is no country
                return Entity(entity_text=_phrase_text(tokens), sector="CVL")
            return None
        if known is None and person is None and country is None and agent is not None:
            earlier = self._earlier_holder(head, agent)
            if earlier is not None:
                return earlier
        code = known.code if known else country
        if code is None:
            code = self._owner_country(tokens)  # "their forces" after "Bosnian Serbs said"
        if code is None and agent is not None:
            # "Defence Secretary Tom King" in a British story: a title without a country
            # belongs to the country the rest of the document is about (not this sentence,
            # which may name the other party: "Moroccan diplomats met President Obama").
            code = self._context_country(head)
        sector = _choose_sector(known, agent, country, person)
        if agent is None and known is None and person is None and head.ent_type_ == "NORP":
            sector = "CVL"  # "Palestinians", "ethnic Albanians": people, not their government
        entity = Entity(
            entity_text=_phrase_text(tokens),
            code=code,
            sector=sector,
            office=self._office_text(tokens, person, agent) if agent else None,
            identifier_text=person.text if person is not None else (known.name if known else None),
            identifier_id=known.identifier_id if known else None,
        )
        if person is not None:
            entity = self._register_person(person, entity)
        return entity

    def _office_text(self, tokens: list[Token], person: Span | None, agent: Agent) -> str | None:
        """A named person's title as written, without name, country or articles:
        "Deputy Head of the Russian Foreign Ministry Mikhail Bogdanov" -> "deputy head of
        foreign ministry". Without a name, the agent's canonical office."""
        if person is None:
            return agent.office
        words = [
            t.lower_
            for t in tokens
            if not (person.start <= t.i < person.end)
            and t.dep_ not in ("det", "punct", "case", "poss")
            and t.pos_ in ("NOUN", "PROPN", "ADJ", "ADP")
            and not (t.text[:1].isupper() and self._country_of_text(t.text))
            and t.i not in self._known
        ]
        while words and words[-1] in ("of", "for"):
            words.pop()
        return " ".join(words) or agent.office

    def _known_in(self, tokens: list[Token], head: Token) -> KnownActor | None:
        if head.i in self._known:
            return self._known[head.i][1]
        for token in tokens:
            if token.i in self._known:
                return self._known[token.i][1]
        return None

    def _person_in(self, tokens: list[Token]) -> Span | None:
        for token in tokens:
            ent = self._ent_of.get(token.i)
            if ent is not None and ent.label_ == "PERSON" and token.i not in self._known:
                return ent
        return None

    def _country_in(self, tokens: list[Token]) -> str | None:
        for token in tokens:
            if token.i in self._known or _is_ethnicity(token):
                continue
            ent = self._ent_of.get(token.i)
            if ent is not None and ent.label_ in _COUNTRY_LABELS:
                code = self._country_of_text(ent.text)
                if code:
                    return code
            if ent is not None and (code := self.knowledge.exact_country(ent.text)):
                return code  # "Sri Lanka" tagged PERSON by the small model
            elif (
                (ent is None or ent.label_ in ("ORG", "FAC"))
                and token.pos_ in ("PROPN", "ADJ")
                and token.text[:1].isupper()
            ):  # "the Russian Foreign Ministry" is one ORG entity, but Russian names the country
                code = self.knowledge.country_code(token.text)
                if (code and token.pos_ == "PROPN") or (code and token.tag_ == "JJ"):
                    return code
        return None

    def _country_of_text(self, text: str) -> str | None:
        return (
            self.knowledge.country_code(text)
            or self.knowledge.capital_country(text)
            or self.resolver.place_country(text)
        )

    def _agent_in(self, tokens: list[Token], head: Token, require_head: bool) -> Agent | None:
        """The longest agent phrase among the phrase's common-noun lemmas, nearest the head.

        Without a name or organisation the agent must be the head itself: "army reservists" are
        MIL, but a "military offensive" or a "general strike" is no actor at all.
        """
        words = [t for t in tokens if t.i not in self._known and t.pos_ in ("NOUN", "ADJ", "PROPN")]
        lemmas = [t.lemma_.lower() for t in words]
        best: tuple[int, int, Agent] | None = None
        for length in range(min(self.knowledge.max_agent_len, len(lemmas)), 0, -1):
            for start in range(len(lemmas) - length + 1):
                agent = self.knowledge.agent(tuple(lemmas[start : start + length]))
                if agent is None:
                    continue
                covered = {w.i for w in words[start : start + length]}
                if require_head and head.i not in covered:
                    continue
                distance = abs(words[start + length - 1].i - head.i)
                if best is None or (length, -distance) > (best[0], -best[1]):
                    best = (length, distance, agent)
        return best[2] if best else None

    def _lookup_person(self, person: Span) -> Entity | None:
        return self._people_by_name.get(person.text) or self._people_by_name.get(person[-1].text)

    def _register_person(self, person: Span, entity: Entity) -> Entity:
        known = self._lookup_person(person)
        if known is not None:
            # A later, fuller description completes the earlier one; never overwrite with less.
            merged = replace(
                known,
                code=known.code or entity.code,
                sector=known.sector or entity.sector,
                office=known.office or entity.office,
            )
            entity = replace(merged, entity_text=entity.entity_text)
            known.code, known.sector, known.office = merged.code, merged.sector, merged.office
        else:
            self._people_by_name[person.text] = entity
            self._people_by_name.setdefault(person[-1].text, entity)
        return entity

    def _earlier_holder(self, head: Token, agent: Agent) -> Entity | None:
        """ "the deputy minister", "the diplomat": the last person met who fits the title."""
        if not any(c.lower_ in _DEFINITE for c in head.children) or head.tag_ == "NNS":
            return None
        earlier = [m.entity for m in reversed(self._people) if m.position < head.i]
        stem = agent.lemmas[-1][:6]  # "minister" matches the office "... foreign ministry"
        for entity in earlier:
            if any(word.startswith(stem) for word in (entity.office or "").split()):
                return entity
        # "the diplomat", "the envoy": the last person met in the same sector
        return next((e for e in earlier if e.sector == agent.sector), None)


def _clause_subjects(pronoun: Token) -> set[int]:
    """Token positions of the subject (and its conjuncts) of the verb an object pronoun hangs on:
    a plain pronoun never refers to its own clause's subject."""
    verb = pronoun.head.head if pronoun.dep_ == "pobj" else pronoun.head
    if pronoun.dep_ not in ("dobj", "pobj", "dative", "iobj"):
        return set()
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    return {t.i for s in subjects for t in (s, *s.conjuncts)}


def _is_ethnicity(token: Token) -> bool:
    """ "ethnic Albanians in Serbia": the demonym names an ethnicity, not a citizenship."""
    return any(c.lower_ == "ethnic" for c in token.children) or (
        token.i > 0 and token.doc[token.i - 1].lower_ == "ethnic"
    )


def _of_object(token: Token) -> Token | None:
    for prep in token.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for pobj in prep.children:
                if pobj.dep_ == "pobj":
                    return pobj
    return None


def phrase_tokens(head: Token, knowledge: ActorKnowledge) -> list[Token]:
    """The tokens that describe the head: modifiers, appositions and an "of" phrase of titles."""
    out: list[Token] = [head]
    stack = list(head.children)
    # "Head of the Foreign Ministry", "leaders of Hamas": an "of" phrase describes a title or
    # group, not a thing ("an extension of the mandate").
    titled = head.pos_ == "PROPN" or knowledge.agent((head.lemma_.lower(),)) is not None
    while stack:
        child = stack.pop()
        if (
            child.dep_ in _PHRASE_DEPS
            or child.dep_ == "appos"
            or (
                child.dep_ == "prep"
                and child.lower_ in ("of", "in", "from")
                and child.head.i == head.i
                and titled
            )
        ):
            out.append(child)
            stack.extend(child.children)
        elif child.dep_ == "pobj" and child.head.lower_ in ("of", "in", "from"):
            out.append(child)
            stack.extend(c for c in child.children if c.dep_ != "relcl")
    return sorted(out, key=lambda t: t.i)


def _phrase_text(tokens: list[Token]) -> str:
    words = [t for t in tokens if t.dep_ != "punct" or t.text in ("-", "'s")]
    while words and words[0].lower_ in _DEFINITE | {"a", "an"}:
        words = words[1:]
    if not words:
        return ""
    doc = words[0].doc
    return doc[words[0].i : words[-1].i + 1].text


def _choose_sector(
    known: KnownActor | None, agent: Agent | None, country: str | None, person: Span | None
) -> str | None:
    if known is not None and known.sector:
        return known.sector
    if agent is not None:
        return agent.sector
    if known is not None and known.kind in ("seat", "capital"):
        return "GOV"
    if country is not None and person is None:
        return "GOV"  # a country named as an actor speaks for its government, as ICEWS codes it
    return None
