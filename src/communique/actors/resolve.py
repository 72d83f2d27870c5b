"""Mentions to entities within one parsed document, with the document's coreference.

`DocumentActors(doc)` resolves any token that heads a noun phrase ("Head" in "Deputy Head of the
Russian Foreign Ministry Mikhail Bogdanov", "he", "the deputy minister", "Kremlin spokespersons")
to an `Entity`: country code, sector, office and name. People are registered as they are met, so
later mentions (surname, title, pronoun) resolve to the same entity.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from communique.actors.kb import KnowledgeBase, Person, Role, knowledge_base
from communique.actors.knowledge import ActorKnowledge, Agent, KnownActor, actor_knowledge
from communique.actors.phrase_country import COUNTRY_LABELS, PhraseCountries
from communique.actors.phrases import (
    DEFINITE,
    choose_sector,
    clause_subjects,
    common_lemma,
    former,
    in_office,
    is_demonym_people,
    is_instrument,
    of_object,
    office_text,
    phrase_text,
    phrase_tokens,
    stands_in,
    titled,
    untagged_person,
    with_article,
)
from communique.actors.speakers import FIRST_PERSON, quoted_speaker
from communique.attribution import cue_lexicon
from communique.countries import country_name
from communique.gazetteer import choose, default_gazetteer
from communique.records import SEAT_PREFIX, Entity
from communique.wire import dateline_place as wire_dateline_place

_PERSON_PRONOUNS = frozenset({"he", "him", "his", "she", "her", "hers"})
_GROUP_PRONOUNS = frozenset({"it", "its", "they", "them", "their"})
# Entities the knowledge base's organisations are looked up for; a one-word name only as ORG
# ("Amazon" the river is LOC, "Total" a number word).
_ORGANISATION_LABELS = frozenset({"ORG", "NORP", "GPE", "FAC", "PERSON", "LOC", "PRODUCT"})
_BODIES = frozenset({"IGO", "UNO", "EUR"})


@dataclass
class _PersonMention:
    position: int
    entity: Entity


class ActorResolver:
    """Per-pipeline resources: the knowledge tables and PhraseMatchers for known actors.

    Build one per loaded spaCy pipeline (the matcher patterns are tokenized by it) and call
    `for_document` once per parsed document.
    """

    def __init__(
        self,
        nlp: Language,
        knowledge: ActorKnowledge | None = None,
        kb: KnowledgeBase | None = None,
    ) -> None:
        self.knowledge = knowledge or actor_knowledge()
        self.kb = kb or knowledge_base()
        self.max_agent_len = max([self.knowledge.max_agent_len, *map(len, self.kb.agents)])
        self._place_cache: dict[str, str | None] = {}
        self.by_lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        for name in self.knowledge.known_by_name:
            self.by_lower.add(name, [nlp.make_doc(name)])
        for name in self.knowledge.acronyms:
            self.exact.add(name, [nlp.make_doc(name)])

    def agent(self, lemmas: tuple[str, ...]) -> Agent | None:
        """The team's agent row for these lemmas, else the knowledge base's (no office)."""
        found = self.knowledge.agent(lemmas)
        if found is None and (sector := self.kb.agents.get(lemmas)):
            found = Agent(lemmas, sector, None)
        return found

    def place_country(
        self, name: str, min_population: int = 0, own_name: bool = False
    ) -> str | None:
        """The country of a place name the gazetteer reads one way only ("Kirkuk" -> IRQ);
        `own_name`: only places called so, not those that have it as another name."""
        key = f"{name}\t{min_population}\t{own_name}"
        if key not in self._place_cache:
            candidates = default_gazetteer().lookup(name)
            big = [
                c
                for c in candidates
                if c.population >= min_population and (not own_name or c.name == name)
            ]
            chosen, _margin = choose(big, {})
            self._place_cache[key] = chosen.country_code if chosen else None
        return self._place_cache[key]

    def for_document(
        self, doc: Doc, day: date | None = None, dateline_place: str | None = None
    ) -> DocumentActors:
        """`day`: when the document was written, for the roles people held then (today if
        unknown: news is coded soon after it is written). `dateline_place`: the place of the
        story's dateline ("ISLAMABAD"), which the coder masks before parsing."""
        return DocumentActors(doc, self, day or date.today(), dateline_place)


# How many mentions the country of a story's dateline counts for, when an unnamed official's
# country is taken from the rest of the document.
_DATELINE_WEIGHT = 2


class DocumentActors:
    """Resolves tokens of one document to entities; build one per document."""

    def __init__(
        self, doc: Doc, resolver: ActorResolver, day: date, dateline_place: str | None = None
    ) -> None:
        self.doc = doc
        self.resolver = resolver
        self.knowledge = resolver.knowledge
        self.kb = resolver.kb
        self.day = day
        self._known: dict[int, tuple[Span, KnownActor]] = {}
        self.countries_seen = {
            code
            for e in doc.ents
            if e.label_ in COUNTRY_LABELS and (code := self.knowledge.country_code(e.text))
        }
        self._match_known_actors()
        self._ent_of: dict[int, Span] = {t.i: ent for ent in doc.ents for t in ent}
        self.places_named = PhraseCountries(
            self._ent_of, self._known, self.knowledge, self.kb, resolver.place_country, day
        )
        self._cache: dict[int, Entity | None] = {}
        self._people: list[_PersonMention] = []
        self._people_by_name: dict[str, Entity] = {}
        self._groups: list[tuple[int, Entity]] = []
        self._country_mentions: list[tuple[int, str]] = []  # (token, ISO3) of each country named
        self.countries = self._count_countries()
        place = dateline_place or wire_dateline_place(doc.text)
        self._dateline_country = self.places_named.country_of_text(place) if place else None
        self._register_people()

    # --- document-wide passes -------------------------------------------------------------

    def _match_known_actors(self) -> None:
        by_lower, exact = self.resolver.by_lower, self.resolver.exact
        strings = self.doc.vocab.strings
        found: list[tuple[int, int, KnownActor]] = []
        for match_id, start, end in by_lower(self.doc):
            found.append((start, end, self.knowledge.known_by_name[strings[match_id]]))
        full_names = {actor.name for _, _, actor in found}
        for match_id, start, end in exact(self.doc):
            actor = self.knowledge.acronyms[strings[match_id]]
            if strings[match_id] in self.knowledge.abbreviations and actor.name not in full_names:
                continue  # "DRC": the country, unless the document names the council in full
            found.append((start, end, actor))
        # Longest match wins where matches overlap ("UN Security Council" over "UN").
        for start, end, actor in sorted(found, key=lambda m: (m[0] - m[1], m[0])):
            if any(i in self._known for i in range(start, end)):
                continue
            span = self.doc[start:end]
            for i in range(start, end):
                self._known[i] = (span, self.knowledge.as_of(actor, self.day))
        # Then the knowledge base's 7 k organisations and armed groups, by entity name: the
        # hand-written list above wins wherever both know a name.
        for span in self._name_spans():
            if any(t.i in self._known for t in span) or self.knowledge.exact_country(span.text):
                continue
            match = self._kb_organisation(span)
            if match is not None:
                named, actor = match
                for token in named:
                    self._known[token.i] = (named, actor)

    def _name_spans(self) -> list[Span]:
        """Named entities, and runs of proper nouns the entity model did not tag."""
        spans = [e for e in self.doc.ents if e.label_ in _ORGANISATION_LABELS]
        tagged = {t.i for e in self.doc.ents for t in e}
        run: list[Token] = []
        for token in [*self.doc, None]:
            if token is not None and token.pos_ == "PROPN" and token.i not in tagged:
                run.append(token)
                continue
            if len(run) > 1:
                spans.append(self.doc[run[0].i : run[-1].i + 1])
            run = []
        return spans

    def _kb_organisation(self, span: Span) -> tuple[Span, KnownActor] | None:
        words = span[1:] if span[0].lower_ == "the" else span
        if len(words) == 1 and span.label_ != "ORG":
            return None
        # The longest leading part that is a name: "Amnesty International Kenya" is Amnesty's.
        found = []
        for end in range(len(words), 0 if span.label_ == "ORG" else 1, -1):
            if found := self.kb.organisations_named(words[:end].text):
                words = words[:end]
                break
        if not found:
            return None
        if (span.label_ == "PERSON" or len(words) == 1) and self.kb.people_named(
            words.text, self.day
        ):
            return None  # a person who shares a name with a firm is the person
        # Two bodies with one name: the one of a country the document is about.
        best = next((o for o in found if o.code in self.countries_seen), found[0])
        return words, KnownActor(best.name, best.code or "", best.sector, None, "organisation")

    def _owner_country(self, tokens: list[Token]) -> str | None:
        for token in tokens:
            if token.dep_ == "poss" and token.pos_ == "PRON":
                owner = self.resolve(token)
                return owner.code if owner is not None else None
        return None

    def _context_country(self, head: Token, named: bool = True) -> str | None:
        """The country the rest of the document names most. Where the rest names none, an
        unnamed group ("police", "militants") takes the one country of its own sentence: a
        titled person does not ("Moroccan diplomats met President X")."""
        sentence = head.sent.start
        counts: dict[str, int] = {}
        for start, code in self._country_mentions:
            if self.doc[start].sent.start != sentence:
                counts[code] = counts.get(code, 0) + 1
        if self._dateline_country and counts:
            # "ISLAMABAD - ...": a story filed from a country is mostly about its officials
            home = self._dateline_country
            counts[home] = counts.get(home, 0) + _DATELINE_WEIGHT
        if counts:
            return max(counts, key=lambda c: counts[c])
        if named:
            return None
        own = {
            code
            for start, code in self._country_mentions
            if start >= head.sent.start and start < head.sent.end
        }
        return own.pop() if len(own) == 1 else None

    def _count_countries(self) -> tuple[str, ...]:
        counts: dict[str, int] = {}
        for ent in self.doc.ents:
            if ent.label_ in COUNTRY_LABELS:
                code = self.places_named.country_of_text(ent.text)
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
        if is_instrument(token, self.knowledge.instruments.get(token.lemma_.lower())):
            return None  # "launched 300 drones at Israel", "use force": what a party uses
        if token.lemma_.lower() in self.knowledge.partitives:
            counted = of_object(token)
            if counted is not None:
                return self.resolve(counted)  # "thousands of students": the students act
        tokens = phrase_tokens(token, self.knowledge)
        entity = self._entity_from_phrase(token, tokens)
        if entity is None and token.lemma_.lower() in self.knowledge.partitives:
            for qualifier in (c for c in token.children if c.dep_ == "compound"):
                if (found := self.resolve(qualifier)) is not None:
                    # "gang members", "militia units": of the gang, of the militia
                    return replace(found, entity_text=phrase_text(tokens))
        return entity

    def _resolve_pronoun(self, token: Token, lower: str) -> Entity | None:
        if lower in FIRST_PERSON:
            quoted = quoted_speaker(token, cue_lexicon().verbs)
            return self.resolve(quoted) if quoted is not None else None
        if lower in _PERSON_PRONOUNS:
            earlier = [p for p in self._people if p.position < token.i]
            return earlier[-1].entity if earlier else None
        if lower in _GROUP_PRONOUNS:
            # "it" takes a country or organisation; "they" a plural group ("Hamas officials").
            plural = lower not in ("it", "its")
            if (speaker := self._reporting_subject(token, plural)) is not None:
                return speaker
            clause_mates = clause_subjects(token)
            for position, entity in reversed(self._groups):
                if position in clause_mates:
                    continue  # "diplomats will meet them": not the diplomats themselves
                if position < token.i and (self.doc[position].tag_ in ("NNS", "NNPS")) == plural:
                    return entity
        return None

    def _reporting_subject(self, pronoun: Token, plural: bool) -> Entity | None:
        """ "The army said it would ...", "the rebels announced that their fighters ...": the
        subject pronoun (or its possessive) of a reported clause is the reporter, when the two
        agree in number, whether or not the reporter has a country."""
        subject = pronoun.head if pronoun.dep_ == "poss" else pronoun
        if subject.dep_ not in ("nsubj", "nsubjpass") or subject.head.dep_ != "ccomp":
            return None
        reporter = next((c for c in subject.head.head.children if c.dep_ == "nsubj"), None)
        if reporter is None or reporter.pos_ == "PRON":
            return None
        if (reporter.tag_ in ("NNS", "NNPS")) != plural:
            return None
        return self.resolve(reporter)

    def _entity_from_phrase(self, head: Token, tokens: list[Token]) -> Entity | None:
        known = self._known_in(tokens, head)
        head_ent = self._ent_of.get(head.i)
        if known is not None and head.i not in self._known and head_ent is not None:
            if known.code in ("IGO", "UNO", "EUR") and head_ent.label_ == "GPE":
                # "Kenzo Oshima" with only "Oshima" tagged a place: a name, not a country
                in_longer_name = any(
                    t.dep_ == "compound" and t.pos_ == "PROPN" and t not in head_ent
                    for t in head.lefts
                )
                if self.places_named.country_of_text(head_ent.text) and not in_longer_name:
                    known = None  # "NATO-member Norway" is Norway
        person = self._person_in(tokens)
        if person is None and known is None:
            person = untagged_person(head, lambda text: bool(self.kb.people_named(text, self.day)))
        # "Assad loyalists": a name that only qualifies the head is not who the phrase is.
        named = person is not None and (head in person or head.dep_ == "appos" or titled(head))
        held = self._held_role(person) if person is not None and named else None
        country, country_token = self.places_named.country_in(tokens)
        agent, agent_token = self._agent_in(
            tokens, head, require_head=person is None and known is None
        )
        if agent is not None and agent_token is head and self._stance_noun(head):
            return None  # "growing opposition from European countries": a stance, no party
        if (
            agent is None
            and country_token is not None
            and stands_in(head, country_token, self.knowledge.stand_in_words)
        ):
            agent, agent_token = Agent((head.lemma_.lower(),), "GOV", None), head
        if person is not None:
            registered = self._lookup_person(person)
            if registered is not None and not (agent or country):
                return registered
        if known is None and person is None and country is None and agent is None:
            if head.ent_type_ == "NORP" and head.tag_ in ("NNS", "NNPS"):
                # "ethnic Turks", "Kurds": people of a group that is no country
                return Entity(entity_text=phrase_text(tokens), sector="CVL")
            if head.ent_type_ == "ORG" and head.pos_ == "PROPN":
                # "the Human Rights Commission condemned ...": a named body nobody lists is
                # still a party, uncoded (the merge keeps it only for a certain event)
                return Entity(entity_text=phrase_text(tokens))
            return None
        if known is None and person is None and country is None and agent is not None:
            earlier = self._earlier_holder(head, agent)
            if earlier is not None:
                return earlier
        code = (known.code or country) if known else country
        if held is not None and (code is None or (known is None and in_office(held[1]))):
            # "Putin said", "Erdogan, speaking in Washington": whom the office holder serves
            code = held[1].code
        if code is None:
            code = self._owner_country(tokens)  # "their forces" after "Bosnian Serbs said"
        if code is None and agent is not None and agent.sector != "UNK":
            # "Defence Secretary Tom King" in a British story: a title without a country
            # belongs to the country the rest of the document is about (not this sentence,
            # which may name the other party: "Moroccan diplomats met President Obama").
            code = self._context_country(head, named=person is not None or bool(agent.office))
        country_is_head = country_token is not None and (
            country_token is head or head in (self._ent_of.get(country_token.i) or ())
        )
        if country_is_head and known is None and person is None and agent is None:
            regions = self.knowledge.region_words
            if any(c.dep_ == "amod" and c.lower_ in regions for c in head.children):
                return None  # "struck northern Iraq": a place (the event's), not a party
        if known is None and person is None and agent is None and not country_is_head:
            if country_token is not None and country_token.dep_ == "poss":
                if country_token.head.i == head.i:
                    # "Ukraine's agreement", "China's support": the owner is the party
                    return self.resolve(country_token)
            demonym = country_token is not None and (
                country_token.ent_type_ == "NORP" or country_token.pos_ == "ADJ"
            )
            if demonym and head.pos_ == "NOUN" and not is_demonym_people(head):
                # "Brazilian beef": a thing, not a party ("a London-based group" stays one)
                return None
        sector = choose_sector(known, agent, country_is_head and not known, person)
        if known is not None and known.code in _BODIES and (person or (agent and agent.office)):
            sector = known.sector or "GOV"  # officials of the UN, the EU, NATO: their bodies' GOV
        if sector is None and held is not None:
            sector = held[1].sector
        if agent is None and known is None and person is None and is_demonym_people(head):
            sector = "CVL"  # "Palestinians", "ordinary Kazakhs": people, not their government
        if former(tokens, head, agent_token, self.knowledge.former_words):
            sector = "ELI"  # "former president X": out of office, an elite of the country
        office = self._office_text(tokens, person, agent) if agent else None
        seat = None
        if country_is_head and sector == "GOV" and not agent and known is None and code:
            # "visit Doha", "Moscow warned": a city standing for the government seated there
            name = country_name(code)
            if name and not self.knowledge.country_code((head_ent or head).text):
                seat = f"{SEAT_PREFIX}{with_article(name)}"
        entity = Entity(
            entity_text=phrase_text(tokens),
            code=code,
            sector=sector,
            office=office or (held[1].office if held is not None else None),
            identifier_text=(
                held[0].name if held is not None
                else person.text if person is not None
                else (known.name if known else seat)
            ),
            identifier_id=(
                held[0].identifier_id if held is not None
                else known.identifier_id if known
                # "Russia said", "Moscow warned": the country itself
                else self.knowledge.country_ids.get(code or "")
                if country_is_head and not agent and sector == "GOV"
                else None
            ),
        )  # fmt: skip
        if person is not None:
            entity = self._register_person(person, entity)
        return entity

    def _held_role(self, person: Span) -> tuple[Person, Role] | None:
        """The knowledge base's person of this name and the role held on the document's day.
        Several people of one name: those in office that day first, then those of a country
        the document names; still several with different countries, no one."""
        found = [(p, r) for p in self._people_titled(person) if (r := p.role_on(self.day))]
        if len(found) > 1:
            in_office = [(p, r) for p, r in found if r.dated and r.sector != "ELI"]
            found = in_office or found
        if len(found) > 1:
            local = [(p, r) for p, r in found if r.code in self.countries_seen]
            found = local or found
        if not found or len({r.code for _, r in found}) > 1:
            return None
        return found[0]

    def _people_titled(self, person: Span) -> list[Person]:
        """The people of the name with the title written before it, which the knowledge base
        lists as aliases ("President Bush": the surname alone also matches a Cayman Islands
        premier in office in 2000); failing those, of the name alone."""
        start = person.start
        while start > 0:
            title = self.doc[start - 1]
            if title.dep_ != "compound" or not title.text[:1].isupper():
                break
            start -= 1
        for begin in range(start, person.start):
            if found := self.kb.people_named(self.doc[begin : person.end].text, self.day):
                return found
        return self.kb.people_named(person.text, self.day)

    def _office_text(self, tokens: list[Token], person: Span | None, agent: Agent) -> str | None:
        """A named person's title as written (phrases.office_text); the agent's canonical
        office without a name."""
        if person is None:
            return agent.office

        def names_other(token: Token) -> bool:  # a country or a known body in the title
            capital = token.text[:1].isupper()
            return token.i in self._known or bool(
                capital and self.places_named.country_of_text(token.text)
            )

        return office_text(tokens, person, names_other) or agent.office

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
                places = self.places_named
                if not (places.city_read_as_person(ent) or places.demonyms_read_as_person(ent)):
                    return ent
        return None

    def _agent_in(
        self, tokens: list[Token], head: Token, require_head: bool
    ) -> tuple[Agent | None, Token | None]:
        """The longest agent phrase among the phrase's common-noun lemmas, nearest the head,
        and its last word.

        Without a name or organisation the agent must be the head itself: "army reservists" are
        MIL, but a "military offensive" or a "general strike" is no actor at all.
        """
        # A word of a place's name is no agent noun ("West Bank" is no bank)
        words = [
            t
            for t in tokens
            if t.i not in self._known
            and t.pos_ in ("NOUN", "ADJ", "PROPN")
            and t.ent_type_ not in ("GPE", "LOC")
        ]
        lemmas = [common_lemma(t) for t in words]
        best: tuple[int, int, Agent, Token] | None = None
        for length in range(min(self.resolver.max_agent_len, len(lemmas)), 0, -1):
            for start in range(len(lemmas) - length + 1):
                agent = self.resolver.agent(tuple(lemmas[start : start + length]))
                if agent is None:
                    continue
                covered = {w.i for w in words[start : start + length]}
                if require_head and head.i not in covered:
                    continue
                last = words[start + length - 1]
                distance = abs(last.i - head.i)
                if best is None or (length, -distance) > (best[0], -best[1]):
                    best = (length, distance, agent, last)
        return (best[2], best[3]) if best else (None, None)

    def _stance_noun(self, head: Token) -> bool:
        """ "opposition to the plan", "opposition from animal rights groups": a stance noun
        (actor_qualifiers.tsv) with a "to" or "from" phrase names a stance, not a party."""
        return head.lemma_.lower() in self.knowledge.stance_words and any(
            c.dep_ == "prep" and c.lower_ in ("to", "from") for c in head.children
        )

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
        """ "the deputy minister", "the diplomat": the last person met who fits the title. A
        body ("the government", "the Turkish side") is nobody met earlier: it has no office."""
        if agent.office is None:
            return None
        if not any(c.lower_ in DEFINITE for c in head.children) or head.tag_ == "NNS":
            return None
        earlier = [m.entity for m in reversed(self._people) if m.position < head.i]
        stem = agent.lemmas[-1][:6]  # "minister" matches the office "... foreign ministry"
        for entity in earlier:
            if any(word.startswith(stem) for word in (entity.office or "").split()):
                return entity
        # "the diplomat", "the envoy": the last person met in the same sector
        return next((e for e in earlier if e.sector == agent.sector), None)
