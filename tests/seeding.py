"""The demo world seeded once for a whole test module (seeding it per test is the slow part)."""

from __future__ import annotations

from contextlib import contextmanager

from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

from synergy.celery import app


@contextmanager
def demo_seeded_once(tmp_path_factory, *, run_queued_work: bool = True):
    """The demo world committed to the test database for one module, then flushed.

    For module-scoped fixtures (use inside `django_db_blocker.unblock()`): the database is flushed
    first, which also restarts every sequence, so ids start at 1 as in a fresh database whatever
    ran before; tasks run eagerly and media go to a temporary folder, as the function-scoped
    autouse fixtures below arrange for single tests. Flushed again afterwards, so no later test
    sees the demo.

    run_queued_work=True runs the work the seed queues after commit (the demo's analysis run), as
    `make run` does; False drops it, as a seed inside a test's never-committed transaction would.
    """
    media = tmp_path_factory.mktemp("demo-media")
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        with override_settings(CELERY_TASK_ALWAYS_EAGER=True, MEDIA_ROOT=media / "media",
                               PRIVATE_MEDIA_ROOT=media / "private-media",
                               SENDFILE_ROOT=str(media / "private-media")):
            call_command("flush", "--noinput", verbosity=0)
            with transaction.atomic():
                call_command("seed_demo", verbosity=0)
                if not run_queued_work:
                    transaction.get_connection().run_on_commit.clear()
            yield
    finally:
        app.conf.task_always_eager = eager
        call_command("flush", "--noinput", verbosity=0)
