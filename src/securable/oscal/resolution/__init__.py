"""OSCAL profile resolution (NIST's algorithm): import, merge, modify."""
