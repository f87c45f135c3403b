"""The Python API over the shipped catalogs: loading, lookup, walking, search, mappings, links."""

from __future__ import annotations

import pytest

from securable import catalog
from securable.errors import NotFoundError


def test_every_catalog_loads_and_matches_the_index() -> None:
    for info in catalog.catalogs():
        loaded = catalog.load(info.id)
        assert len(loaded) == info.records
        assert loaded.title == info.title


def test_every_record_has_full_provenance() -> None:
    for catalog_id in catalog.catalog_ids():
        for record in catalog.load(catalog_id):
            src = record.provenance.source
            assert src.publication
            assert src.version
            assert src.repository
            assert src.commit
            assert record.provenance.path


def test_parents_exist_and_walk_back_to_a_root() -> None:
    for catalog_id in catalog.catalog_ids():
        cat = catalog.load(catalog_id)
        for record in cat:
            if record.parent is not None:
                assert record.parent in cat
                assert record in cat.children(record.parent)
        assert cat.roots()


def test_resolve_bare_qualified_and_case_insensitive() -> None:
    assert catalog.resolve("sp800-213a:DI").title == "Device Identification"
    assert catalog.resolve("di-1.1").qualified_id == "sp800-213a:DI-1.1"
    assert catalog.resolve("AC-2(1)").id == "ac-2.1"


def test_unknown_id_offers_close_matches() -> None:
    with pytest.raises(NotFoundError) as caught:
        catalog.resolve("SU-1.99")
    assert caught.value.suggestions
    assert all(s.startswith("sp800-213a:SU-") for s in caught.value.suggestions[:2])


def test_mappings_agree_both_ways() -> None:
    cat = catalog.load("sp800-213a")
    pairs = 0
    for record in cat:
        for control in catalog.mapped_controls(record):
            assert record in catalog.records_mapped_to(control)
            pairs += 1
    assert pairs > 300


def test_links_agree_both_ways() -> None:
    baseline = catalog.load("nistir-8259a")
    for record in baseline:
        for rel, target in catalog.linked(record):
            assert rel == "realized-by"
            assert ("realizes", record) in catalog.linked(target)


def test_search_finds_words_in_any_order() -> None:
    hits = catalog.search("data remove all", catalogs=["sp800-213a"])
    assert hits
    assert all("remove all data" in (h.record.title + h.record.text).lower() for h in hits[:2])
    assert all(h.record.catalog == "sp800-213a" for h in hits)


def test_baselines_name_real_records() -> None:
    found = {b.id: b for b in catalog.baselines()}
    assert {"nistir-8259a", "nistir-8259b", "sp800-53r5:LOW", "sp800-53r5:HIGH", "sp800-53r5:PRIVACY"} <= set(
        found
    )
    for baseline in found.values():
        target = catalog.load(baseline.catalog)
        assert baseline.members
        assert all(m in target for m in baseline.members)
    assert len(found["sp800-53r5:LOW"].members) < len(found["sp800-53r5:MODERATE"].members)
