"""OSCAL 1.2.1 JSON: validate documents against NIST's schemas (``validate``), export catalogs (``export``).

Nothing is imported here on purpose: ``securable`` sub-commands that never touch OSCAL must not pay
for the schema validator at start-up. Import the submodules directly.
"""

OSCAL_VERSION = "1.2.1"
