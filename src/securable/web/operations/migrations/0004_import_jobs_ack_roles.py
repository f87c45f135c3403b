from typing import Any

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

# The roles of the day, frozen here: versions drafted before roles were named were asked of every
# member, so they keep asking every role that existed then.
ALL_ROLES = "owner,editor,reviewer,auditor"


def every_role(apps: Any, schema_editor: Any) -> None:
    # The base manager: every organization at once, as a migration must (the scoped one refuses).
    apps.get_model("operations", "PolicyVersion")._base_manager.update(ack_roles=ALL_ROLES)


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("orgs", "0001_initial"),
        ("operations", "0003_vault_requests_oversight"),
    ]

    operations = [
        migrations.AddField(
            model_name="policyversion",
            name="ack_roles",
            field=models.CharField(default="", max_length=200),
            preserve_default=False,
        ),
        migrations.RunPython(every_role, migrations.RunPython.noop),
        migrations.CreateModel(
            name="DeviceJob",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(choices=[("import", "Import"), ("status", "Status")], max_length=20),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("queued", "Queued"),
                            ("running", "Running"),
                            ("done", "Done"),
                            ("failed", "Failed"),
                        ],
                        default="queued",
                        max_length=20,
                    ),
                ),
                ("credential", models.CharField(max_length=100)),
                ("token_role", models.CharField(max_length=20, null=True)),
                ("why", models.CharField(blank=True, max_length=1000)),
                ("filename", models.CharField(blank=True, max_length=200)),
                ("content", models.BinaryField(null=True)),
                ("sha256", models.CharField(blank=True, max_length=64)),
                ("status", models.CharField(blank=True, max_length=20)),
                ("asset_tags", models.TextField(default="[]")),
                ("total", models.PositiveIntegerField(default=0)),
                ("changed", models.PositiveIntegerField(default=0)),
                ("errors", models.TextField(default="[]")),
                ("created", models.DateTimeField(default=django.utils.timezone.now)),
                ("started", models.DateTimeField(null=True)),
                ("finished", models.DateTimeField(null=True)),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="orgs.organization"
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["organization", "-created"], name="devicejob_org_created")],
            },
        ),
    ]
