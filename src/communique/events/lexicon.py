"""The event knowledge: trigger lexicon, light verbs, status cues and the strict-PLOVER table."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Token

from communique.datafiles import read_table
from communique.records import PLOVER_TYPES

# Stands for "whatever type the event turns out to have" where a question about a word's parties
# must be answered before anyone has typed it (`extract.may_name_parties`).
ANY_TYPE = "*"


@dataclass(frozen=True)
class TriggerEntry:
    """One line of data/triggers.tsv."""

    lemma: str
    pos: str  # VERB or NOUN
    event: str
    mode: str | None
    cameo: str | None
    requires: frozenset[str]  # lemmas of which the trigger needs one as a dependent; empty: none
    # A second such set the trigger must also meet ("called off" + "strike": CONCEDE); empty: none
    also_requires: frozenset[str] = frozenset()

    def named_lemmas(self) -> frozenset[str]:
        """Every lemma a requirement of the entry names."""
        return self.requires | self.also_requires


@dataclass(frozen=True)
class StrictRule:
    """How a future or hypothetical act is coded in strict PLOVER (data/strict_plover.tsv)."""

    event: str
    status: str
    coded_as: str
    cameo: str | None
    keeps_plan: bool


@dataclass(frozen=True)
class EventKnowledge:
    triggers: dict[tuple[str, str], tuple[TriggerEntry, ...]]
    light_verbs: frozenset[str]
    travel_verbs: frozenset[str]  # "arrived on a visit", "returned for talks"
    claim_verbs: frozenset[str]  # "claimed responsibility for the attack": the claimant's act
    sending_verbs: frozenset[str]  # "sent a delegation to Gaza": the object is the actor's own
    # data/event_words.tsv: role (measure, meeting, press) -> its words
    word_roles: dict[str, frozenset[str]]
    occurrence_verbs: frozenset[str]  # "talks took place": the subject noun is the event
    status_cues: dict[tuple[str, str], str]  # (lemma, role) -> status
    strict: dict[tuple[str, str], StrictRule]  # (event, status) -> rule
    patient_nouns: frozenset[str]  # "their release": the possessor undergoes the act
    aim_nouns: frozenset[str]  # "in defiance of X", "in protest at X": whom an act is aimed at
    demand_modals: dict[str, str]  # "must" -> CAMEO code of the demand it reports
    stative_passives: frozenset[str]  # "is opposed to": the subject acts
    # event type (or "default", or ANY_TYPE: every type's) -> prepositions
    recipient_preps: dict[str, tuple[str, ...]]
    type_cameo: dict[str, str]  # PLOVER type -> the CAMEO code of an event known only by type
    arrester_sectors: frozenset[str]  # who reports an arrest made it (data/party_sectors.tsv)
    agent_sectors: frozenset[str]  # named before a noun of force, acts: "police firing"

    def target_preps(self, event: str) -> tuple[str, ...]:
        """The prepositions that introduce a target of this type; `ANY_TYPE`: of any type."""
        return self.recipient_preps.get(event) or self.recipient_preps["default"]

    def trigger_for(self, token: Token) -> TriggerEntry | None:
        """The lexicon entry this token fires, if any: entries with requirements first."""
        pos = (
            "VERB"
            if token.pos_ == "VERB" or predicative_participle(token)
            else "NOUN"
            if token.pos_ in ("NOUN", "PROPN")
            else ""
        )
        if not pos:
            return None
        if pos == "VERB" and _participle_as_noun(token):
            return None  # "arrested the accused", "the wounded were taken": people, no act
        entries = None
        for base in base_forms(token):
            entries = self.triggers.get((base, pos))
            if entries is not None:
                break
        found = self._first_met(token, entries) if entries is not None else None
        if found is None and pos == "VERB" and token.tag_ == "VBG" and token.dep_ in _NOUN_ROLES:
            # "Fighting erupted", "shelling continued": a gerund the small model tags as a verb
            # though it heads a noun phrase is looked up as the noun it is
            nouns = self.triggers.get((token.lower_, "NOUN"))
            found = self._first_met(token, nouns) if nouns is not None else None
        return found

    def _first_met(self, token: Token, entries: tuple[TriggerEntry, ...]) -> TriggerEntry | None:
        dependents: set[str] | None = None
        for entry in entries:
            if not entry.requires:
                return entry
            if dependents is None:
                dependents = _dependent_lemmas(token) | self._carrier_prepositions(token)
            if dependents & entry.requires and (
                not entry.also_requires or dependents & entry.also_requires
            ):
                return entry
        return None

    def _carrier_prepositions(self, token: Token) -> set[str]:
        """A noun's light verb's prepositions, which the parse often hangs there, not on the
        noun: in "staged rallies in Gaza against the leader", "against" is the verb's."""
        if token.pos_ == "VERB" or token.dep_ != "dobj" or not self.is_light_verb(token.head):
            return set()
        return {c.lower_ for c in token.head.children if c.dep_ == "prep"}

    def words(self, role: str) -> frozenset[str]:
        """The words of one role of data/event_words.tsv ("measure": "days of", "a round of")."""
        return self.word_roles.get(role, frozenset())

    def is_light_verb(self, token: Token) -> bool:
        return any(base in self.light_verbs for base in base_forms(token))

    def cue(self, lemma: str, role: str) -> str | None:
        return self.status_cues.get((lemma, role))

    def cue_words(self, role: str, statuses: frozenset[str]) -> frozenset[str]:
        """The cue words of one role that mark one of `statuses` ("aux", {"future"}: will ...)."""
        return frozenset(
            word
            for (word, cue_role), status in self.status_cues.items()
            if cue_role == role and status in statuses
        )


def predicative_participle(token: Token) -> bool:
    """A participle after "be" or "remain" that the small model tags an adjective ("Britain
    remains opposed to the plan"), though it tags the same words a verb as often: it is read
    as the verb."""
    return (
        token.pos_ == "ADJ"
        and token.tag_ == "JJ"
        and token.dep_ == "acomp"
        and token.lower_.endswith("ed")
    )


def _participle_as_noun(token: Token) -> bool:
    """A participle with a determiner filling a noun's place: "the accused", "the injured"."""
    return (
        token.tag_ in ("VBN", "VBD")
        and token.dep_ in _NOUN_ROLES
        and any(c.dep_ == "det" for c in token.children)
    )


# Dependency roles of a noun phrase: a gerund in one is read as a noun.
_NOUN_ROLES = frozenset({"nsubj", "nsubjpass", "dobj", "pobj"})


def base_forms(token: Token) -> tuple[str, ...]:
    """The lemma, then guesses for verbs the lemmatizer gets wrong ("staged" -> "stag")."""
    lemma = token.lemma_.lower()
    if token.pos_ != "VERB" and not predicative_participle(token):
        return (lemma,)
    lower = token.lower_
    guesses = [lemma]
    if lower.endswith("ed"):
        guesses += [lower[:-1], lower[:-2]]  # staged -> stage, launched -> launch
    elif lower.endswith("ing"):
        guesses += [lower[:-3] + "e", lower[:-3]]
    elif lower.endswith("es"):
        guesses += [lower[:-1], lower[:-2]]
    elif lower.endswith("s"):
        guesses.append(lower[:-1])
    # "reimposed", "reoccupied", "rearrested": the act again. Tried last, so a verb of its own
    # ("resign", "release", "recall") is never read as its stem; a stem under five letters is
    # not tried ("relay" is no "lay", "reside" no "side").
    guesses += [g[2:] for g in guesses if g.startswith("re") and len(g) >= 7]
    return tuple(guesses)


def _dependent_lemmas(token: Token) -> set[str]:
    """Lemmas a lexicon requirement may name: the trigger's dependents, inside its object the
    modifiers and an "of" phrase ("provided tons of food aid" -> ton, of, food, aid), a noun
    trigger's own "of" object ("a suspension of air links" -> of, link, air), "on" for a noun
    in an "on" phrase ("on alert"), "that" for a clause the trigger governs, and a verb's "to"
    or "into" object ("took to the streets"). An infinitive's "to" and a preposition of time
    ("for Monday") are not counted."""
    lemmas: set[str] = set()
    if token.pos_ == "NOUN" and token.dep_ == "pobj" and token.head.lower_ == "on":
        lemmas.add("on")  # "troops remained on alert": the state the noun's "on" names
    for child in token.children:
        if child.dep_ == "aux" and child.lower_ == "to":
            continue  # the infinitive's "to" ("to protest oil licences") is no "protested to"
        if child.dep_ == "prep" and any(
            p.dep_ == "pobj" and p.ent_type_ in ("DATE", "TIME") for p in child.children
        ):
            continue  # "called a strike for Monday": a time, not what is called for
        lemmas.add(child.lemma_.lower())
        if child.dep_ == "ccomp":
            lemmas.add("that")  # "protested that ...", "'It is unfair,' they protested"
        if token.pos_ == "VERB" and child.dep_ == "prep" and child.lower_ in ("to", "into"):
            # "took to the streets", "taken into custody": where the verb goes
            lemmas.update(p.lemma_.lower() for p in child.children if p.dep_ == "pobj")
        if token.pos_ == "NOUN" and child.dep_ == "prep" and child.lower_ == "of":
            for pobj in (c for c in child.children if c.dep_ == "pobj"):
                lemmas.add(pobj.lemma_.lower())
                lemmas.update(c.lemma_.lower() for c in pobj.children if c.dep_ == "compound")
        if child.dep_ not in ("dobj", "nsubjpass", "attr"):
            continue
        for grandchild in child.children:
            if grandchild.dep_ in ("compound", "amod"):
                lemmas.add(grandchild.lemma_.lower())
            elif grandchild.dep_ == "prep" and grandchild.lower_ == "of":
                for pobj in grandchild.children:
                    lemmas.add(pobj.lemma_.lower())
                    lemmas.update(c.lemma_.lower() for c in pobj.children if c.dep_ == "compound")
    return lemmas


@lru_cache(maxsize=1)
def event_knowledge() -> EventKnowledge:
    """The process-wide event knowledge, loaded from the data files on first call."""
    grouped: dict[tuple[str, str], list[TriggerEntry]] = {}
    for row in read_table("triggers.tsv"):
        if row["event"] not in PLOVER_TYPES:
            raise ValueError(f"data/triggers.tsv: unknown event type {row['event']!r}")
        requires, _, also = row["requires"].removeprefix("child:").partition("+")
        entry = TriggerEntry(
            lemma=row["lemma"].lower(), pos=row["pos"], event=row["event"],
            mode=row["mode"] or None, cameo=row["cameo"] or None,
            requires=frozenset(r for r in requires.split("|") if r),
            also_requires=frozenset(r for r in also.split("|") if r),
        )  # fmt: skip
        grouped.setdefault((entry.lemma, entry.pos), []).append(entry)
    triggers = {
        key: tuple(sorted(entries, key=lambda e: not e.requires))
        for key, entries in grouped.items()
    }
    strict = {}
    for row in read_table("strict_plover.tsv"):
        rule = StrictRule(
            event=row["event"], status=row["status"], coded_as=row["coded_as"],
            cameo=row["cameo"] or None, keeps_plan=row["planned"] == "yes",
        )  # fmt: skip
        strict[(rule.event, rule.status)] = rule
    return EventKnowledge(
        triggers=triggers,
        light_verbs=frozenset(row["lemma"] for row in read_table("light_verbs.tsv")),
        travel_verbs=frozenset(row["lemma"] for row in read_table("travel_verbs.tsv")),
        claim_verbs=frozenset(row["lemma"] for row in read_table("claim_verbs.tsv")),
        sending_verbs=frozenset(row["lemma"] for row in read_table("sending_verbs.tsv")),
        word_roles=_word_roles(),
        occurrence_verbs=frozenset(row["lemma"] for row in read_table("occurrence_verbs.tsv")),
        status_cues={(r["word"], r["role"]): r["status"] for r in read_table("status_cues.tsv")},
        strict=strict,
        patient_nouns=frozenset(row["lemma"] for row in read_table("patient_nouns.tsv")),
        aim_nouns=frozenset(row["lemma"] for row in read_table("aim_nouns.tsv")),
        demand_modals={row["modal"]: row["cameo"] for row in read_table("demand_modals.tsv")},
        stative_passives=frozenset(r["lemma"] for r in read_table("stative_passives.tsv")),
        recipient_preps=_recipient_preps(),
        type_cameo={row["event"]: row["cameo"] for row in read_table("type_cameo.tsv")},
        arrester_sectors=_sectors("arrester"),
        agent_sectors=_sectors("agent"),
    )


def _recipient_preps() -> dict[str, tuple[str, ...]]:
    preps = {r["event"]: tuple(r["preps"].split()) for r in read_table("recipient_preps.tsv")}
    preps[ANY_TYPE] = tuple(dict.fromkeys(p for found in preps.values() for p in found))
    return preps


def _word_roles() -> dict[str, frozenset[str]]:
    grouped: dict[str, set[str]] = {}
    for row in read_table("event_words.tsv"):
        grouped.setdefault(row["role"], set()).add(row["word"])
    return {role: frozenset(words) for role, words in grouped.items()}


def _sectors(role: str) -> frozenset[str]:
    return frozenset(r["sector"] for r in read_table("party_sectors.tsv") if r["role"] == role)
