from typing import Any

from django.db import migrations, models

# The roles of the day, frozen here: versions drafted before roles were named were asked of every
# member, so they keep asking every role that existed then.
ALL_ROLES = "owner,editor,reviewer,auditor"


def every_role(apps: Any, schema_editor: Any) -> None:
    apps.get_model("operations", "PolicyVersion").objects.update(ack_roles=ALL_ROLES)


class Migration(migrations.Migration):
    dependencies = [("operations", "0002_reviews_reports")]

    operations = [
        migrations.AddField(
            model_name="policyversion",
            name="ack_roles",
            field=models.CharField(default="", max_length=200),
            preserve_default=False,
        ),
        migrations.RunPython(every_role, migrations.RunPython.noop),
    ]
