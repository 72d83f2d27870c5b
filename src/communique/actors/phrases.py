"""Reading one actor noun phrase: which tokens describe the head, its text, and what its
words say about the sector (titles, "former", demonyms). Used by `communique.actors.resolve`.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Span, Token

from communique.actors.kb import Role
from communique.actors.knowledge import ActorKnowledge, Agent, KnownActor

# Dependents that belong to a noun phrase's own description (not clauses hung on it).
PHRASE_DEPS = frozenset(
    {"det", "amod", "compound", "poss", "nmod", "nummod", "quantmod", "case", "punct", "advmod"}
    | {"npadvmod"}  # "London" in "a London-based group"
)
DEFINITE = frozenset({"the", "this", "that", "these", "those"})


def clause_subjects(pronoun: Token) -> set[int]:
    """Token positions of the subject (and its conjuncts) of the verb an object pronoun hangs on:
    a plain pronoun never refers to its own clause's subject."""
    verb = pronoun.head.head if pronoun.dep_ == "pobj" else pronoun.head
    if pronoun.dep_ not in ("dobj", "pobj", "dative", "iobj"):
        return set()
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    return {t.i for s in subjects for t in (s, *s.conjuncts)}


def is_ethnicity(token: Token) -> bool:
    """ "ethnic Albanians in Serbia": the demonym names an ethnicity, not a citizenship."""
    return any(c.lower_ == "ethnic" for c in token.children) or (
        token.i > 0 and token.doc[token.i - 1].lower_ == "ethnic"
    )


def of_object(token: Token) -> Token | None:
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
            child.dep_ in PHRASE_DEPS
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


def phrase_text(tokens: list[Token]) -> str:
    words = [t for t in tokens if t.dep_ != "punct" or t.text in ("-", "'s")]
    while words and words[0].lower_ in DEFINITE | {"a", "an"}:
        words = words[1:]
    while words and words[-1].dep_ == "case":
        words = words[:-1]  # "the government's offer": the party is "government"
    if not words:
        return ""
    doc = words[0].doc
    return doc[words[0].i : words[-1].i + 1].text


def choose_sector(
    known: KnownActor | None, agent: Agent | None, country_is_head: bool, person: Span | None
) -> str | None:
    if known is not None and known.sector:
        return known.sector
    if agent is not None:
        return agent.sector or None  # "aid worker", "charity": no sector of their own
    if known is not None and known.kind in ("seat", "capital"):
        return "GOV"
    if country_is_head and person is None:
        return "GOV"  # a country named as an actor speaks for its government, as ICEWS codes it
    return None  # "a London-based group": the place gives the country, not the sector


def former(
    tokens: list[Token], head: Token, agent_token: Token | None, words: frozenset[str]
) -> bool:
    """ "former president X", "X, a former diplomat": out of office (`words`: the "former"
    words of actor_qualifiers.tsv). A "former" that describes something else ("Prime Minister
    Starmer, a former lawyer") leaves the current title."""
    for token in tokens:
        if token.lower_ in words or token.lower_.startswith("ex-"):
            described = token.head
            if agent_token is None or described in (agent_token, head):
                return True
    return False


def in_office(role: Role) -> bool:
    return role.dated and role.sector != "ELI"


def titled(head: Token) -> bool:
    """Whether the head is a name under a title ("President Xi": the head is "Xi")."""
    return head.pos_ == "PROPN" and head.ent_type_ == "PERSON"


def is_demonym_people(head: Token) -> bool:
    """ "Kazakhs", "Palestinians": a demonym heading the phrase names people ("German" in
    "German goods", an adjective, names the country)."""
    if head.pos_ == "ADJ":
        return False
    return head.ent_type_ == "NORP" or (head.tag_ == "NNPS" and head.text.endswith("s"))


_OBJECT_DEPS = frozenset({"dobj", "pobj", "obj", "dative", "attr", "oprd"})
_QUALIFIER_DEPS = frozenset({"det", "poss", "amod", "compound", "nmod", "nummod"})


def is_instrument(token: Token, when: str | None) -> bool:
    """Whether the noun names what a party uses (instrument_nouns.tsv), not a party."""
    if when == "object":
        role = token
        while role.dep_ == "conj":  # "drones and missiles": the first conjunct's role
            role = role.head
        return role.dep_ in _OBJECT_DEPS
    if when == "bare":
        return token.tag_ == "NN" and not any(c.dep_ in _QUALIFIER_DEPS for c in token.children)
    return False


def common_lemma(token: Token) -> str:
    """The lemma, with a plural the small model tagged as a proper noun at the start of a
    sentence ("Rebels shelled ...", lemma "Rebels") made singular, as its common-noun tag would."""
    lower = token.lemma_.lower()
    if token.tag_ != "NNPS" or token.ent_type_ or not lower.endswith("s"):
        return lower
    return lower[:-3] + "y" if lower.endswith("ies") else lower[:-1]


def stands_in(head: Token, country_token: Token, stand_in_words: frozenset[str]) -> bool:
    """ "the Chinese side", "the Turkish and Greek sides": a stand-in noun that a country word
    qualifies names that country's government (alone, "the home side", nothing)."""
    if head.lemma_.lower() not in stand_in_words:
        return False
    qualifier = country_token
    while qualifier.dep_ == "conj" and qualifier.head.i < head.i:
        qualifier = qualifier.head
    return qualifier.head.i == head.i and qualifier.dep_ in ("amod", "compound", "poss", "nmod")


def with_article(country: str) -> str:
    """ "the United States", "the Philippines", but "Qatar"."""
    plural = country.endswith(("lands", "ines", "mas", "ives", "elles", "oros"))
    return f"the {country}" if plural or country.startswith(("United ", "Republic")) else country


def office_text(tokens: list[Token], person: Span, names_other: Callable[[Token], bool]) -> str:
    """A named person's title as written, without name, country or articles: "Deputy Head of
    the Russian Foreign Ministry Mikhail Bogdanov" -> "deputy head of foreign ministry";
    `names_other` tells a word of a country or a known body, left out."""
    words = [
        t.lower_
        for t in tokens
        if not (person.start <= t.i < person.end)
        and t.dep_ not in ("det", "punct", "case", "poss")
        and t.pos_ in ("NOUN", "PROPN", "ADJ", "ADP")
        and not names_other(t)
    ]
    while words and words[-1] in ("of", "for"):
        words.pop()
    return " ".join(words)


def untagged_person(head: Token, known_person: Callable[[str], bool]) -> Span | None:
    """A proper name the knowledge base knows as a person (`known_person`) though the entity
    model did not tag it ("Erdogan said" read as an organisation or nothing)."""
    if head.pos_ not in ("PROPN", "NOUN") or not head.text[:1].isupper():
        return None  # "Trump" alone is read as a noun (the card game) and an ORG
    names = [t for t in head.lefts if t.dep_ == "compound" and t.pos_ == "PROPN"]
    start = min([head.i, *(t.i for t in names)])
    # "Vice-President Moody Awori" read as one organisation: the name may follow a title, so
    # shorter spans are tried too, down to two words (a surname alone is too loose).
    last_start = head.i if start == head.i else head.i - 1
    for begin in range(start, last_start + 1):
        span = head.doc[begin : head.i + 1]
        if known_person(span.text):
            return span
    return None
