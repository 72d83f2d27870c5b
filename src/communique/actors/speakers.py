"""Who "we" and "I" are: the speaker a quotation is attributed to.

In ' "We will not negotiate," the prime minister said ' the first-person pronoun stands for the
prime minister. The parser hangs the quoted clause under the verb of saying (ccomp or
parataxis), whichever side of the quotation that verb stands on; the speaker is its subject.
"""

from __future__ import annotations

from spacy.tokens import Token

FIRST_PERSON = frozenset({"i", "me", "my", "we", "us", "our"})
# How far up from the pronoun the verb of saying may stand: "we need them and we need them now,
# I urge our partners to act", said X.
_MAX_HOPS = 6


def quoted_speaker(pronoun: Token, speech_verbs: frozenset[str]) -> Token | None:
    """The subject of the verb of saying that the pronoun's clause is reported under, unless it
    is in the first person itself ("we said")."""
    node = pronoun
    for _ in range(_MAX_HOPS):
        if node.head.i == node.i:
            return None
        via, node = node.dep_, node.head
        if via in ("ccomp", "parataxis") and node.lemma_.lower() in speech_verbs:
            subject = next((c for c in node.children if c.dep_ == "nsubj"), None)
            if subject is None or subject.lower_ in FIRST_PERSON:
                return None
            return subject  # "she said": the resolver finds whom "she" is
    return None
