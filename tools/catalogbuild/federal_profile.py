"""Build ``federal-profile-2020``: NIST's 2020 draft Federal Profile catalog (usnistgov/FederalProfile-8259A).

Three parts, all from Jekyll markdown pages:

* technical areas (``pages/_Technical/*.md``): area (``#``) -> sub-capability (``##``) -> element
  (``-`` bullet) -> sub-element (indented bullet, any depth): ``FP-DI``, ``FP-DI-1``, ``FP-DI-1.2``,
  ``FP-DI-1.2.1``;
* non-technical areas (``pages/_Nontechnical/*.md``): area -> supporting capability (``##``, its
  paragraph as text) -> **Manufacturer** and **Agency** actions: ``FPN-DS``, ``FPN-DS-3``,
  ``FPN-DS-3.M1``, ``FPN-DS-3.A2``, nested ``FPN-DS-3.A2.1``;
* the seed page, an earlier revision of the non-technical Device Security page, in the same shape under
  ``FPN-SEED``; each of its supporting capabilities is linked (``revised-as`` / ``revision-of``) to the
  later record it became.

Technical elements and sub-elements are also linked (``same-as``, on both records) to those of the
``sp800-213a`` build with the same text: NIST carried most of them over into that later catalog.

Bullets nest the way markdown nests them: a bullet is a child of the nearest earlier bullet whose text
starts at or before the new bullet's dash (CommonMark's content-column rule). Counting plain indentation
instead would make a bullet indented by three spaces under a two-space bullet its child, which NIST's
authors did not mean (``_Technical/event.md`` line 62, ``_Technical/logical.md`` lines 69-70).

Anything in a page that does not fit the expected shape is either rejected with a :class:`BuildError`
naming file and line, or kept and described in a catalog note (``source_form`` props mark the records
concerned). Only navigation is left out on purpose: the "See also" link (kept as the area's
``see_also`` prop) and Kramdown ``{:...}`` rendering attributes.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tools.catalogbuild.common import BuildError, CatalogDoc, SourceDoc, clean_text, rel

CATALOG_ID = "federal-profile-2020"
REPOSITORY = "usnistgov/FederalProfile-8259A"
PAGES_DIR = "nist-federal-profile-2020/pages"
HISTORY_DIR = "nist-federal-profile-2020/history/2020-04-22_cfaa85e_initial-import/_FederalBaseLine"
HEAD_COMMIT = "64d8e033801e4016dd7e97b74013c3b200857efc"
HEAD_DATE = "2020-08-11"
# GIT-HISTORY.md gives only abbreviated SHAs for these two; GitHub resolves them in URLs.
SEED_COMMIT = "c5d06d5"
SEED_DATE = "2020-06-11"
IMPORT_COMMIT = "cfaa85e4a65a"
# The seed lives beside the sources, in upstream/seeds; its path is recorded relative to upstream/.
SEED_PATH = "seeds/000_3a79ccec1d9d6d82.txt"
SEED_AREA = "FPN-SEED"
SEED_AREA_TITLE = "Device Security (earlier revision, seed page)"
SEED_ORIGIN_PATH = "_8259-Control/security.md"

# (file stem, ID prefix, the page's "#" heading) in the site's navigation order (front-matter navOrder).
TECHNICAL_AREAS = (
    ("identity", "DI", "Device Identity"),
    ("configuration", "DC", "Device Configuration"),
    ("protection", "DP", "Data Protection"),
    ("logical", "LAI", "Logical Access to Interfaces"),
    ("update", "SU", "Software Update"),
    ("event", "CEA", "Cybersecurity Event Awareness"),
    ("security", "DS", "Device Security"),
)
NONTECHNICAL_AREAS = (
    *TECHNICAL_AREAS,
    ("maintenance", "MA", "Device Acquisition and Maintenance"),
)
ACTORS = {"Manufacturer": ("manufacturer", "M"), "Agency": ("agency", "A")}

# Seed sections whose later counterpart is fixed by hand rather than by text similarity. Seed 13's
# heading and lead paragraph traded places in the later revision (the long "Policies and procedures
# govern IoT device security functional requirements, ..." sentence became the paragraph), so its
# title no longer resembles the later title. Its actions carry it over the threshold today (0.93), but
# this is the one structural change in the revision, so the link is pinned rather than left to scoring.
REVISION_OVERRIDES: dict[int, str] = {13: "FPN-DS-1"}
# Word-level similarity (difflib ratio over title, text and actions) a later supporting capability needs
# to count as the revision of a seed one. Real pairs score 0.85 or more (seed 10, whose "N/A" became a
# manufacturer action, is the lowest); the best unrelated pair scores 0.57 (maintenance sections share
# their boilerplate), so 0.75 sits between them with room on both sides.
REVISION_THRESHOLD = 0.75
# Same for the NIST IR 8259 tags of the first import against today's technical elements.
SOURCE_TAG_THRESHOLD = 0.75
# The later catalog whose technical elements get ``same-as`` links, and the kinds compared on both sides.
SAME_TEXT_CATALOG = "sp800-213a"
SAME_TEXT_KINDS = frozenset({"element", "sub-element"})

_H1 = re.compile(r"^# (?P<text>.+)$")
_H2 = re.compile(r"^## (?P<text>.+)$")
# "-Example" (no space) occurs once; a dash followed by another dash would be a rule, not a bullet.
_BULLET = re.compile(r"^(?P<indent> *)-(?P<space> ?)(?P<text>[^\s-].*)$")
# "**Manufacturer**" appears once without its colon; a label may carry text ("**Manufacturer:** N/A").
_LABEL = re.compile(r"^\*\*(?P<actor>Manufacturer|Agency)(?P<colon>:?)\*\*(?P<after>:?)\s*(?P<rest>.*)$")
_SEE_ALSO = re.compile(r"^_See also the \[[^\]]*\]\((?P<target>[^)]*)\)_\s*$")
_KRAMDOWN_ATTR = re.compile(r"^\{:.*\}\s*$")
_SOURCE_TAG = re.compile(r"\[Source: (?P<tag>[^\]]+)\]")
_BOILERPLATE = re.compile(r"(controls|actions) that may be necessary:?", re.IGNORECASE)


# ---------------------------------------------------------------------------------------------------
# Reading pages


@dataclass
class Para:
    """Consecutive non-blank lines that are neither bullets nor labels."""

    line: int
    text: str


@dataclass
class Bullet:
    line: int
    indent: int
    text: str
    spaced: bool  # False for "-Example": written without the space markdown needs


@dataclass(frozen=True)
class Label:
    line: int
    actor: str  # "Manufacturer" or "Agency"
    colon: bool  # False for "**Manufacturer**", written once without its colon


Token = Para | Bullet | Label


@dataclass
class Section:
    """One ``##`` section, or the implicit one made from bullets before any ``##``."""

    title: str
    line: int
    tokens: list[Token]


@dataclass
class Page:
    path: Path
    front_title: str
    title: str
    title_line: int
    see_also: str
    preamble: list[Token]
    sections: list[Section]


def tokenize(lines: Iterable[tuple[int, str]], where: str) -> list[Token]:
    """Split body lines into paragraphs, bullets and actor labels; blank lines only end paragraphs."""
    tokens: list[Token] = []
    open_text = False  # whether the last token can take a continuation line
    for number, raw in lines:
        line = raw.expandtabs(4).rstrip()
        if not line.strip() or _KRAMDOWN_ATTR.match(line.strip()):
            open_text = False
            continue
        if bullet := _BULLET.match(line):
            text = bullet["text"]
            tokens.append(Bullet(number, len(bullet["indent"]), text, spaced=bool(bullet["space"])))
            open_text = True
        elif label := _LABEL.match(line):
            tokens.append(Label(number, label["actor"], colon=bool(label["colon"] or label["after"])))
            open_text = False
            if label["rest"]:
                tokens.append(Para(number, label["rest"]))
        elif line.startswith("#"):
            raise BuildError(f"{where}:{number}: unexpected heading {line!r}")
        elif open_text and isinstance(tokens[-1], Para | Bullet):
            # Markdown's lazy continuation: the line extends the paragraph or bullet above it.
            tokens[-1].text += " " + line.strip()
        else:
            tokens.append(Para(number, line.strip()))
            open_text = True
    return tokens


def split_front_matter(lines: list[str], where: str) -> tuple[str, int]:
    """The front-matter title and the index of the first line after the front matter."""
    if not lines or lines[0].strip() != "---":
        return "", 0
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            titles = [ln.partition(":")[2].strip() for ln in lines[1:index] if ln.startswith("title:")]
            return (titles[0] if titles else ""), index + 1
    raise BuildError(f"{where}:1: front matter is not closed")


def read_page(path: Path, where: str) -> Page:
    """Parse one page: front matter, the ``#`` heading, its preamble, and the ``##`` sections."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as err:
        raise BuildError(f"{where}: not found") from err
    front_title, start = split_front_matter(lines, where)
    numbered = list(enumerate(lines, start=1))[start:]
    h1 = next(((n, m["text"]) for n, text in numbered if (m := _H1.match(text))), None)
    if h1 is None:
        raise BuildError(f"{where}: no '# ' heading")
    before = [(n, text) for n, text in numbered if n < h1[0] and text.strip()]
    if before:
        raise BuildError(f"{where}:{before[0][0]}: text before the '# ' heading")
    see_also = ""
    body: list[tuple[int, str]] = []
    for n, text in numbered:
        if n <= h1[0]:
            continue
        if see := _SEE_ALSO.match(text.strip()):
            see_also = see["target"]
        else:
            body.append((n, text))
    heads = [(n, m["text"]) for n, text in body if (m := _H2.match(text))]
    ends = [n for n, _ in heads[1:]] + [len(lines) + 1] if heads else []
    first = heads[0][0] if heads else len(lines) + 1
    sections = [
        Section(clean_text(title), n, tokenize(((k, t) for k, t in body if n < k < end), where))
        for (n, title), end in zip(heads, ends, strict=True)
    ]
    preamble = tokenize(((k, t) for k, t in body if k < first), where)
    return Page(path, front_title, clean_text(h1[1]), h1[0], see_also, preamble, sections)


# ---------------------------------------------------------------------------------------------------
# Nesting bullets


def nest(items: list[Para | Bullet]) -> list[tuple[Para | Bullet, tuple[int, ...]]]:
    """Give each item its position in the outline, e.g. ``(2,)`` or ``(2, 1)``.

    A paragraph is a top-level item; one that ends with ":" introduces the bullets after it, which
    become its children even when they are not indented (``_Nontechnical/event.md`` line 61).
    """
    placed: list[tuple[Para | Bullet, tuple[int, ...]]] = []
    stack: list[tuple[int, tuple[int, ...]]] = []  # (content column, path) of open items
    children: dict[tuple[int, ...], int] = {}
    for item in items:
        if isinstance(item, Para):
            stack.clear()
            column = 0
        else:
            while stack and item.indent < stack[-1][0]:
                stack.pop()
            column = item.indent + (2 if item.spaced else 1)
        parent = stack[-1][1] if stack else ()
        children[parent] = children.get(parent, 0) + 1
        path = (*parent, children[parent])
        placed.append((item, path))
        if isinstance(item, Bullet) or item.text.endswith(":"):
            stack.append((column, path))
    return placed


def outline_id(root: str, first: str, path: tuple[int, ...]) -> str:
    """``root`` + ``.M1`` style first step (``first`` = "M"/"A") or ``.1``, then ``.2.1`` for deeper ones."""
    return f"{root}.{first}{path[0]}" + "".join(f".{n}" for n in path[1:])


# ---------------------------------------------------------------------------------------------------
# Building records


@dataclass
class Ctx:
    """Where records come from while one page is turned into records, and the notes it gathers."""

    doc: CatalogDoc
    source: str
    path: str
    notes: list[str] = field(default_factory=list)

    def add(self, id: str, kind: str, line: int, **fields: Any) -> dict[str, Any]:
        return self.doc.add(id, kind, source=self.source, path=self.path, line=line, **fields)

    def quirk(self, line: int, message: str) -> None:
        self.notes.append(f"{self.path}:{line}: {message}")


def add_area(
    ctx: Ctx, page: Page, area_id: str, heading: str, *, part: str, text: str, title: str = ""
) -> None:
    if page.title != heading:
        raise BuildError(f"{ctx.path}:{page.title_line}: expected '# {heading}', found {page.title!r}")
    props: dict[str, str | list[str]] = {"part": part}
    if page.see_also:
        props["see_also"] = page.see_also
    if page.front_title and page.front_title != page.title:
        props["page_title"] = page.front_title  # the name shown in the site's menu
    ctx.add(area_id, "area", page.title_line, title=title or page.title, text=text, props=props)


def paragraphs(tokens: Iterable[Token]) -> str:
    return clean_text(" ".join(t.text for t in tokens if isinstance(t, Para)))


def build_technical_page(ctx: Ctx, page: Page, prefix: str, heading: str) -> None:
    area = f"FP-{prefix}"
    sections = list(page.sections)
    if any(isinstance(t, Bullet) for t in page.preamble):
        # _Technical/update.md has no "##" at all: its lead paragraph and bullets form the only
        # sub-capability, so the elements keep the FP-SU-1.n shape of every other area.
        implicit = Section("", page.preamble[0].line, page.preamble)
        sections.insert(0, implicit)
        ctx.quirk(
            implicit.line,
            f"no '##' sub-capability heading; the lead paragraph and its bullets "
            f"are kept as {area}-1 without a title (props source_form=no-heading)",
        )
        area_text = ""
    else:
        area_text = paragraphs(page.preamble)
    add_area(ctx, page, area, heading, part="technical", text=area_text)
    for number, section in enumerate(sections, start=1):
        add_sub_capability(ctx, section, area, f"{area}-{number}")


def add_sub_capability(ctx: Ctx, section: Section, area: str, sub_id: str) -> None:
    lead = [t for t in section.tokens if isinstance(t, Para)]
    bullets = [t for t in section.tokens if isinstance(t, Bullet)]
    if any(isinstance(t, Label) for t in section.tokens):
        raise BuildError(f"{ctx.path}:{section.line}: actor label on a technical page")
    if bullets and any(p.line > bullets[0].line for p in lead):
        late = next(p for p in lead if p.line > bullets[0].line)
        raise BuildError(f"{ctx.path}:{late.line}: paragraph after the elements of a sub-capability")
    props: dict[str, str | list[str]] = {} if section.title else {"source_form": "no-heading"}
    ctx.add(
        sub_id,
        "sub-capability",
        section.line,
        title=section.title,
        text=paragraphs(lead),
        parent=area,
        props=props,
    )
    for item, path in nest(list(bullets)):
        item_id = outline_id(sub_id, "", path)
        parent = sub_id if len(path) == 1 else outline_id(sub_id, "", path[:-1])
        kind = "element" if len(path) == 1 else "sub-element"
        ctx.add(
            item_id,
            kind,
            item.line,
            text=clean_text(item.text),
            parent=parent,
            props=bullet_props(ctx, item, item_id),
        )


def bullet_props(ctx: Ctx, item: Para | Bullet, item_id: str) -> dict[str, str | list[str]]:
    """Mark items that were not written as ordinary bullets, and say so in a note."""
    if isinstance(item, Para):
        kind = "a lead-in paragraph for the bullets after it" if item.text.endswith(":") else "a paragraph"
        ctx.quirk(item.line, f"{item_id} is written as {kind}, not a bullet (props source_form=paragraph)")
        return {"source_form": "paragraph"}
    if not item.spaced:
        ctx.quirk(
            item.line,
            f"{item_id} is written '-{item.text[:12]}...' without the space after the dash; "
            "kept as a nested bullet (props source_form=bullet-without-space)",
        )
        return {"source_form": "bullet-without-space"}
    return {}


def build_nontechnical_page(
    ctx: Ctx, page: Page, area: str, heading: str, *, part: str, title: str = ""
) -> None:
    if any(not isinstance(t, Para) for t in page.preamble):
        raise BuildError(f"{ctx.path}:{page.title_line}: bullets or labels before the first '##'")
    add_area(ctx, page, area, heading, part=part, text=paragraphs(page.preamble), title=title)
    for number, section in enumerate(page.sections, start=1):
        add_supporting_capability(ctx, section, area, f"{area}-{number}")


def split_blocks(ctx: Ctx, section: Section) -> tuple[list[Para | Bullet], dict[str, list[Para | Bullet]]]:
    """The description tokens before the first label, and the items under each actor label."""
    description: list[Para | Bullet] = []
    blocks: dict[str, list[Para | Bullet]] = {}
    current: list[Para | Bullet] | None = None
    for token in section.tokens:
        if isinstance(token, Label):
            if token.actor in blocks:
                raise BuildError(f"{ctx.path}:{token.line}: second '{token.actor}' label in one section")
            if not token.colon:
                ctx.quirk(
                    token.line,
                    f"'**{token.actor}**' label without its colon; read as the {token.actor} label",
                )
            current = blocks[token.actor] = []
        elif current is None:
            description.append(token)
        else:
            current.append(token)
    return description, blocks


def describe(ctx: Ctx, cap_id: str, line: int, description: list[Para | Bullet]) -> tuple[str, list[str]]:
    """The supporting capability's text, and the bullets found inside it.

    _Nontechnical/logical.md (role-based access) lists examples as bullets inside the description;
    they stay in the text, in order, and are also listed on their own (props text_bullets).
    """
    bullets = [clean_text(t.text) for t in description if isinstance(t, Bullet)]
    if bullets:
        ctx.quirk(
            line,
            f"{cap_id}: the description contains bullets; they are kept in its text "
            "and in props text_bullets, not as actions",
        )
    text = " ".join(("- " + t.text) if isinstance(t, Bullet) else t.text for t in description)
    return clean_text(text), bullets


def add_supporting_capability(ctx: Ctx, section: Section, area: str, cap_id: str) -> None:
    description, blocks = split_blocks(ctx, section)
    text, bullets = describe(ctx, cap_id, section.line, description)
    props: dict[str, str | list[str]] = {"text_bullets": bullets} if bullets else {}
    for label, (actor, _) in ACTORS.items():
        if label not in blocks:
            props[f"{actor}_actions"] = "no label in the source"
            ctx.quirk(section.line, f"{cap_id}: no {label} label")
        elif [clean_text(t.text) for t in blocks[label]] == ["N/A"]:
            props[f"{actor}_actions"] = "N/A"
            ctx.quirk(
                blocks[label][0].line,
                f"{cap_id}: {label} actions are given as 'N/A' (props "
                f"{actor}_actions=N/A); no action records",
            )
            blocks[label] = []
    ctx.add(
        cap_id,
        "supporting-capability",
        section.line,
        title=section.title,
        text=text,
        parent=area,
        props=props,
    )
    for label, items in blocks.items():
        add_actions(ctx, cap_id, label, items)


def add_actions(ctx: Ctx, cap_id: str, label: str, items: list[Para | Bullet]) -> None:
    actor, letter = ACTORS[label]
    for item, path in nest(items):
        item_id = outline_id(cap_id, letter, path)
        parent = cap_id if len(path) == 1 else outline_id(cap_id, letter, path[:-1])
        props: dict[str, str | list[str]] = {"actor": actor, **bullet_props(ctx, item, item_id)}
        if lead_out := _BOILERPLATE.search(item.text):
            ctx.quirk(
                item.line,
                f"{item_id} contains the section lead-out '{lead_out[0]}', apparently pasted by mistake; "
                "kept verbatim",
            )
        ctx.add(item_id, f"{actor}-action", item.line, text=clean_text(item.text), parent=parent, props=props)


# ---------------------------------------------------------------------------------------------------
# Revisions: seed page -> later pages


@dataclass(frozen=True)
class Capability:
    """A supporting capability as compared across revisions."""

    id: str
    area: str
    title: str
    words: tuple[str, ...]  # normalized title, text and actions
    wording: tuple[str, ...]  # normalized title, text and each action, for "unchanged"


def normalize(text: str) -> str:
    """Case, spacing and the "Controls/Actions that may be necessary" lead-out do not count as changes."""
    return " ".join(_BOILERPLATE.sub(" ", text).casefold().split())


def capabilities(doc: CatalogDoc, areas: Iterable[str]) -> list[Capability]:
    wanted = set(areas)
    found: list[Capability] = []
    for record in doc.records:
        if record["kind"] != "supporting-capability" or record["parent"] not in wanted:
            continue
        prefix = record["id"] + "."
        actions = [f"{r['props']['actor']}: {r['text']}" for r in doc.records if r["id"].startswith(prefix)]
        wording = tuple(normalize(t) for t in (record.get("title", ""), record.get("text", ""), *actions))
        found.append(
            Capability(
                record["id"],
                record["parent"],
                record.get("title", ""),
                tuple(" ".join(wording).split()),
                wording,
            )
        )
    return found


def similarity(a: Capability, b: Capability) -> float:
    return difflib.SequenceMatcher(None, a.words, b.words, autojunk=False).ratio()


def match_revisions(
    seeds: list[Capability], later: list[Capability]
) -> list[tuple[Capability, Capability | None, float]]:
    """Each seed capability with the later one it became (None if dropped) and their similarity."""
    by_id = {c.id: c for c in later}
    pairs: list[tuple[Capability, Capability | None, float]] = []
    for seed in seeds:
        number = int(seed.id.rsplit("-", 1)[1])  # FPN-SEED-13 -> 13, the section's place on the page
        if number in REVISION_OVERRIDES:
            target = by_id.get(REVISION_OVERRIDES[number])
            if target is None:
                raise BuildError(f"revision override for seed {number}: no {REVISION_OVERRIDES[number]}")
            pairs.append((seed, target, similarity(seed, target)))
            continue
        score, best = max(((similarity(seed, c), c) for c in later), key=lambda sc: sc[0])
        pairs.append((seed, best if score >= REVISION_THRESHOLD else None, score))
    targets = [t.id for _, t, _ in pairs if t is not None]
    if doubled := sorted({t for t in targets if targets.count(t) > 1}):
        # A merge is possible in principle, but it should be confirmed by hand in REVISION_OVERRIDES.
        raise BuildError(f"several seed sections matched {', '.join(doubled)}; add REVISION_OVERRIDES")
    return pairs


def change_kind(seed: Capability, later: Capability) -> dict[str, str]:
    same_words = seed.wording == later.wording
    if later.area != "FPN-DS":
        return {"revision_change": "moved", "revision_wording": "unchanged" if same_words else "reworded"}
    return {"revision_change": "unchanged" if same_words else "reworded"}


def link_revisions(doc: CatalogDoc, area_titles: dict[str, str]) -> list[str]:
    """Add the revised-as / revision-of links and props; return the notes they call for."""
    later = capabilities(doc, (f"FPN-{prefix}" for _, prefix, _ in NONTECHNICAL_AREAS))
    notes: list[str] = []
    for seed, target, score in match_revisions(capabilities(doc, [SEED_AREA]), later):
        seed_record = doc.get(seed.id)
        seed_props = seed_record.setdefault("props", {})
        seed_props["revision_similarity"] = f"{score:.3f}"
        if target is None:
            seed_props["revision_change"] = "dropped"
            notes.append(
                f"{seed.id} ({seed.title!r}) has no counterpart in the later pages "
                f"(best similarity {score:.2f}); NIST dropped it"
            )
            continue
        change = change_kind(seed, target)
        seed_props.update(change)
        seed_record.setdefault("links", []).append(
            {"rel": "revised-as", "target": f"{CATALOG_ID}:{target.id}"}
        )
        later_record = doc.get(target.id)
        later_record.setdefault("props", {}).update(change)
        later_record.setdefault("links", []).append(
            {"rel": "revision-of", "target": f"{CATALOG_ID}:{seed.id}"}
        )
        if target.area != "FPN-DS" or normalize(seed.title) != normalize(target.title):
            doc.crosswalk.append(
                {
                    "old": f"Device Security: {seed.title}",
                    "new": f"{area_titles[target.area]}: {target.title}",
                    "where": f"{CATALOG_ID}: {seed.id} -> {target.id} ({change['revision_change']})",
                }
            )
    return notes


# ---------------------------------------------------------------------------------------------------
# Same text: technical elements NIST carried over into the 2021 catalog (SP 800-213A)


def words(text: str) -> str:
    """The words of ``text``: each run of characters other than letters and digits is one break."""
    return " ".join("".join(c if c.isalnum() else " " for c in text).split())


def same_text_key(text: str) -> str:
    """Text as compared for ``same-as``: letter case, punctuation and spacing do not count, word breaks do.

    Where NIST carried an element over, the two catalogs still differ in such details (a curly or a
    straight apostrophe, a final full stop or none); a changed, added or dropped word is a change.
    """
    return words(text.casefold())


def wording_difference(a: str, b: str) -> str:
    """How two texts with the same :func:`same_text_key` differ, for the ``same_as_wording`` prop."""
    if a == b:
        return "identical"
    case = words(a) != words(b)
    punctuation = " ".join(a.casefold().split()) != " ".join(b.casefold().split())
    if case and punctuation:
        return "letter case and punctuation differ"
    return "letter case differs" if case else "punctuation differs"


def link_same_text(doc: CatalogDoc, later: CatalogDoc) -> list[str]:
    """Link each technical element and sub-element to those of ``later`` (the ``sp800-213a`` build)
    with the same text, by ``same-as`` links on both records; add a note to each catalog and return
    ``doc``'s.

    Only elements and sub-elements are compared: they state requirements. A sub-capability's lead
    sentence is a heading, and the same heading can head other elements (FP-DP-1 and DP-1 share
    theirs, not their elements). Both sides keep every match, so a text one catalog states twice is
    linked from both places (FP-DP-1.6 and FP-DP-1.7.3 are both SP 800-213A's DP-2.3).
    """
    if later.id != SAME_TEXT_CATALOG:
        raise BuildError(f"{CATALOG_ID}: expected the {SAME_TEXT_CATALOG} catalog, got {later.id!r}")
    by_text: dict[str, list[dict[str, Any]]] = {}
    for record in later.records:
        if record["kind"] in SAME_TEXT_KINDS and record.get("text"):
            by_text.setdefault(same_text_key(record["text"]), []).append(record)
    # (catalog, record ID) -> the record and the wording difference per linked record, in link order
    linked: dict[tuple[str, str], tuple[dict[str, Any], dict[str, str]]] = {}

    def link(catalog: str, record: dict[str, Any], target: str, wording: str) -> None:
        record.setdefault("links", []).append({"rel": "same-as", "target": target})
        linked.setdefault((catalog, record["id"]), (record, {}))[1][target] = wording

    compared = [r for r in doc.records if r["kind"] in SAME_TEXT_KINDS and r.get("text")]
    pairs = 0
    # Each record lists its links in the order of the catalog they point into: the order in which
    # coverage has always named a record's twins, so its reports keep their order too.
    for ours in compared:
        for theirs in by_text.get(same_text_key(ours["text"]), []):
            wording = wording_difference(ours["text"], theirs["text"])
            link(CATALOG_ID, ours, f"{later.id}:{theirs['id']}", wording)
            link(later.id, theirs, f"{CATALOG_ID}:{ours['id']}", wording)
            pairs += 1
    for record, wordings in linked.values():
        values = set(wordings.values())
        # popped and put back: props stay the last key, after the links, as CatalogDoc.add orders them
        props = record.pop("props", {})
        props["same_as_wording"] = (
            values.pop() if len(values) == 1 else "; ".join(f"{t}: {w}" for t, w in wordings.items())
        )
        record["props"] = props
    ours_linked = sum(1 for catalog, _ in linked if catalog == CATALOG_ID)
    theirs_linked = len(linked) - ours_linked
    how = (
        "whose texts are the same once letter case, punctuation and spacing are ignored (found by "
        "Securable's catalog build, not stated by NIST). same_as_wording on each linked record says "
        "whether the texts are 'identical' or which of those details differ. Securable counts both "
        "records of a pair as one requirement (docs/profiles.md, rule 2)."
    )
    later.notes.append(
        f"same-as links join {theirs_linked} technical elements and sub-elements here to the "
        f"{CATALOG_ID} ones (NIST's 2020 draft Federal Profile catalog) {how}"
    )
    return [
        f"same-as links join {ours_linked} of the {len(compared)} technical elements and sub-elements "
        f"here to the {later.id} ones (NIST's later catalog, {pairs} pairs) {how}"
    ]


# ---------------------------------------------------------------------------------------------------
# First import: NIST IR 8259 tags


def source_tags(sources: Path) -> Iterator[tuple[str, str, str, int, str]]:
    """(file stem, tag, path, line, bullet text without the tag) per tagged bullet of the first import."""
    for path in sorted((sources / HISTORY_DIR).glob("*.md")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            tag = _SOURCE_TAG.search(line)
            if tag and _BULLET.match(line):
                text = clean_text(line[: tag.start()].lstrip(" -"))
                yield path.stem, tag["tag"], rel(path, sources), number, text


def tag_elements(doc: CatalogDoc, sources: Path) -> list[str]:
    """Mark technical elements that carry a ``[Source: NIST IR 8259]`` bullet of the first import forward.

    The tags say which elements came straight from NIST IR 8259; the wording has moved on since
    (e.g. "The IoT device can ..." became "Ability to ..."), so the match is by similarity. Returns
    notes for tagged bullets that no current element matches.
    """
    areas = {stem: f"FP-{prefix}-" for stem, prefix, _ in TECHNICAL_AREAS}
    notes: list[str] = []
    for stem, tag, path, line, text in source_tags(sources):
        candidates = [r for r in doc.records if r["kind"] == "element" and r["id"].startswith(areas[stem])]
        score, best = max(
            ((word_ratio(text, r["text"]), r) for r in candidates), default=(0.0, None), key=lambda sr: sr[0]
        )
        if best is not None and score >= SOURCE_TAG_THRESHOLD:
            best.setdefault("props", {}).update({"source_tag": tag, "source_tag_at": f"{path}:{line}"})
        else:
            notes.append(
                f"{path}:{line}: the bullet tagged [{tag}] ({text[:60]}...) matches no current "
                "element closely enough; NIST rewrote or removed it"
            )
    return notes


def word_ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, normalize(a).split(), normalize(b).split(), autojunk=False).ratio()


# ---------------------------------------------------------------------------------------------------
# The catalog


def new_doc() -> CatalogDoc:
    doc = CatalogDoc(
        id=CATALOG_ID,
        title="Federal Profile of the IoT Core Baseline: catalog (2020)",
        kind="capability-catalog",
        publication="NIST draft Federal Profile catalog (FederalProfile-8259A, 2020)",
        version=f"{HEAD_DATE} ({HEAD_COMMIT[:7]})",
        description=(
            "NIST's 2020 draft catalog for a Federal Profile of the NISTIR 8259A IoT core baseline: "
            "technical areas with sub-capabilities and elements, and non-technical areas whose "
            "supporting capabilities pair Manufacturer actions with Agency actions. Also holds the seed "
            "page, an earlier revision of the non-technical Device Security area, linked to what each of "
            "its sections became."
        ),
    )
    doc.add_source(
        SourceDoc(
            "pages",
            "NIST draft Federal Profile catalog (FederalProfile-8259A, 2020)",
            doc.version,
            HEAD_DATE,
            REPOSITORY,
            HEAD_COMMIT,
            f"https://github.com/{REPOSITORY}/tree/{HEAD_COMMIT}",
            status="draft",
        )
    )
    doc.add_source(
        SourceDoc(
            "seed",
            "NIST draft Federal Profile catalog, Device Security page (earlier revision)",
            f"{SEED_DATE} ({SEED_COMMIT})",
            SEED_DATE,
            REPOSITORY,
            SEED_COMMIT,
            f"https://github.com/{REPOSITORY}/blob/{SEED_COMMIT}/{SEED_ORIGIN_PATH}",
            status="draft",
        )
    )
    doc.add_source(
        SourceDoc(
            "initial-import",
            "NIST draft Federal Profile catalog, first import",
            f"2020-04-22 ({IMPORT_COMMIT[:7]})",
            "2020-04-22",
            REPOSITORY,
            IMPORT_COMMIT,
            f"https://github.com/{REPOSITORY}/tree/{IMPORT_COMMIT}",
            status="draft",
        )
    )
    return doc


def catalog_notes() -> list[str]:
    return [
        "Superseded draft: NIST's later IoT device cybersecurity requirement catalog, published as "
        "SP 800-213A (catalog sp800-213a), replaced this one. It is kept because it is the only NIST "
        "source of the Agency actions paired with the Manufacturer actions.",
        f"FPN-SEED records are the seed page ({SEED_PATH}), an earlier revision of the non-technical "
        f"Device Security page: {REPOSITORY} {SEED_ORIGIN_PATH} as of commit {SEED_COMMIT} ({SEED_DATE}, "
        "'security.md: Descriptor statements & consistency'). Its line count and the diff from the "
        "previous version (1662179, +140/-98 lines) match that commit; it predates the 2020-06-15 "
        "consistency edits and the 2020-06-18 split that moved 13 of its 23 supporting capabilities to a "
        "new Maintenance page (now 'Device Acquisition and Maintenance') and one to Data Protection. "
        "revised-as / revision-of links connect each seed section to its later form.",
        "revision_change on FPN-SEED records and on the records they link to: 'unchanged' (same page, same "
        "title, text and actions apart from letter case, spacing and the lead-out 'Controls/Actions that "
        "may be necessary'), 'reworded' (same page, other words), 'moved' (now on another page; "
        "revision_wording then says whether the words changed too), 'dropped' (no later counterpart). "
        "revision_similarity is the word-level similarity the link was found with.",
        "Technical elements with props source_tag were tagged '[Source: NIST IR 8259]' in the first import "
        f"({IMPORT_COMMIT[:7]}, 2020-04-22); source_tag_at gives the tagged line.",
    ]


def crosswalk() -> list[dict[str, str]]:
    return [
        {
            "old": "Device Identity",
            "new": "Device Identification",
            "where": "FP-DI / FPN-DI here; DI in sp800-213a and nistir-8259a",
        },
        {
            "old": "Cybersecurity Event Awareness",
            "new": "Cybersecurity State Awareness",
            "where": "FP-CEA / FPN-CEA here; CSA in sp800-213a and nistir-8259a",
        },
        {
            "old": "Device Security (non-technical, seed page: 23 supporting capabilities)",
            "new": "Device Security (9), Device Acquisition and Maintenance (13), Data Protection (1)",
            "where": f"{CATALOG_ID}: FPN-SEED -> FPN-DS, FPN-MA, FPN-DP (split on 2020-06-18)",
        },
    ]


def build(sources: Path, later: CatalogDoc) -> CatalogDoc:
    """The catalog; ``later`` is the ``sp800-213a`` build, whose records gain the other end of the
    ``same-as`` links (see :func:`link_same_text`)."""
    doc = new_doc()
    notes: list[str] = []
    for stem, prefix, heading in TECHNICAL_AREAS:
        path = sources / PAGES_DIR / "_Technical" / f"{stem}.md"
        ctx = Ctx(doc, "pages", rel(path, sources))
        build_technical_page(ctx, read_page(path, ctx.path), prefix, heading)
        notes += ctx.notes
    for stem, prefix, heading in NONTECHNICAL_AREAS:
        path = sources / PAGES_DIR / "_Nontechnical" / f"{stem}.md"
        ctx = Ctx(doc, "pages", rel(path, sources))
        build_nontechnical_page(
            ctx, read_page(path, ctx.path), f"FPN-{prefix}", heading, part="non-technical"
        )
        notes += ctx.notes
    seed = Ctx(doc, "seed", SEED_PATH)
    seed_page = read_page(sources.parent / SEED_PATH, SEED_PATH)
    build_nontechnical_page(
        seed, seed_page, SEED_AREA, "Device Security", part="seed-revision", title=SEED_AREA_TITLE
    )
    notes += seed.notes
    notes += tag_elements(doc, sources)
    doc.crosswalk.extend(crosswalk())
    area_titles = {f"FPN-{prefix}": heading for _, prefix, heading in NONTECHNICAL_AREAS}
    notes += link_revisions(doc, area_titles)
    notes += link_same_text(doc, later)
    doc.notes.extend(catalog_notes() + notes)
    return doc
