"""security.txt: RFC 9116 content that the ``sectxt`` validator accepts, dated from the package date."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sectxt

from securable.package.context import PackageContext
from securable.package.machine.securitytxt import PATH, build_securitytxt
from securable.product import Product, load_product

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2025, 10, 1)  # the build day, used only where a product states no release date
CAMERA = ROOT / "examples" / "home-camera" / "securable.yaml"
DOCS = "https://acme-home.example.com/homecam2/docs"
DAY = date(2025, 9, 1)


@pytest.fixture(scope="module")
def camera() -> Product:
    return load_product(CAMERA)


def context(product: Product, day: date = DAY, docs: str = DOCS) -> PackageContext:
    return PackageContext(product=product, product_path=CAMERA, date=day, documentation_url=docs)


def changed(product: Product, section: str, **values: Any) -> Product:
    """A copy of ``product`` with fields under one top-level section replaced; ``a__b`` is ``a.b``."""
    data = product.model_dump()
    for path, value in values.items():
        node = data
        *parents, leaf = (section, *path.split("__"))
        for name in parents:
            node[name] = node.get(name) or {}
            node = node[name]
        node[leaf] = value
    return Product.model_validate(data)


def check(text: bytes, now: date, monkeypatch: pytest.MonkeyPatch, urls: str | None = None) -> Any:
    """``sectxt``'s verdict as of noon UTC on ``now`` (it compares Expires with the clock)."""

    class Frozen(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Any:
            return datetime(now.year, now.month, now.day, 12, tzinfo=UTC)

    monkeypatch.setattr(sectxt, "datetime", Frozen)
    return sectxt.Parser(text, urls=urls)


def test_valid_per_sectxt(camera: Product, monkeypatch: pytest.MonkeyPatch) -> None:
    part = build_securitytxt(context(camera))
    text = part.files[PATH]
    canonical = "https://acme-home.example.com/.well-known/security.txt"
    parser = check(text, DAY, monkeypatch, urls=canonical)
    assert parser.errors == []
    assert parser.is_valid()
    # Only recommendations remain: signing (the package manifest is signed instead) and a PGP key URL.
    assert {r["code"] for r in parser.recommendations} <= {"not_signed", "no_encryption"}
    assert parser.preferred_languages == ["en"]
    lines = text.decode().splitlines()
    assert lines[1:] == [
        "Contact: mailto:security@acme-home.example.com",  # the bare address gained its scheme
        "Contact: https://acme-home.example.com/security/report",
        "Expires: 2026-09-01T00:00:00Z",
        "Policy: https://acme-home.example.com/security/disclosure-policy",
        "Preferred-Languages: en",
        f"Canonical: {canonical}",
        f"Canonical: {DOCS}/.well-known/security.txt",
    ]
    assert lines[0].startswith("# ")
    assert part.gaps == ()


def test_same_input_same_bytes(camera: Product) -> None:
    assert build_securitytxt(context(camera)).files == build_securitytxt(context(camera)).files


def test_expired_date_is_reported_by_sectxt(camera: Product, monkeypatch: pytest.MonkeyPatch) -> None:
    old = build_securitytxt(context(camera, day=date(2020, 1, 15))).files[PATH]
    assert b"Expires: 2021-01-15T00:00:00Z" in old
    parser = check(old, DAY, monkeypatch)
    assert "expired" in {e["code"] for e in parser.errors}
    assert not parser.is_valid()


def test_expiry_stops_at_end_of_life_unless_reports_are_taken_after_it(camera: Product) -> None:
    soon = changed(
        camera,
        "support",
        end_of_life=date(2026, 3, 31),
        support_end=date(2026, 1, 31),
        vulnerability_reporting__accepted_after_end_of_life=False,
    )
    assert b"Expires: 2026-04-01T00:00:00Z" in build_securitytxt(context(soon)).files[PATH]
    unknown = changed(soon, "support", vulnerability_reporting__accepted_after_end_of_life=None)
    assert b"Expires: 2026-04-01T00:00:00Z" in build_securitytxt(context(unknown)).files[PATH]
    taken = changed(soon, "support", vulnerability_reporting__accepted_after_end_of_life=True)
    assert b"Expires: 2026-09-01T00:00:00Z" in build_securitytxt(context(taken)).files[PATH]
    no_after_support = changed(soon, "support", vulnerability_reporting__accepted_after_support_end=False)
    assert b"Expires: 2026-02-01T00:00:00Z" in build_securitytxt(context(no_after_support)).files[PATH]


def test_no_file_once_reports_are_no_longer_taken(camera: Product) -> None:
    ended = changed(
        camera,
        "support",
        end_of_life=date(2025, 6, 30),
        support_end=date(2025, 1, 31),
        vulnerability_reporting__accepted_after_end_of_life=False,
    )
    part = build_securitytxt(context(ended))
    assert part.files == {}
    assert any("no longer accepted" in g.message for g in part.gaps)


def test_no_contact_means_no_file_and_a_gap(camera: Product) -> None:
    silent = changed(
        changed(camera, "product", security_contact=None), "support", vulnerability_reporting=None
    )
    part = build_securitytxt(context(silent))
    assert part.files == {}
    (gap,) = [g for g in part.gaps if "No security.txt" in g.message]
    assert gap.topic == "security.txt"
    assert gap.questions == ("Q4.2.2-4",)


def test_phone_numbers_and_plain_http(camera: Product, monkeypatch: pytest.MonkeyPatch) -> None:
    channels = [
        {"kind": "phone", "address": "+1 (555) 010-0200", "purpose": "vulnerability reports"},
        {"kind": "web-form", "address": "http://acme-home.example.com/report"},
        {"kind": "in-app", "address": "Help > Report a problem"},
        {"kind": "email", "address": "mailto:psirt@acme-home.example.com"},
    ]
    product = changed(
        changed(camera, "product", security_contact=None),
        "support",
        vulnerability_reporting__channels=channels,
        vulnerability_reporting__policy_url=None,
    )
    part = build_securitytxt(context(product, docs=""))
    text = part.files[PATH].decode()
    contacts = [line for line in text.splitlines() if line.startswith("Contact:")]
    assert contacts == ["Contact: tel:+1-(555)-010-0200", "Contact: mailto:psirt@acme-home.example.com"]
    assert "Canonical" not in text
    assert "Policy" not in text
    messages = " ".join(g.message for g in part.gaps)
    assert "http://acme-home.example.com/report" in messages
    assert "disclosure policy" in messages
    assert check(part.files[PATH], DAY, monkeypatch).errors == []


@pytest.mark.parametrize("path", sorted(ROOT.glob("examples/*/securable.yaml")), ids=lambda p: p.parent.name)
def test_every_example_passes_sectxt(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    product = load_product(path)
    docs = (product.product.documentation_url if product.product else None) or ""
    part = build_securitytxt(
        PackageContext(product=product, product_path=path, date=DAY, documentation_url=docs)
    )
    if PATH in part.files:
        assert check(part.files[PATH], DAY, monkeypatch).errors == []
    else:
        assert part.gaps


def test_dates_at_the_end_of_the_calendar(camera: Product) -> None:
    """9999-12-31 (date.max) as end of life, end of support or package date: no overflow."""
    last = date.max
    forever = changed(
        camera,
        "support",
        end_of_life=last,
        support_end=last,
        vulnerability_reporting__accepted_after_end_of_life=False,
        vulnerability_reporting__accepted_after_support_end=False,
    )
    assert b"Expires: 2026-09-01T00:00:00Z" in build_securitytxt(context(forever)).files[PATH]
    late = build_securitytxt(context(forever, day=date(9999, 6, 1))).files[PATH]
    assert b"Expires: 9999-12-31T00:00:00Z" in late  # a year on would be 10000-06-01
    part = build_securitytxt(context(forever, day=last))
    assert part.files == {}
    (gap,) = [g for g in part.gaps if "No security.txt" in g.message]
    assert "the last day a date can name" in gap.message


def test_source_date_epoch_at_the_last_second(tmp_path: Path) -> None:
    from securable.cli.dates import pinned_date
    from securable.package.build import build_package

    last = pinned_date(None, {"SOURCE_DATE_EPOCH": "253402300799"})  # 9999-12-31T23:59:59Z
    result = build_package(CAMERA, tmp_path / "pkg", pdf=False, date=last, today=TODAY)
    assert result.date == date.max
    assert not (tmp_path / "pkg" / PATH).exists()
    assert any("No security.txt" in g.message for g in result.gaps)
