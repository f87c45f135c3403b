"""What a customer document is made of, independent of HTML: sections holding a few kinds of blocks.

The document modules (:mod:`~securable.package.documents.full`, :mod:`~securable.package.documents.plain`)
decide *what* to say; the Jinja templates decide *how it looks*. Keeping the blocks generic lets
one template macro render every section with correctly nested headings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class Missing:
    """A plain statement, shown in place of an answer, that the manufacturer has not given it."""

    text: str


@dataclass(frozen=True, slots=True)
class Link:
    """A link to another file of the package, named for what it is rather than by its file name."""

    text: str
    href: str  # relative to the document


Inline = str | Missing | Link  # a value as shown in a document: text, a link, or what is missing


@dataclass(frozen=True, slots=True)
class Facts:
    """Label–value pairs, rendered as a definition list."""

    kind: ClassVar[str] = "facts"
    items: tuple[tuple[str, Inline], ...]


@dataclass(frozen=True, slots=True)
class Para:
    kind: ClassVar[str] = "para"
    text: Inline


@dataclass(frozen=True, slots=True)
class Bullets:
    kind: ClassVar[str] = "bullets"
    items: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Table:
    """A data table; the first cell of each row names the row (rendered as a row header)."""

    kind: ClassVar[str] = "table"
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Inline, ...], ...]
    caption_visible: bool = True  # False when a heading right above already says the same


Block = Facts | Para | Bullets | Table


def table(
    caption: str,
    columns: tuple[str, ...],
    rows: tuple[tuple[Inline, ...], ...],
    *,
    caption_visible: bool = True,
) -> Table:
    """A table without the columns no row fills (an all-empty "Notes" column only takes space)."""
    keep = [0, *(i for i in range(1, len(columns)) if any(row[i] != "" for row in rows))]
    return Table(
        caption,
        tuple(columns[i] for i in keep),
        tuple(tuple(row[i] for i in keep) for row in rows),
        caption_visible,
    )


@dataclass(frozen=True, slots=True)
class Section:
    id: str  # the HTML id: stable, so that links and tests can point at a topic
    title: str
    blocks: tuple[Block, ...] = ()
    children: tuple[Section, ...] = ()


@dataclass(frozen=True, slots=True)
class Document:
    """One customer document for one audience."""

    title: str  # the h1
    audience: str
    level: str  # "plain" or "full"
    intro: tuple[Block, ...]
    sections: tuple[Section, ...]
    not_stated: tuple[str, ...]  # plain statements of every gap met, listed again at the end
