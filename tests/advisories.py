"""Manufacturer advisories made in code: a CSAF 2.0 VEX document valid against the CSAF schema,
naming products the way a vendor's product tree does (vendor -> product name -> version)."""

from __future__ import annotations

import json
from typing import Any


def csaf(
    vendor: str,
    product: str,
    version: str,
    *,
    cve: str = "CVE-2026-0001",
    status: str = "known_affected",
    purl: str | None = None,
) -> bytes:
    leaf: dict[str, Any] = {"name": f"{vendor} {product} {version}", "product_id": "P1"}
    if purl is not None:
        leaf["product_identification_helper"] = {"purl": purl}
    document = {
        "document": {
            "category": "csaf_vex",
            "csaf_version": "2.0",
            "publisher": {"category": "vendor", "name": vendor, "namespace": "https://vendor.example"},
            "title": f"{product} advisory",
            "tracking": {
                "current_release_date": "2026-11-01T00:00:00Z",
                "id": "VA-2026-1",
                "initial_release_date": "2026-11-01T00:00:00Z",
                "revision_history": [{"date": "2026-11-01T00:00:00Z", "number": "1", "summary": "First"}],
                "status": "final",
                "version": "1",
            },
        },
        "product_tree": {
            "branches": [
                {
                    "category": "vendor",
                    "name": vendor,
                    "branches": [
                        {
                            "category": "product_name",
                            "name": product,
                            "branches": [{"category": "product_version", "name": version, "product": leaf}],
                        }
                    ],
                }
            ]
        },
        "vulnerabilities": [{"cve": cve, "product_status": {status: ["P1"]}}],
    }
    return json.dumps(document).encode("utf-8")
