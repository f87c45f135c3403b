"""Builds Securable's shipped catalogs from the NIST sources in ``upstream/sources``.

Run ``python -m tools.catalogbuild`` (or ``make catalogs``); output is deterministic, so a rebuild
that changes nothing leaves ``git status`` clean.
"""
