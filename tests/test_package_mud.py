"""MUD files (RFC 8520): validated with yangson against the IETF YANG modules in upstream/sources.

The YANG library is built here, in RFC 7895 ``modules-state`` form, from the modules in
``formats/mud/yang/``: ``ietf-mud``, ``ietf-acldns``, ``ietf-access-control-list`` and
``ietf-interfaces`` implemented, the rest imported only. The ACL model needs features switched on:
``match-on-eth/ipv4/ipv6/tcp/udp/icmp`` for the ``matches`` containers, and ``ipv4`` and ``ipv6``
as well, without which the identities ``ipv4-acl-type`` and ``ipv6-acl-type`` do not exist and
every ACL's ``type`` is rejected. NIST's three example files prove the setup before ours are judged.
"""

from __future__ import annotations

import copy
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from yangson import DataModel
from yangson.enumerations import ContentType, ValidationScope
from yangson.exceptions import RawMemberError, SemanticError

from securable.package.context import PackageContext
from securable.package.machine.mud import PATH, build_mud
from securable.product import Product, load_product

ROOT = Path(__file__).resolve().parents[1]
CAMERA = ROOT / "examples" / "home-camera" / "securable.yaml"
DOCS = "https://acme-home.example.com/homecam2/docs"
DAY = "2025-09-01"
IMPLEMENTED = ("ietf-mud", "ietf-acldns", "ietf-access-control-list", "ietf-interfaces")
ACL_FEATURES = [f"match-on-{x}" for x in ("eth", "ipv4", "ipv6", "tcp", "udp", "icmp")] + ["ipv4", "ipv6"]


@pytest.fixture(scope="module")
def model(sources: Path) -> DataModel:
    yang = sources / "formats" / "mud" / "yang"
    modules = []
    for path in sorted(yang.glob("*.yang")):
        name, revision = path.stem.split("@")
        namespace = re.search(r'namespace\s+"([^"]+)"', path.read_text(encoding="utf-8"))
        assert namespace, path
        entry: dict[str, Any] = {
            "name": name,
            "revision": revision,
            "namespace": namespace.group(1),
            "conformance-type": "implement" if name in IMPLEMENTED else "import",
        }
        if name == "ietf-access-control-list":
            entry["feature"] = ACL_FEATURES
        modules.append(entry)
    library = {"ietf-yang-library:modules-state": {"module-set-id": "securable-mud-test", "module": modules}}
    return DataModel(json.dumps(library), [str(yang)])


def validate(model: DataModel, doc: object) -> None:
    model.from_raw(doc).validate(ValidationScope.all, ContentType.all)


@pytest.fixture(scope="module")
def camera() -> Product:
    return load_product(CAMERA)


def context(product: Product, docs: str = DOCS) -> PackageContext:
    return PackageContext(
        product=product, product_path=CAMERA, date=date.fromisoformat(DAY), documentation_url=docs
    )


def with_network(product: Product, flows: list[dict[str, Any]] | None, mud_url: str | None = None) -> Product:
    data = product.model_dump()
    data["composition"]["operational"]["network"] = flows
    data["composition"]["operational"]["mud_url"] = mud_url
    return Product.model_validate(data)


def mud_of(product: Product, docs: str = DOCS) -> dict[str, Any]:
    part = build_mud(context(product, docs))
    assert part.gaps == ()
    result: dict[str, Any] = json.loads(part.files[PATH])
    return result


def aces(doc: dict[str, Any], acl: str) -> dict[str, dict[str, Any]]:
    (found,) = [a for a in doc["ietf-access-control-list:acls"]["acl"] if a["name"].endswith(acl)]
    return {ace["name"]: ace["matches"] for ace in found["aces"]["ace"]}


# ---- the validator setup, proven on NIST's examples ------------------------------------------------


def examples(sources: Path) -> list[Path]:
    return sorted((sources / "formats" / "mud" / "examples").glob("*.json"))


def test_the_three_example_files_validate(model: DataModel, sources: Path) -> None:
    files = examples(sources)
    assert len(files) == 3
    for path in files:
        validate(model, json.loads(path.read_text(encoding="utf-8")))


def test_the_validator_rejects_what_it_should(model: DataModel, sources: Path) -> None:
    base = json.loads(examples(sources)[0].read_text(encoding="utf-8"))
    # Some real files put the ACLs under "access-lists": that is not the ACL module's top-level node.
    renamed = copy.deepcopy(base)
    renamed["ietf-access-control-list:access-lists"] = renamed.pop("ietf-access-control-list:acls")
    with pytest.raises(RawMemberError):
        validate(model, renamed)
    dangling = copy.deepcopy(base)
    dangling["ietf-mud:mud"]["from-device-policy"]["access-lists"]["access-list"][0]["name"] = "no-such-acl"
    with pytest.raises(SemanticError):
        validate(model, dangling)


# ---- our MUD files ---------------------------------------------------------------------------------


def test_home_camera_mud_validates(model: DataModel, camera: Product) -> None:
    doc = mud_of(camera)
    validate(model, doc)
    mud = doc["ietf-mud:mud"]
    assert mud["mud-url"] == "https://acme-home.example.com/mud/homecam2.json"  # the URL the device emits
    assert mud["last-update"] == f"{DAY}T00:00:00+00:00"
    assert mud["is-supported"] is True
    assert mud["mfg-name"] == "Acme Home Devices Inc."
    assert mud["model-name"] == "HC-200"
    assert mud["documentation"] == DOCS
    assert "firmware-rev" not in mud  # forbidden for devices updated without a new MUD URL


def test_outbound_tcp_is_initiated_by_the_device_both_ways(camera: Product) -> None:
    doc = mud_of(camera)
    out, back = aces(doc, "v4fr")["flow1-out-frdev"], aces(doc, "v4to")["flow1-out-todev"]
    assert out["ipv4"] == {"protocol": 6, "ietf-acldns:dst-dnsname": "api.acme-home.example.com"}
    assert out["tcp"] == {
        "destination-port": {"operator": "eq", "port": 443},
        "ietf-mud:direction-initiated": "from-device",
    }
    assert back["ipv4"] == {"protocol": 6, "ietf-acldns:src-dnsname": "api.acme-home.example.com"}
    assert back["tcp"]["source-port"] == {"operator": "eq", "port": 443}
    assert back["tcp"]["ietf-mud:direction-initiated"] == "from-device"
    # Both families: a DNS name may resolve to IPv4 and IPv6 addresses.
    assert (
        aces(doc, "v6fr")["flow1-out-frdev"]["ipv6"]["ietf-acldns:dst-dnsname"] == "api.acme-home.example.com"
    )


def test_local_network_flow_in_both_directions(camera: Product) -> None:
    doc = mud_of(camera)
    from_device = aces(doc, "v4fr")
    assert from_device["flow5-out-frdev"]["ietf-mud:mud"] == {"local-networks": [None]}
    assert from_device["flow5-out-frdev"]["udp"] == {"destination-port": {"operator": "eq", "port": 5353}}
    assert from_device["flow5-in-frdev"]["udp"] == {"source-port": {"operator": "eq", "port": 5353}}
    assert aces(doc, "v4to")["flow5-in-todev"]["udp"] == {
        "destination-port": {"operator": "eq", "port": 5353}
    }


def test_every_kind_of_host_and_protocol_validates(model: DataModel, camera: Product) -> None:
    flows: list[dict[str, Any]] = [
        {"host": "192.0.2.10", "port": 8443, "protocol": "tcp", "direction": "inbound"},
        {"host": "2001:db8::/32", "port": 53, "protocol": "udp", "direction": "outbound"},
        {"host": "any", "protocol": "icmp", "direction": "both"},
        {"host": "sig.example.net", "protocol": "sctp", "port": 3868, "direction": "outbound"},
    ]
    doc = mud_of(with_network(camera, flows), docs="https://example.com/hc/")
    validate(model, doc)
    assert doc["ietf-mud:mud"]["mud-url"] == f"https://example.com/hc/{PATH}"  # documentation-based
    inbound = aces(doc, "v4to")["flow1-in-todev"]
    assert inbound["ipv4"] == {"protocol": 6, "source-ipv4-network": "192.0.2.10/32"}
    assert inbound["tcp"]["ietf-mud:direction-initiated"] == "to-device"
    assert "flow1-in-todev" not in aces(doc, "v6to")  # an IPv4 address has no IPv6 entries
    assert aces(doc, "v6fr")["flow2-out-frdev"]["ipv6"]["destination-ipv6-network"] == "2001:db8::/32"
    assert aces(doc, "v4fr")["flow3-out-frdev"] == {"ipv4": {"protocol": 1}}
    assert aces(doc, "v6fr")["flow3-out-frdev"] == {"ipv6": {"protocol": 58}}
    assert aces(doc, "v4fr")["flow4-out-frdev"]["ipv4"]["protocol"] == 132


def test_hosts_described_in_words_are_controllers(model: DataModel, camera: Product) -> None:
    flows: list[dict[str, Any]] = [
        {"host": "the hospital's gateway", "port": 443, "protocol": "tcp", "direction": "outbound"},
        {"host": "hospital NTP servers", "port": 123, "protocol": "udp", "direction": "outbound"},
        {"host": "the site's resolvers", "port": 53, "protocol": "udp", "direction": "outbound"},
    ]
    doc = mud_of(with_network(camera, flows))
    validate(model, doc)
    sent = aces(doc, "v6fr")
    # Hosts only the customer's network can name: the local administrator designates them.
    assert sent["flow1-out-frdev"]["ietf-mud:mud"] == {"my-controller": [None]}
    assert sent["flow2-out-frdev"]["ietf-mud:mud"] == {"controller": "urn:ietf:params:mud:ntp"}
    assert sent["flow3-out-frdev"]["ietf-mud:mud"] == {"controller": "urn:ietf:params:mud:dns"}
    assert sent["flow2-out-frdev"]["ipv6"] == {"protocol": 17}


def test_no_flows_gives_a_valid_file_that_allows_nothing(model: DataModel, camera: Product) -> None:
    doc = mud_of(with_network(camera, []))
    validate(model, doc)
    assert doc["ietf-access-control-list:acls"] == {"acl": []}
    assert "from-device-policy" not in doc["ietf-mud:mud"]


def test_same_input_same_bytes(camera: Product) -> None:
    assert build_mud(context(camera)).files == build_mud(context(camera)).files


# ---- what keeps a MUD file out ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flow", "words"),
    [
        (
            {"host": "a.example.com", "port": 9, "protocol": "other", "direction": "outbound"},
            "protocol 'other'",
        ),
        ({"host": "a.example.com", "port": 9, "direction": "outbound"}, "has no protocol"),
        ({"host": "a.example.com", "protocol": "tcp", "direction": "outbound"}, "TCP without a port"),
        ({"host": "a.example.com", "port": 9, "protocol": "udp"}, "has no direction"),
        ({"host": "*.example.com", "port": 9, "protocol": "udp", "direction": "outbound"}, "not a DNS name"),
        ({"port": 9, "protocol": "udp", "direction": "outbound"}, "has no host"),
    ],
)
def test_a_flow_that_cannot_be_expressed_means_no_file(
    camera: Product, flow: dict[str, Any], words: str
) -> None:
    flows = [{"host": "ok.example.com", "port": 443, "protocol": "tcp", "direction": "outbound"}, flow]
    part = build_mud(context(with_network(camera, flows)))
    assert part.files == {}
    assert len(part.gaps) == 1
    (gap,) = part.gaps
    assert words in gap.message
    assert "network flow 2" in gap.message
    assert gap.path[:4] == ("composition", "operational", "network", 1)


def test_no_network_description_or_no_url(camera: Product) -> None:
    part = build_mud(context(with_network(camera, None)))
    assert part.files == {}
    assert part.gaps[0].questions == ("Q4.2.3-5",)
    no_url = build_mud(context(with_network(camera, [], mud_url=None), docs=""))
    assert no_url.files == {}
    assert "MUD URL" in no_url.gaps[0].message


@pytest.mark.parametrize("path", sorted(ROOT.glob("examples/*/securable.yaml")), ids=lambda p: p.parent.name)
def test_every_example_gives_a_valid_file_or_says_why(model: DataModel, path: Path) -> None:
    product = load_product(path)
    docs = (product.product.documentation_url if product.product else None) or ""
    part = build_mud(
        PackageContext(product=product, product_path=path, date=date(2025, 9, 1), documentation_url=docs)
    )
    if PATH in part.files:
        validate(model, json.loads(part.files[PATH]))
    else:
        assert part.gaps or part.warnings


def test_dhcp_is_ipv4_only_and_dhcpv6_ipv6_only(model: DataModel, camera: Product) -> None:
    flows: list[dict[str, Any]] = [
        {"host": "local network", "port": 67, "protocol": "udp", "direction": "both"},
        {"host": "local network", "port": 547, "protocol": "udp", "direction": "outbound"},
        {"host": "ntp.example.com", "port": 123, "protocol": "udp", "direction": "outbound"},
    ]
    doc = mud_of(with_network(camera, flows))
    validate(model, doc)
    v4 = {*aces(doc, "v4fr"), *aces(doc, "v4to")}
    v6 = {*aces(doc, "v6fr"), *aces(doc, "v6to")}
    assert {"flow1-out-frdev", "flow1-in-todev"} <= v4
    assert not any(name.startswith("flow1-") for name in v6)
    assert any(name.startswith("flow2-") for name in v6)
    assert not any(name.startswith("flow2-") for name in v4)
    assert "flow3-out-frdev" in v4  # NTP runs over both
    assert "flow3-out-frdev" in v6


def test_a_device_without_ip_traffic_gets_a_note_for_the_maker_not_a_gap(camera: Product) -> None:
    flows: list[dict[str, Any]] = [
        {
            "host": "the site's gateways",
            "protocol": "other",
            "direction": "both",
            "application": "LoRaWAN 1.1",
        }
    ]
    part = build_mud(context(with_network(camera, flows)))
    assert part.files == {}
    assert part.gaps == ()
    (note,) = part.warnings
    assert "LoRaWAN 1.1" in note
    assert "only controls IP traffic" in note
