"""What the documents say when the manufacturer has not answered: one plain sentence per field.

Keyed by the field's model path, so the full document, the plain document and the fact sheet say
the same thing about the same gap, and the gap is recorded once.
"""

from __future__ import annotations

_NS = "The manufacturer has not stated "

NOT_STATED = {
    # 4.2.1
    "assumptions.expected_customers": _NS + "who the device was designed for.",
    "assumptions.intended_use": _NS + "how the device was intended to be used.",
    "assumptions.environments": _NS + "which environments the device was designed for.",
    "assumptions.shared_responsibilities": _NS
    + "how security responsibilities are shared between it, you and others.",
    # 4.2.2
    "support.support_end": _NS + "how long the device gets security updates and support.",
    "support.support_scope": _NS + "what support includes.",
    "support.end_of_life": _NS + "when the device reaches end of life.",
    "support.end_of_life_process": _NS + "what happens at end of life.",
    "support.end_of_life_notice_months": _NS + "how much notice you get before end of life.",
    "support.after_support_end": _NS + "what still works after support ends.",
    "support.after_end_of_life": _NS + "what still works after end of life.",
    "support.securable_after_support": _NS + "how you can keep the device secure after support ends.",
    "support.public_release": _NS
    + "whether it will publish files or data so that others can keep supporting the device.",
    "support.vulnerability_reporting.channels": _NS + "how to report a security problem.",
    "support.vulnerability_reporting.policy_url": "The manufacturer has not published a vulnerability "
    "disclosure policy.",
    "support.vulnerability_reporting.accepted_after_support_end": _NS
    + "whether it accepts security reports after support ends.",
    "support.vulnerability_reporting.accepted_after_end_of_life": _NS
    + "whether it accepts security reports after end of life.",
    # 4.2.3
    "composition.guidance.installation": _NS + "how to install the device securely.",
    "composition.guidance.configuration": _NS + "which settings affect security.",
    "composition.guidance.hardening": _NS + "how to harden the device beyond its defaults.",
    "composition.guidance.usage": _NS + "which ways of using the device are insecure.",
    "composition.guidance.maintenance": _NS + "which maintenance tasks matter for security.",
    "composition.stricter_settings": _NS + "what changes when security settings are made stricter.",
    "composition.software_inventory.sbom": "The manufacturer has not provided a software inventory (SBOM).",
    "composition.software_inventory.vulnerability_status": _NS
    + "how it tells customers about patch status and known vulnerabilities.",
    "composition.software_inventory.on_demand": _NS
    + "whether you can get the current software inventory on demand.",
    "composition.sources": _NS + "where the device's software, hardware and services come from.",
    "composition.operational.network": _NS + "how the device uses the network.",
    "composition.operational.how_provided": _NS + "how network behaviour information is made available.",
    "composition.functions": _NS + "which functions of the device matter for security.",
    "composition.sensors": _NS + "which sensors the device has.",
    "composition.data_types": _NS + "which data the device collects.",
    "composition.data_types[].accessible_by": _NS + "who can access this data: {name}.",
    "composition.parties": _NS + "who has access to or control over the device.",
    # 4.2.4
    "updates.available": _NS + "whether the device gets software updates.",
    "updates.schedule": _NS + "when updates are released.",
    "updates.circumstances": _NS + "under which circumstances updates are issued.",
    "updates.delivery": _NS + "how updates are delivered.",
    "updates.notification": _NS + "whether you are told when updates are available or installed.",
    "updates.responsible": _NS + "who installs updates.",
    "updates.verification": _NS + "how you can check that an update is genuine.",
    "updates.authenticated_before_install": _NS
    + "whether the device checks every update before installing it.",
    "updates.release_notes": _NS + "what each update tells you.",
    # 4.2.5
    "retirement.ownership_transfer.supported": _NS + "whether you can pass the device on to someone else.",
    "retirement.ownership_transfer.data_removal": _NS
    + "how to remove your data before passing the device on.",
    "retirement.render_inoperable.supported": _NS + "whether you can make the device permanently unusable.",
    "retirement.render_inoperable.how": _NS + "how to make the device permanently unusable.",
    # 4.2.6
    "means.device": _NS + "which protections the device itself provides.",
    "means.related-device": _NS + "whether a related device (hub, gateway, app) provides protections.",
    "means.service": _NS + "whether a service (such as a cloud) provides protections.",
    "means.non-technical": _NS + "which non-technical support it provides.",
    "means.customer": _NS + "what you are expected to do yourself.",
    "means[].risk_effect": _NS + "how this protection affects risk: {name}.",
    # 4.1, for the audience a document is written for (which terminology and how much detail it
    # needs decide the document's level; they are no gap a customer should be told about)
    "audiences[].contact": _NS + "how you can reach it.",
    "audiences[].integrity": _NS + "how you can check that information really comes from it.",
}

# Fields that answer a question without naming it in the model (they are ``detail`` fields there):
# the seed's question 4.2.3-1 also asks about usage and maintenance, and 4.2.2-4 about reporting.
EXTRA_QUESTIONS = {
    "composition.guidance.usage": ("Q4.2.3-1",),
    "composition.guidance.maintenance": ("Q4.2.3-1",),
    "support.vulnerability_reporting.policy_url": ("Q4.2.2-4",),
}
