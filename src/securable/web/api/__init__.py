"""The REST API under /api/v1 (django-ninja) and the bearer tokens CI uses to call it."""
