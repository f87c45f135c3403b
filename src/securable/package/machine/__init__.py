"""The machine-readable files of a package: OSCAL component definition, MUD, security.txt, SBOM
and VEX summary, and product.json."""
