"""The agency side of SP 800-213: from an SP 800-53 baseline to the IoT device requirements it implies.

* :mod:`securable.agency.resolve` resolves an OSCAL profile (e.g. NIST's MODERATE baseline) against
  its catalog, following NIST's profile resolution specification.
* :mod:`securable.agency.requirements` turns a set of SP 800-53 controls into the device
  capabilities and manufacturer support (SP 800-213A, through NIST's draft mappings) and the agency
  actions (2020 Federal Profile, through Securable-derived links, see :mod:`securable.agency.links`).
* :mod:`securable.agency.profile` and :mod:`securable.agency.report` write the result as an OSCAL
  profile and as terminal, Markdown, HTML or JSON reports.

Nothing is imported here: the CLI imports the submodule it needs.
"""
