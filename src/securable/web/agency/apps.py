from __future__ import annotations

from django.apps import AppConfig


class AgencyConfig(AppConfig):
    name = "securable.web.agency"
    label = "agency"
    default_auto_field = "django.db.models.BigAutoField"
