"""The workspace: a multi-user web app and REST API over the same core as the CLI (Django).

Nothing here is imported by the CLI at start-up: ``securable serve`` and ``securable web ...`` import
Django only when they run. Configuration is read from environment variables (``settings.py``).
"""
