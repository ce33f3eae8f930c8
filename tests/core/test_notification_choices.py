"""Notifications in the reader's language, an unread count in the navigation, and e-mail chosen
per kind; every kind the code sends is registered with a label."""

import ast
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext as _

from synergy.core import selectors, services
from synergy.core.notification_kinds import kind_label, notification_kinds

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def _zh_and_en():
    return _("Notifications")  # a sentence both catalogues translate


def test_a_stored_notification_shows_in_the_language_the_reader_chose_now(resident):
    resident.preferred_language = "en"
    note = services.notify(recipient=resident, kind="k", message=_zh_and_en)
    assert note.message == "Notifications"  # e-mail and legacy readers: their language at sending
    with translation.override("zh-hans"):
        assert note.text == "通知"
    with translation.override("en"):
        assert note.text == "Notifications"


def test_a_plain_string_message_is_shown_as_it_was_sent(resident):
    note = services.notify(recipient=resident, kind="k", message="Thanks!")
    with translation.override("zh-hans"):
        assert note.text == "Thanks!"


def test_the_list_page_and_the_api_render_in_the_readers_language(resident):
    resident.preferred_language = "en"
    services.notify(recipient=resident, kind="k", message=_zh_and_en)
    client = Client()
    client.force_login(resident)
    client.cookies["django_language"] = "zh-hans"
    assert "通知" in client.get("/notifications/").content.decode()
    api = client.get("/api/v1/notifications/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert api["results"][0]["message"] in {"通知", "Notifications"}


def test_the_navigation_counts_unread_notifications(resident):
    client = Client()
    client.force_login(resident)
    assert 'id="nav-notifications"' in client.get("/").content.decode()
    assert selectors.notification_unread_count(user=resident) == 0
    for _i in range(3):
        services.notify(recipient=resident, kind="k", message="m")
    page = client.get("/").content.decode()
    nav = page[page.index('id="nav-notifications"'):][:400]
    assert '<span class="badge"' in nav and ">3</span>" in nav
    services.notification_mark_read(user=resident)
    page = client.get("/").content.decode()
    assert '<span class="badge"' not in page[page.index('id="nav-notifications"'):][:300]


def test_a_kind_turned_off_is_not_emailed_but_still_listed(resident, mailoutbox,
                                                          django_capture_on_commit_callbacks):
    kinds = list(notification_kinds())
    assert kinds, "the apps register their kinds"
    off, on = kinds[0], kinds[-1]
    services.notification_email_choices_set(user=resident, email_kinds=[k for k in kinds if k != off])
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipient=resident, kind=off, message="quiet")
        services.notify(recipient=resident, kind=on, message="loud")
    assert [m.body for m in mailoutbox] == ["loud"] or (off == on and mailoutbox == [])
    assert resident.notifications.count() == 2


def test_the_settings_page_saves_the_choices(resident):
    kinds = list(notification_kinds())
    client = Client()
    client.force_login(resident)
    page = client.get("/notifications/")
    assert "/notifications/settings/" in page.content.decode()
    assert client.get("/notifications/settings/").status_code == 200
    response = client.post("/notifications/settings/", {"email_kinds": kinds[:1]})
    assert response.status_code == 302
    resident.refresh_from_db()
    assert set(resident.email_off_kinds) == set(kinds[1:])


def test_an_unknown_kind_is_refused_by_the_page_with_the_field(resident):
    client = Client()
    client.force_login(resident)
    response = client.post("/notifications/settings/", {"email_kinds": ["no-such-kind"]})
    assert response.status_code == 200 and "email_kinds" in response.content.decode()
    resident.refresh_from_db()
    assert resident.email_off_kinds == []


def _kinds_sent_by_the_code() -> set[str]:
    """The literal `kind=` of every notify(...) call in the apps and the core."""
    sent = set()
    for folder in ("synergy", "community", "villages", "analytics"):
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
                if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(
                        node.func, "attr", None)) == "notify":
                    for kw in node.keywords:
                        if kw.arg == "kind" and isinstance(kw.value, ast.Constant):
                            sent.add(kw.value.value)
    return sent


def test_every_kind_the_code_sends_is_registered_with_a_label():
    sent = _kinds_sent_by_the_code()
    assert sent, "the scan finds the notify calls"
    assert sent - set(notification_kinds()) == set()
    with translation.override("zh-hans"):
        assert all(kind_label(k) for k in sent)
