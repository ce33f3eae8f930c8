"""Rebuild docs/permission-matrix.md: every API operation × demo persona → HTTP status.

    .venv/bin/python scripts/permission_matrix.py --write

Runs against a throw-away SQLite database seeded with the demo world.
"""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    tmp = tempfile.mkdtemp()
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/matrix.sqlite3"
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "synergy.settings")
    import django  # noqa: PLC0415  (settings come from the environment set just above)

    django.setup()
    from django.core.management import call_command  # noqa: PLC0415  (after django.setup())

    from synergy.core import permission_matrix  # noqa: PLC0415
    from synergy.core.models import User  # noqa: PLC0415

    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    users = {u.username: u for u in User.objects.filter(username__in=permission_matrix.PERSONAS)}
    users["anonymous"] = None
    text = permission_matrix.render(permission_matrix.build(users))
    target = ROOT / "docs" / "permission-matrix.md"
    if "--write" in sys.argv:
        target.write_text(text)
        print(f"wrote {target}")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
