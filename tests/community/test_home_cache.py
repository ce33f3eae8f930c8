"""The community's home page is kept whole per visitor (issue 19) and is never stale: each test
first proves the page is served from the cache (a write behind the services' back, with no
bump, does not show), then makes the change through the service or the page a person uses and
sees it on the next request. Covered: notices, the unread count, follows (with the message after
the redirect), roles, a membership decided, large type, the language, the feed, expiry."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from community import services as community_services
from community.models import Notice
from community.views.pages import _home_html
from synergy.core import services as core_services
from synergy.core.models import Community, Membership, MembershipStatus, Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


def _client(user, language="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _home(client, community) -> str:
    response = client.get(f"/community/{community.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def _publish(manager, community, title, **extra):
    return community_services.notice_publish(author=manager, community=community, title=title,
                                             body="Body", **extra)


def test_a_notice_published_or_edited_shows_on_the_next_visit(
        resident, manager, community, django_capture_on_commit_callbacks):
    client = _client(resident)
    with django_capture_on_commit_callbacks(execute=True):
        notice = _publish(manager, community, "Water off on Friday")
    assert "Water off on Friday" in _home(client, community)
    Notice.objects.filter(pk=notice.pk).update(title="Sneaked title")  # no bump
    assert "Sneaked title" not in _home(client, community)  # the whole page is cached

    with django_capture_on_commit_callbacks(execute=True):
        _publish(manager, community, "Lift repaired")
    html = _home(client, community)
    assert "Lift repaired" in html and "Sneaked title" in html  # rebuilt from the database

    with django_capture_on_commit_callbacks(execute=True):
        Notice.objects.get(pk=notice.pk).delete()
    assert "Sneaked title" not in _home(client, community)


def test_the_new_badge_goes_once_the_notice_is_read(
        resident, manager, community, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notice = _publish(manager, community, "Fee reminder")
    client = _client(resident)
    assert '<span class="badge">New</span>' in _home(client, community)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(f"/community/{community.slug}/notices/{notice.pk}/").status_code == 200
    assert '<span class="badge">New</span>' not in _home(client, community)


def test_the_unread_count_follows_new_and_read_notifications(
        resident, community, django_capture_on_commit_callbacks):
    client = _client(resident)
    assert "1 unread" not in _home(client, community)
    with django_capture_on_commit_callbacks(execute=True):
        core_services.notify(recipient=resident, kind="core.test", message="Hello")
    assert "1 unread" in _home(client, community)
    with django_capture_on_commit_callbacks(execute=True):
        core_services.notify_many(recipients=[resident], kind="core.test", message="Again")
    assert "2 unread" in _home(client, community)
    with django_capture_on_commit_callbacks(execute=True):
        core_services.notification_mark_read(user=resident)
    assert "unread" not in _home(client, community)


def test_following_from_the_page_shows_the_message_then_the_badge(
        resident, community, pairing, village, django_capture_on_commit_callbacks):
    client = _client(resident)
    assert "Following" not in _home(client, community)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/community/villages/{village.pk}/follow/",
                               {"action": "follow", "next": f"/community/{community.slug}/"},
                               follow=True)
    html = response.content.decode()
    assert f"You now follow {village.name}." in html  # the message waiting: built, not cached
    assert "Following" in html
    again = _home(client, community)
    assert "Following" in again and "You now follow" not in again  # shown once
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/community/villages/{village.pk}/follow/",
                    {"action": "unfollow", "next": f"/community/{community.slug}/"})
    assert '<span class="badge">Following</span>' not in _home(client, community)


def test_each_visitor_has_their_own_page(resident, community, pairing, village,
                                         django_capture_on_commit_callbacks):
    neighbour = MembershipFactory(role=Role.RESIDENT, community=community, unit="3-101").user
    with django_capture_on_commit_callbacks(execute=True):
        community_services.village_follow(user=resident, village=village)
    mine, theirs = _client(resident), _client(neighbour)
    assert '<span class="badge">Following</span>' in _home(mine, community)
    assert '<span class="badge">Following</span>' not in _home(theirs, community)
    first, second = mine.get(f"/community/{community.slug}/"), theirs.get(
        f"/community/{community.slug}/")
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value


def test_an_approved_application_shows_the_notices_at_once(
        manager, community, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _publish(manager, community, "Welcome evening")
    newcomer = UserFactory()
    client = _client(newcomer)
    assert "Welcome evening" not in _home(client, community)  # not a member yet
    with django_capture_on_commit_callbacks(execute=True):
        application = core_services.membership_apply(user=newcomer, role=Role.RESIDENT,
                                                     community=community, unit="5-502")
        core_services.membership_approve(decided_by=manager, membership=application)
    assert "Welcome evening" in _home(client, community)
    Membership.objects.filter(pk=application.pk).update(status=MembershipStatus.PENDING)
    assert "Welcome evening" in _home(client, community)  # behind the back: still cached
    with django_capture_on_commit_callbacks(execute=True):
        Membership.objects.get(pk=application.pk).save()  # any save (the admin's) bumps
    assert "Welcome evening" not in _home(client, community)


def test_large_type_and_language_each_have_their_page(
        resident, community, django_capture_on_commit_callbacks):
    client = _client(resident)
    assert 'class="large-type"' not in _home(client, community)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/display/large-type/", {"large_type": "1", "next": "/"})
    assert 'class="large-type"' in _home(client, community)
    assert "Rural channel" in _home(client, community)
    assert "Rural channel" not in _home(_client(resident, "zh-hans"), community)


def test_a_renamed_community_shows_at_once(resident, community, django_capture_on_commit_callbacks):
    client = _client(resident)
    assert community.name in _home(client, community)
    Community.objects.filter(pk=community.pk).update(name="Sneaked Garden")
    assert "Sneaked Garden" not in _home(client, community)
    with django_capture_on_commit_callbacks(execute=True):
        renamed = Community.objects.get(pk=community.pk)
        renamed.name = "Lakeside Garden"
        renamed.save()
    assert "Lakeside Garden" in _home(client, community)


def test_the_page_lives_no_longer_than_its_first_notice(resident, manager, community):
    soon = timezone.now() + dt.timedelta(minutes=10)
    _publish(manager, community, "Short-lived", expires_at=soon)
    request = _client(resident).get(f"/community/{community.slug}/").wsgi_request
    _html, seconds = _home_html(request, community.slug)  # the lifetime the view gives the page
    assert seconds is not None and 540 <= seconds <= 600


def test_the_cart_count_in_the_menu_follows_the_session(resident, community, pairing, village):
    from tests.villages.factories import ProductFactory  # noqa: PLC0415

    product = ProductFactory(village=village, stock=5)
    client = _client(resident)
    assert 'id="nav-cart-count"' not in _home(client, community)
    client.post(f"/villages/cart/add/{product.pk}/", {"quantity": "2"})
    client.get("/villages/cart/")  # the message of the add is shown (and gone) there
    assert 'id="nav-cart-count">2<' in _home(client, community)
    client.post(f"/villages/cart/remove/{product.pk}/")
    client.get("/villages/cart/")
    assert 'id="nav-cart-count"' not in _home(client, community)
