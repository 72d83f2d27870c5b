"""Which country a noun phrase names, and through which of its words.

A phrase names a country by a word the entity model tags as a place or people ("the Russian
Foreign Ministry", "Iraqi forces"), or, failing that, by a capitalised word it did not tag: a
country or demonym ("Ugandan" read as a person), then a town ("Kyiv police"). One
`PhraseCountries` serves one parsed document (`resolve.DocumentActors`).
"""

from __future__ import annotations

from collections.abc import Callable, Container, Mapping
from datetime import date

from spacy.tokens import Span, Token

from communique.actors.kb import KnowledgeBase
from communique.actors.knowledge import ActorKnowledge
from communique.actors.phrases import is_ethnicity

COUNTRY_LABELS = frozenset({"GPE", "NORP", "LOC"})
CITY_AS_ADJECTIVE = 200_000  # inhabitants

# A place name's country: (name, least population, only places called so) -> ISO3 or None.
PlaceCountry = Callable[[str, int, bool], "str | None"]


class PhraseCountries:
    """The country words of one document's phrases (`ent_of`: token -> its entity span)."""

    def __init__(
        self,
        ent_of: Mapping[int, Span],
        known: Container[int],
        knowledge: ActorKnowledge,
        kb: KnowledgeBase,
        place_country: PlaceCountry,
        day: date,
    ) -> None:
        self._ent_of = ent_of
        self._known = known  # tokens of organisations the knowledge base names: not countries
        self.knowledge = knowledge
        self.kb = kb
        self.place_country = place_country
        self.day = day

    def city_read_as_person(self, ent: Span) -> bool:
        """ "struck Kyiv" with Kyiv tagged PERSON by the small model: one word that names a
        big city and no person the knowledge base knows."""
        return (
            len(ent) == 1
            and not self.kb.people_named(ent.text, self.day)
            and self.place_country(ent.text, CITY_AS_ADJECTIVE, False) is not None
        )

    def country_in(self, tokens: list[Token]) -> tuple[str | None, Token | None]:
        """The country the phrase names (a country, demonym, capital, city or region in it),
        and the token that names it. A name the entity model tags as a place or people wins
        over a word that is only guessed to be one ("Young Algerians": Algerians, not a town
        called Young)."""
        candidates = [t for t in tokens if t.i not in self._known and not is_ethnicity(t)]
        for token in candidates:
            ent = self._ent_of.get(token.i)
            if ent is not None and ent.label_ in COUNTRY_LABELS:
                code = self.country_of_text(ent.text)
                if code:
                    return code, token
            if ent is not None and (code := self.knowledge.exact_country(ent.text)):
                return code, token  # "Sri Lanka" tagged PERSON by the small model
        # Then a country or demonym among untagged words, then a town's name among them.
        for guess in (self._country_word, self._town_word):
            for token in candidates:
                if code := guess(token):
                    return code, token
        return None, None

    def _untagged_name(self, token: Token) -> bool:
        """A capitalised word the entity model did not tag as a place (or tagged as a body)."""
        ent = self._ent_of.get(token.i)
        return (
            (ent is None or ent.label_ in ("ORG", "FAC") or self.city_read_as_person(ent))
            and token.pos_ in ("PROPN", "ADJ")
            and token.text[:1].isupper()
        )

    def _country_word(self, token: Token) -> str | None:
        if self._demonym_read_as_person(token, self._ent_of.get(token.i)):
            return self.knowledge.country_code(token.text)  # "Ugandan opposition candidates"
        if not self._untagged_name(token) or (token.pos_ == "ADJ" and token.tag_ != "JJ"):
            return None
        # "the Russian Foreign Ministry" is one ORG entity, but Russian names the country
        return self.knowledge.country_code(token.text)

    def _town_word(self, token: Token) -> str | None:
        if not self._untagged_name(token):
            return None
        if self.knowledge.agent((token.lower_,)) is not None:
            return None  # "National Police Service": an agent noun, not the Polish town Police
        # "Kyiv police" (Kyiv read as an adjective): a city names its country; an adjective
        # only when it names a big city, not a hamlet called "Federal". A proper noun names
        # any place called so, but a big city only by its other names ("Solo" is Surakarta;
        # "Freedom" and "Bridge" are other names of small American towns).
        if token.pos_ == "PROPN" and (own := self.place_country(token.text, 0, True)):
            return own
        return self.place_country(token.text, CITY_AS_ADJECTIVE, False)

    def _demonym_read_as_person(self, token: Token, ent: Span | None) -> bool:
        """A one-word "person" that only qualifies the noun after it, and whom the knowledge
        base does not know, or a "person" made of demonyms only ("Bosnian Serbs"): a demonym
        the small model mislabelled."""
        if ent is None or ent.label_ != "PERSON":
            return False
        if self.demonyms_read_as_person(ent):
            return True
        return (
            len(ent) == 1
            and token.dep_ in ("compound", "amod")
            and token.head.i > token.i
            and not self.kb.people_named(token.text, self.day)
        )

    def demonyms_read_as_person(self, ent: Span) -> bool:
        """ "Bosnian Serbs", "Turkish Cypriots" tagged PERSON: every word a demonym or country
        word, and no person the knowledge base knows by that name."""
        return (
            ent.label_ == "PERSON"
            and len(ent) > 1
            and all(self.knowledge.country_code(t.text) for t in ent)
            and not self.kb.people_named(ent.text, self.day)
        )

    def country_of_text(self, text: str) -> str | None:
        if text.strip().lower() in self.knowledge.region_words:
            return None  # "the North", "the South": a direction, not a hamlet of that name
        return (
            self.knowledge.country_code(text)
            or self.knowledge.capital_country(text)
            or self.place_country(text, 0, False)
        )
