"""The agency side of SP 800-213: two workflows, each a subpackage.

* :mod:`securable.agency.requirements`: from an SP 800-53 baseline or profile (resolved by
  :mod:`securable.oscal.resolution`) to the device capabilities and manufacturer support (SP 800-213A,
  through NIST's draft mappings) and the agency actions (2020 Federal Profile, through
  Securable-derived links), written as an OSCAL profile and as reports.
* :mod:`securable.agency.evaluation`: vendors' packages or component definitions against those
  requirements: who meets what and how, questions to ask, contract clauses, and the reports.

Nothing is imported here: the CLI imports the submodule it needs.
"""
