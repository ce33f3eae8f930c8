"""Analysis outputs were written under MEDIA_ROOT/analytics/runs/ (served publicly by /media/);
they now live under PRIVATE_MEDIA_ROOT and are served by analytics.views.run_file only. Move the
existing ones. Files only: no table changes."""

from django.db import migrations


def move(apps, schema_editor):
    from synergy.core.private_files import move_folder_to_private

    move_folder_to_private("analytics/runs")


class Migration(migrations.Migration):
    dependencies = [("core", "0002_notification")]

    operations = [migrations.RunPython(move, migrations.RunPython.noop, elidable=True)]
