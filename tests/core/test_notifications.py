"""Notifications: written in the transaction, e-mailed only after it commits; list and mark read."""

import pytest
from django.db import transaction
from django.utils.translation import gettext as _

from synergy.core import services
from synergy.core.models import Notification

pytestmark = pytest.mark.django_db


def test_notify_writes_now_and_mails_after_commit(resident, mailoutbox,
                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        services.notify(recipient=resident, kind="donation", message="Thanks!", url="/x/")
        assert Notification.objects.filter(recipient=resident).count() == 1
        assert mailoutbox == []
    assert len(callbacks) == 1
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [resident.email]
    assert "Thanks!" in mailoutbox[0].body


def test_no_mail_when_the_transaction_rolls_back(resident, mailoutbox,
                                                 django_capture_on_commit_callbacks):
    with (django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError),
          transaction.atomic()):
        services.notify(recipient=resident, kind="k", message="m")
        raise RuntimeError
    assert mailoutbox == []
    assert not Notification.objects.exists()


def test_api_lists_own_notifications_and_marks_read(api_as, resident, manager):
    mine = services.notify(recipient=resident, kind="k", message="for resident")
    services.notify(recipient=resident, kind="k", message="second")
    theirs = services.notify(recipient=manager, kind="k", message="for manager")

    r = api_as(resident).get("/api/v1/notifications/")
    assert r.status_code == 200
    assert [n["message"] for n in r.json()["results"]] == ["second", "for resident"]

    assert api_as(resident).post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 403
    r = api_as(resident).post(f"/api/v1/notifications/{mine.pk}/read/")
    assert r.status_code == 200 and r.json() == {"marked_read": 1}
    unread = api_as(resident).get("/api/v1/notifications/?unread=1").json()["results"]
    assert [n["message"] for n in unread] == ["second"]
    assert api_as(resident).post("/api/v1/notifications/read/").json() == {"marked_read": 1}
    assert api_as(None).get("/api/v1/notifications/").status_code in (401, 403)


def test_notifications_page_lists_and_marks_read(client, resident):
    note = services.notify(recipient=resident, kind="k", message="Hello there", url="/exchange/")
    client.force_login(resident)
    page = client.get("/notifications/")
    assert page.status_code == 200 and "Hello there" in page.content.decode()
    assert client.post("/notifications/", {"id": note.pk}).status_code == 302
    note.refresh_from_db()
    assert note.read_at is not None
    assert client.get("/notifications/").status_code == 200
    client.logout()
    assert client.get("/notifications/").status_code == 302


def test_callable_message_is_rendered_in_the_recipients_language(resident, manager):
    resident.preferred_language = "zh-hans"
    manager.preferred_language = "en"
    assert services.notify(recipient=resident, kind="k", message=lambda: _("Notifications")
                           ).message == "通知"
    assert services.notify(recipient=manager, kind="k", message=lambda: _("Notifications")
                           ).message == "Notifications"
