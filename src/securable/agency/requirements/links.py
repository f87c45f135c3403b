"""Securable-derived links from the 2020 Federal Profile's supporting capabilities to SP 800-53 controls.

NIST mapped the SP 800-213A catalog to SP 800-53 Rev. 5 (draft workbooks), but not the 2020 Federal
Profile, the only source of the Agency actions. We derive two kinds of link, each with its evidence,
and every output labels them as Securable's, not NIST's:

* **wording**: NIST rewrote the 2020 Manufacturer actions into the 2021 catalog's actions, often
  word for word. The description of each supporting capability and each of its Manufacturer actions
  is compared with every SP 800-213A record that NIST mapped to controls (TF-IDF cosine over
  stemmed content words); the best match at or above :data:`THRESHOLD` lends NIST's controls for
  that record to the supporting capability. Agency actions are not used as queries: they say what
  the agency does, while the catalog describes what the manufacturer provides.
* **policy**: every supporting capability is "Policies and procedures for <topic>", and SP 800-53
  puts each family's policy and procedures in its ``-1`` control. When the capability's title uses
  a word of an SP 800-53 family name (Maintenance, Configuration Management, ...), it links to that
  family's ``-1`` control. Words shared by several family names or too generic to pick one
  (:data:`AMBIGUOUS`) are skipped.

Supporting capabilities of the seed page (``FPN-SEED-*``) are an earlier revision of later records
(``revised-as`` links) and are left out, so each Agency action is counted once.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from securable import catalog as api

FEDERAL = "federal-profile-2020"
CAPABILITIES = "sp800-213a"
CONTROLS = "sp800-53r5"
THRESHOLD = 0.45  # below this, matches in a hand check were mostly about different topics
SEED_PREFIX = "FPN-SEED"
# Family-name words that would point at more than one family (planning: CP and PL; risk: RA and SR;
# assessment: CA and RA) or at none in particular.
_AMBIGUOUS = (
    "and system services communications protection security management information control planning "
    "risk assessment authorization program personally identifiable processing"
)
AMBIGUOUS = frozenset(_AMBIGUOUS.split())
# Words that occur in nearly every record of both catalogs and would only add noise to the match.
_STOP_WORDS = (
    "a an the and or of to for in on with by be is are as that this it its their from at can may any "
    "all each other such iot device devices customer customers manufacturer manufacturers organization "
    "organizational policies procedures provide providing ensure include including necessary details"
)
_STOP = frozenset(_STOP_WORDS.split())
_WORD = re.compile(r"[a-z]+")
_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "es", "s", "ed")


@dataclass(frozen=True, slots=True)
class DerivedLink:
    """Why a supporting capability relates to a control, according to Securable (not NIST)."""

    capability: str  # federal-profile-2020 supporting capability ID
    control: str  # SP 800-53 Rev. 5 OSCAL ID
    route: str  # "wording" or "policy"
    evidence: str  # wording: the sp800-213a record matched; policy: the family ID
    source: str  # wording: the federal record whose text matched; policy: the capability itself
    score: float  # wording: cosine similarity (0-1); policy: 1.0

    def explain(self) -> str:
        label = control_label(self.control)
        if self.route == "wording":
            return (
                f"{label}: wording of {self.source} matches {CAPABILITIES} {self.evidence} "
                f"(similarity {self.score:.2f}), which NIST maps to {label}"
            )
        family = api.load(CONTROLS).get(self.evidence)
        name = family.title if family else self.evidence
        return f"{label}: the title names the {name} family, whose policy and procedures are {label}"


def control_label(control_id: str) -> str:
    """How people write a control (``AC-2(1)``), from the shipped catalog; the ID if it is unknown."""
    record = api.load(CONTROLS).get(control_id)
    label = record.props.get("label") if record else None
    return label if isinstance(label, str) else control_id.upper()


def supporting_capabilities() -> list[api.Record]:
    """The Federal Profile's non-technical supporting capabilities that carry actions (no seed copies)."""
    federal = api.load(FEDERAL)
    return [r for r in federal.of_kind("supporting-capability") if not r.id.startswith(SEED_PREFIX)]


@cache
def agency_links() -> dict[str, tuple[DerivedLink, ...]]:
    """Every derived link, by supporting capability ID, in a fixed order (wording first, by score)."""
    federal = api.load(FEDERAL)
    matcher = _Matcher(r for r in api.load(CAPABILITIES) if r.mappings.get(CONTROLS))
    families = _family_words()
    out: dict[str, tuple[DerivedLink, ...]] = {}
    for capability in supporting_capabilities():
        found: dict[tuple[str, str], DerivedLink] = {}
        queries = [(capability, f"{capability.title} {capability.text}")]
        queries += [
            (m, m.text) for m in federal.descendants(capability.id) if m.kind == "manufacturer-action"
        ]
        for record, text in queries:
            hit = matcher.best(text)
            if hit is None:
                continue
            target, score = hit
            for control in target.mappings[CONTROLS]:
                link = DerivedLink(capability.id, control, "wording", target.id, record.id, round(score, 3))
                key = (control, "wording")
                if key not in found or found[key].score < link.score:
                    found[key] = link
        for family in sorted({f for w in _tokens(capability.title) for f in families.get(w, ())}):
            control = f"{family.lower()}-1"
            found[(control, "policy")] = DerivedLink(
                capability.id, control, "policy", family, capability.id, 1.0
            )
        out[capability.id] = tuple(sorted(found.values(), key=lambda k: (k.route != "wording", -k.score)))
    return out


def _family_words() -> dict[str, set[str]]:
    """Stemmed words of the SP 800-53 family names -> family IDs (``maintenance`` -> {``MA``})."""
    words: dict[str, set[str]] = {}
    for family in api.load(CONTROLS).roots():
        for word in _WORD.findall(family.title.lower()):
            if word not in AMBIGUOUS:
                words.setdefault(_stem(word), set()).add(family.id)
    return words


def _stem(word: str) -> str:
    # A light suffix strip is enough to meet "maintenance"/"maintain" halfway and match plurals;
    # both sides go through the same function, so crude stems still line up.
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _tokens(text: str) -> list[str]:
    return [_stem(w) for w in _WORD.findall(text.lower()) if len(w) >= 3 and w not in _STOP]


class _Matcher:
    """TF-IDF vectors of the mapped SP 800-213A records, searched through an inverted index."""

    def __init__(self, records: Iterable[api.Record]) -> None:
        docs = [(r, _tokens(f"{r.title} {r.text}")) for r in records]
        self.size = len(docs)
        self.df = Counter(w for _, toks in docs for w in set(toks))
        self.records = [r for r, _ in docs]
        self.postings: dict[str, list[tuple[int, float]]] = {}
        for i, (_, toks) in enumerate(docs):
            for word, weight in self._vector(toks).items():
                self.postings.setdefault(word, []).append((i, weight))

    def _vector(self, toks: list[str]) -> dict[str, float]:
        counts = Counter(w for w in toks if w in self.df)
        vec = {w: (1 + math.log(n)) * math.log((self.size + 1) / (self.df[w] + 1)) for w, n in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {w: v / norm for w, v in vec.items()}

    def best(self, text: str) -> tuple[api.Record, float] | None:
        """The most similar record and its score, if the score reaches :data:`THRESHOLD`."""
        scores: dict[int, float] = {}
        for word, weight in self._vector(_tokens(text)).items():
            for i, doc_weight in self.postings.get(word, ()):
                scores[i] = scores.get(i, 0.0) + weight * doc_weight
        if not scores:
            return None
        # Ties go to the earlier record (catalog order), so results never depend on dict order.
        i = max(scores, key=lambda k: (round(scores[k], 9), -k))
        return (self.records[i], scores[i]) if scores[i] >= THRESHOLD else None
