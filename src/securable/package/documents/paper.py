"""The paper size of the PDFs: US Letter where customers print on it, A4 everywhere else.

The product states its markets where each use case says where the device will be used
(``use_cases[].where``, NISTIR 8259 question Q3.1-4). The PDFs are US Letter when at least one
place is named and every place named is in the United States, Canada or Mexico, the countries
that print on Letter; otherwise (any other place, or none named) they are A4, the size of the rest
of the world. A device sold on both sides of the Atlantic thus gets A4: one package serves every
market, and a print dialog scales either size to the other. ``securable package --paper`` overrides
the rule (e.g. ``letter`` when most customers of such a device print in North America).

The places are free text, so they are read by name: a place counts as North American when it names
one of the three countries (or a US state code such as ``US-CA``) and no region or country beyond
them (Europe, the EU, the UK, worldwide, ...).
"""

from __future__ import annotations

import re
from typing import Literal

from securable.package.context import PackageContext
from securable.product.model import Product

Paper = Literal["a4", "letter"]
_PAGE_SIZE: dict[Paper, str] = {"a4": "A4", "letter": "letter"}  # as CSS's @page size names them

_LETTER_PLACE = re.compile(
    r"\b(?:united\s+states|u\.\s?s\.(?:\s?a\.)?|usa|canada|mexico|méxico|north\s+america|puerto\s+rico)(?!\w)"
    r"|\b(?-i:US|CA|MX)(?:-[A-Z]{2})?\b",
    re.IGNORECASE,
)
_OTHER_PLACE = re.compile(
    r"\b(?:europe|european|eu|eea|uk|united\s+kingdom|britain|england|scotland|wales|ireland"
    r"|world\s*-?\s*wide|global(?:ly)?|international(?:ly)?|other\s+countries|rest\s+of\s+the\s+world"
    r"|asia|africa|australia|new\s+zealand|oceania|south\s+america|latin\s+america|middle\s+east"
    r"|japan|china|india|korea|brazil|germany|france)\b",
    re.IGNORECASE,
)


def _north_american(place: str) -> bool:
    return bool(_LETTER_PLACE.search(place)) and not _OTHER_PLACE.search(place)


def paper_for(product: Product) -> Paper:
    """The paper size the product's markets print on (see the module docstring)."""
    places = [place for case in product.use_cases or () for place in case.where or ()]
    return "letter" if places and all(_north_american(p) for p in places) else "a4"


def page_size(ctx: PackageContext) -> str:
    """The CSS ``@page`` size of the package's PDFs: ``ctx.paper`` if set, else the markets' paper."""
    return _PAGE_SIZE[ctx.paper or paper_for(ctx.product)]
