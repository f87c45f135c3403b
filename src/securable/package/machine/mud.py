"""``machine/mud.json``: a Manufacturer Usage Description (RFC 8520) from the declared network flows.

Each flow of ``composition.operational.network`` becomes access-control entries in both policies,
because RFC 8520 managers enforce each direction separately: an outbound flow to ``host:port`` is
allowed *from* the device to that port and its replies *to* the device from that port; an inbound
flow the other way round. TCP entries also say who opens the connection (``direction-initiated``),
so an outbound-only TCP flow does not let the remote side connect in.

Hosts: a DNS name is matched by name (``ietf-acldns``), ``local network`` with the MUD
``local-networks`` class, an IP address or prefix by network, ``any`` (or ``internet``) not at all.
A host described in words ("the hospital's gateway", "hospital NTP servers") is one the
manufacturer cannot name because the customer's network provides it: MUD expresses that as a
controller the local administrator designates, the well-known NTP or DNS controller class
(``urn:ietf:params:mud:ntp``/``dns``, RFC 8520 section 8) for port 123 or 53, ``my-controller``
otherwise. Every entry is written for IPv4 and IPv6, except for literal addresses of one family
and for protocols of one family: DHCP (UDP 67 and 68) exists only in IPv4, DHCPv6 (UDP 546 and
547) only in IPv6. SCTP is matched on the protocol number only: the ACL model has no SCTP ports.

A device whose every flow is ``other`` (LoRaWAN, Zigbee, a serial bus) sends no IP traffic for a
MUD manager to control: it gets no file, and the manufacturer a note saying why (a warning, not a
gap: customers have nothing to ask about).

The file is all or nothing: a MUD manager blocks whatever the file does not allow, so a file missing
one flow would cut the device off. A flow that cannot be expressed (no host, no direction, an
``other`` protocol, TCP or UDP without a port) means no file, and a gap saying which flow to fix.

``firmware-rev`` and ``software-rev`` are left out: RFC 8520 forbids them when the device can be
updated without its MUD URL changing, and the description does not say that the URL changes.
"""

from __future__ import annotations

import ipaddress
import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from securable.package.context import Gap, PackageContext, Part
from securable.product.model import NetworkFlow, Product

PATH = "machine/mud.json"
TOPIC = "MUD file"
CACHE_VALIDITY_HOURS = 48  # RFC 8520's default: managers fetch the file again after two days

JSON = dict[str, Any]
_FLOWS = ("composition", "operational", "network")
# IP protocol numbers; ICMP differs between IPv4 (1) and IPv6 (58).
_PROTOCOLS = {"tcp": (6, 6), "udp": (17, 17), "icmp": (1, 58), "sctp": (132, 132)}
_LOCAL = frozenset({"local network", "local networks", "local", "lan"})
_ANY = frozenset({"any", "internet", "*"})
# Controller classes RFC 8520 registers, by the port of the service they stand for.
_CONTROLLERS = {123: "urn:ietf:params:mud:ntp", 53: "urn:ietf:params:mud:dns"}
# Ports whose protocol exists in one IP family only: DHCP is IPv4's, DHCPv6 is IPv6's (RFC 8415).
_ONE_FAMILY = {("udp", 67): "v4", ("udp", 68): "v4", ("udp", 546): "v6", ("udp", 547): "v6"}
_DNS_NAME = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}\.?$")


@dataclass(frozen=True, slots=True)
class _Host:
    kind: str  # "dns", "local", "any", "ipv4", "ipv6", "controller" (a URN), "my-controller"
    value: str = ""


@dataclass(frozen=True, slots=True)
class _Flow:
    """A flow checked to be expressible: ``initiators`` says who opens it (from-device, to-device)."""

    number: int  # 1-based, names the access-control entries
    host: _Host
    protocol: str
    port: int | None
    initiators: tuple[str, ...]


def build_mud(ctx: PackageContext) -> Part:
    product = ctx.product
    op = product.composition.operational if product.composition else None
    if op is None or op.network is None:
        gap = Gap(
            TOPIC, "No MUD file: the expected network behaviour is not described.", ("Q4.2.3-5",), _FLOWS
        )
        return Part(gaps=(gap,))
    if op.network and all(flow.protocol == "other" for flow in op.network):
        return Part(
            warnings=(
                "No MUD file: every declared network flow uses protocol 'other' (not IP, e.g. "
                f"{_first_application(op.network)}); a MUD file (RFC 8520) only controls IP traffic, so "
                "the device needs none. Customers are not told anything is missing.",
            )
        )
    url = op.mud_url or (f"{ctx.documentation_url.rstrip('/')}/{PATH}" if ctx.documentation_url else "")
    if not url.lower().startswith("https://"):
        gap = Gap(
            TOPIC,
            "No MUD file: it needs an https:// MUD URL (composition.operational.mud_url) or a "
            "documentation URL to publish it under.",
            path=("composition", "operational", "mud_url"),
        )
        return Part(gaps=(gap,))
    flows: list[_Flow] = []
    problems: list[Gap] = []
    for index, flow in enumerate(op.network):
        checked = _check(index, flow, problems)
        if checked is not None:
            flows.append(checked)
    if problems:
        return Part(gaps=tuple(problems))
    doc = mud_document(product, flows, url=url, today=ctx.date, documentation=ctx.documentation_url)
    return Part({PATH: (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")})


def mud_document(product: Product, flows: list[_Flow], *, url: str, today: date, documentation: str) -> JSON:
    """The MUD file as JSON: ``ietf-mud:mud`` and the ``ietf-access-control-list:acls`` it names."""
    info = product.product
    stem = "mud-" + (_slug(info.model) if info and info.model else "device")
    # Four lists, one per family and direction, as in RFC 8520's examples; empty ones are left out.
    aces: dict[tuple[str, str], list[JSON]] = {(f, d): [] for f in ("v4", "v6") for d in ("fr", "to")}
    for flow in flows:
        for family, direction, ace in _aces(flow):
            aces[family, direction].append(ace)
    acls = {
        key: {
            "name": f"{stem}-{key[0]}{key[1]}",
            "type": "ipv4-acl-type" if key[0] == "v4" else "ipv6-acl-type",
            "aces": {"ace": entries},
        }
        for key, entries in aces.items()
        if entries
    }
    support_end = product.support.support_end if product.support else None
    mud: JSON = {
        "mud-version": 1,
        "mud-url": url,
        "last-update": f"{today.isoformat()}T00:00:00+00:00",
        "cache-validity": CACHE_VALIDITY_HOURS,
        # A device past its support end is "no longer supported" in RFC 8520's sense.
        "is-supported": support_end is None or support_end >= today,
    }
    if info is not None:
        name = " ".join(n for n in (info.name, f"({info.model})" if info.model else None) if n)
        for key, value in (("systeminfo", name), ("mfg-name", info.manufacturer), ("model-name", info.model)):
            if value:
                mud[key] = " ".join(value.split())
    if documentation:
        mud["documentation"] = documentation
    for policy, direction in (("from-device-policy", "fr"), ("to-device-policy", "to")):
        names = [{"name": acl["name"]} for (_, d), acl in acls.items() if d == direction]
        if names:
            mud[policy] = {"access-lists": {"access-list": names}}
    return {"ietf-mud:mud": mud, "ietf-access-control-list:acls": {"acl": list(acls.values())}}


def _check(index: int, flow: NetworkFlow, problems: list[Gap]) -> _Flow | None:
    """The flow ready for the file, or None after adding to ``problems`` what keeps it out."""
    purpose = flow.purpose or flow.application or "no purpose given"
    label = f"network flow {index + 1} ({flow.host or 'no host'}: {purpose})"
    found: list[tuple[str, str]] = []
    if flow.protocol is None:
        found.append(("protocol", "has no protocol"))
    elif flow.protocol not in _PROTOCOLS:
        found.append(
            (
                "protocol",
                f"uses protocol {flow.protocol!r}; a MUD file describes IP traffic: tcp, udp, icmp, sctp",
            )
        )
    elif flow.protocol in ("tcp", "udp") and flow.port is None:
        found.append(("port", f"is {flow.protocol.upper()} without a port"))
    if flow.direction is None:
        found.append(("direction", "has no direction"))
    host = _host(flow.host, flow.port) if flow.host else None
    if not flow.host:
        found.append(("host", "has no host"))
    elif host is None:
        found.append(
            ("host", f"names {flow.host!r}: not a DNS name, an IP address or a description in words")
        )
    for field, what in found:
        problems.append(Gap(TOPIC, f"No MUD file: {label} {what}.", ("Q4.2.3-5",), (*_FLOWS, index, field)))
    if found or host is None or flow.protocol is None or flow.direction is None:
        return None
    initiators = {"outbound": ("from-device",), "inbound": ("to-device",)}.get(
        flow.direction, ("from-device", "to-device")
    )
    if flow.protocol not in ("tcp", "udp"):
        initiators = initiators[:1]  # without ports, who opens the flow changes nothing in the entries
    return _Flow(index + 1, host, flow.protocol, flow.port, initiators)


def _host(text: str, port: int | None) -> _Host | None:
    value = " ".join(text.split())
    lowered = value.lower()
    if lowered in _LOCAL:
        return _Host("local")
    if lowered in _ANY:
        return _Host("any")
    try:
        network = ipaddress.ip_network(value, strict=False)
    except ValueError:
        pass
    else:
        return _Host(f"ipv{network.version}", str(network))
    if _DNS_NAME.match(value):
        return _Host("dns", lowered.rstrip("."))
    if " " in value:  # words, not a malformed name such as "*.example.com"
        controller = _CONTROLLERS.get(port or 0)
        return _Host("controller", controller) if controller else _Host("my-controller")
    return None


def _first_application(flows: tuple[NetworkFlow, ...]) -> str:
    return next((f.application for f in flows if f.application), None) or "a radio or bus protocol"


def _aces(flow: _Flow) -> list[tuple[str, str, JSON]]:
    """(family, policy direction, entry) for every entry the flow needs."""
    only = _ONE_FAMILY.get((flow.protocol, flow.port or 0))
    families = [
        f
        for f in ("v4", "v6")
        if (not flow.host.kind.startswith("ipv") or flow.host.kind == f"ip{f}") and only in (None, f)
    ]
    out = []
    for initiated in flow.initiators:
        opened_by_device = initiated == "from-device"
        for family in families:
            for direction in ("fr", "to"):
                # The side that opens the flow is the client, so the flow's port is its peer's:
                # the destination port of what the client sends, the source port of the replies.
                client_sends = (direction == "fr") == opened_by_device
                port_key = "destination-port" if client_sends else "source-port"
                ace = {
                    "name": f"flow{flow.number}-{'out' if opened_by_device else 'in'}-{direction}dev",
                    "matches": _matches(flow, family, direction, port_key, initiated),
                    "actions": {"forwarding": "accept"},
                }
                out.append((family, direction, ace))
    return out


def _matches(flow: _Flow, family: str, direction: str, port_key: str, initiated: str) -> JSON:
    v4, v6 = _PROTOCOLS[flow.protocol]
    l3: JSON = {"protocol": v4 if family == "v4" else v6}
    # The remote side is the destination of traffic from the device and the source of traffic to it.
    side = "destination" if direction == "fr" else "source"
    host = flow.host
    if host.kind == "dns":
        l3["ietf-acldns:dst-dnsname" if direction == "fr" else "ietf-acldns:src-dnsname"] = host.value
    elif host.kind.startswith("ipv"):
        l3[f"{side}-{host.kind}-network"] = host.value
    matches: JSON = {}
    if host.kind == "local":
        matches["ietf-mud:mud"] = {"local-networks": [None]}
    elif host.kind == "controller":
        matches["ietf-mud:mud"] = {"controller": host.value}
    elif host.kind == "my-controller":
        matches["ietf-mud:mud"] = {"my-controller": [None]}
    matches["ipv4" if family == "v4" else "ipv6"] = l3
    if flow.protocol in ("tcp", "udp") and flow.port is not None:
        l4: JSON = {port_key: {"operator": "eq", "port": flow.port}}
        if flow.protocol == "tcp":
            l4["ietf-mud:direction-initiated"] = initiated
        matches[flow.protocol] = l4
    return matches


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "device"
