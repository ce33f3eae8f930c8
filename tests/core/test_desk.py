"""The desk (issue 13, point 2): each demo persona lands on /desk/ after login and sees its
role's panels; a person with several roles switches desks with the role tabs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from community.models import Bill, RepairTicket
from synergy.core import desk, selectors
from synergy.core.demo import DEMO_PASSWORD
from synergy.core.models import Community, Membership, MembershipStatus, Pairing, Role, User, Village
from synergy.core.permission_matrix import PERSONAS
from tests.seeding import demo_seeded_once

# persona -> (its role, the panels its desk must show)
DESKS = {
    "resident": (Role.RESIDENT, ["my-memberships", "orders", "bookings", "signups", "my-community",
                                 "tickets", "bills", "rural-channel"]),
    "manager": (Role.PROPERTY_MANAGER, ["applications", "tickets-by-state", "arrears", "notices",
                                        "jobs-posted"]),
    "merchant": (Role.MERCHANT, ["shop", "offers", "coupons", "jobs-posted"]),
    "coordinator": (Role.COORDINATOR, ["applications", "listings", "rounds", "bookings-to-confirm",
                                       "hours", "interests", "campaigns"]),
    "worker": (Role.RURAL_WORKER, ["my-village", "labour-offers", "job-applications", "matched-jobs"]),
    "admin": (Role.ADMIN, ["applications", "pairings", "memberships", "moderation"]),
    "analyst": (Role.ANALYST, ["datasets", "runs"]),
}


@pytest.fixture(scope="module", autouse=True)
def _demo_seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo world once for the module (flushed after it); each test changes it only inside
    its own rolled-back transaction."""
    with django_db_blocker.unblock(), demo_seeded_once(tmp_path_factory):
        yield


@pytest.fixture
def demo(db):
    return {u.username: u for u in User.objects.filter(username__in=DESKS)}


def _panel_keys(response) -> list[str]:
    return [p.key for p in response.context["panels"]]


def test_every_persona_has_a_desk():
    assert set(DESKS) == set(PERSONAS) - {"anonymous"}


@pytest.mark.parametrize("persona", sorted(DESKS))
def test_each_persona_gets_its_roles_desk(client, demo, persona, django_assert_max_num_queries):
    role, keys = DESKS[persona]
    client.force_login(demo[persona])
    # Session, user, roles (view and nav), then one or two queries per panel; the rural channel
    # asks one per kind (six). Measured on the demo world: resident 24, coordinator 18, manager
    # 14, worker 13, merchant 12, admin 12, analyst 10.
    with django_assert_max_num_queries(30):
        response = client.get(reverse("core:desk"))
    assert response.status_code == 200
    assert response.context["role"] == role
    shown = _panel_keys(response)
    for key in keys:
        assert key in shown, f"{persona}'s desk lacks the {key!r} panel (has {shown})"
    assert f'id="panel-{keys[0]}"' in response.content.decode()


def test_the_demo_desks_show_real_work(client, demo):
    """Not only empty panels: the seeded world fills the main ones."""
    for persona, key in [("resident", "my-community"), ("manager", "tickets-by-state"),
                         ("coordinator", "listings"), ("admin", "pairings"), ("merchant", "shop"),
                         ("analyst", "datasets")]:
        client.force_login(demo[persona])
        panels = {p.key: p for p in client.get(reverse("core:desk")).context["panels"]}
        assert panels[key].items, f"{persona}: the {key} panel is empty in the demo world"


def test_more_rows_cost_no_more_queries(client, demo):
    """No N+1: a resident with more tickets and bills costs the same number of queries."""
    user = demo["resident"]
    home = Community.objects.get(slug="cuihu-garden")
    client.force_login(user)
    client.get(reverse("core:desk"))  # the session's role is stored once

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("core:desk")).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    unit = Membership.objects.get(user=user, role=Role.RESIDENT).unit
    for i in range(4):
        RepairTicket.objects.create(community=home, reporter=user, category="plumbing",
                                    unit=unit, description=f"leak {i}")
        Bill.objects.create(community=home, unit=unit, period=f"2025-0{i + 1}", amount="120.00",
                            due_date=dt.date(2025, i + 1, 28))
    assert count() == before


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("core:desk"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_lands_on_the_desk(client, demo):
    response = client.post(reverse("login"), {"username": "manager", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:desk")


def test_login_with_a_safe_next_still_goes_there(client, demo):
    response = client.post(reverse("login"), {"username": "resident", "password": DEMO_PASSWORD,
                                              "next": "/villages/orders/"})
    assert response["Location"] == "/villages/orders/"


def test_several_roles_switch_with_tabs_and_the_choice_is_remembered(client, demo):
    user = demo["resident"]
    Membership.objects.create(user=user, role=Role.COORDINATOR, village=Village.objects.first())
    client.force_login(user)
    first = client.get(reverse("core:desk"))
    assert [code for code, _label in first.context["tabs"]] == [Role.RESIDENT, Role.COORDINATOR]
    assert first.context["role"] == Role.RESIDENT
    assert 'href="?role=coordinator"' in first.content.decode()

    switched = client.get(reverse("core:desk") + "?role=coordinator")
    assert switched.context["role"] == Role.COORDINATOR
    assert "listings" in _panel_keys(switched)
    assert "orders" not in _panel_keys(switched)
    # Remembered: the next visit without ?role= opens the coordinator's desk again.
    assert client.get(reverse("core:desk")).context["role"] == Role.COORDINATOR
    # A role the person does not hold is ignored (the remembered one stays).
    assert client.get(reverse("core:desk") + "?role=admin").context["role"] == Role.COORDINATOR


def test_a_person_without_a_role_is_told_how_to_get_one(client, db):
    user = User.objects.create_user(username="newcomer", password="pass-word-123")
    client.force_login(user)
    response = client.get(reverse("core:desk"))
    assert response.status_code == 200
    assert response.context["panels"] == []
    assert 'id="desk-empty"' in response.content.decode()


def test_manager_sees_pending_applications_of_their_community_only(client, demo):
    newcomer = User.objects.create_user(username="newcomer", password="pass-word-123")
    home = Community.objects.get(slug="cuihu-garden")
    Membership.objects.create(user=newcomer, role=Role.RESIDENT, community=home, unit="1-101",
                              status=MembershipStatus.PENDING)
    other = User.objects.create_user(username="elsewhere", password="pass-word-123")
    Membership.objects.create(user=other, role=Role.RESIDENT, community=Community.objects.exclude(
        pk=home.pk).first(), unit="9-909", status=MembershipStatus.PENDING)
    client.force_login(demo["manager"])
    panels = {p.key: p for p in client.get(reverse("core:desk")).context["panels"]}
    assert [i.status for i in panels["applications"].items] == ["1"]
    client.force_login(demo["admin"])
    panels = {p.key: p for p in client.get(reverse("core:desk")).context["panels"]}
    assert [i.status for i in panels["applications"].items] == ["2"]


def test_the_moderation_queue_gathers_every_public_kind(client, demo):
    client.force_login(demo["admin"])
    response = client.get(reverse("core:desk"))
    moderation = [p for p in response.context["panels"] if p.key == "moderation"]
    assert len(moderation) == 1  # one queue, whichever app adds to it
    urls = [i.url for i in moderation[0].items]
    assert reverse("villages:moderation") in urls
    assert reverse("admin:exchange_campaign_changelist") in urls
    assert reverse("admin:community_housinglisting_changelist") in urls
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_url_or_empty_guards_a_missing_page():
    assert desk.url_or_empty("core:no-such-page") == ""
    assert desk.url_or_empty("core:desk") == "/desk/"


# --- the administrators' pairing page ---------------------------------------------------------


def test_admin_pairs_and_pauses_in_the_site(client, demo):
    client.force_login(demo["admin"])
    community = Community.objects.get(slug="cuihu-garden")
    village = Village.objects.get(slug="xiaojie-village")  # not paired with cuihu in the demo
    assert client.get(reverse("core:pairings")).status_code == 200
    response = client.post(reverse("core:pairings"), {"community": community.pk, "village": village.pk})
    assert response.status_code == 302
    pairing = Pairing.objects.get(community=community, village=village)
    assert pairing.active and pairing.created_by == demo["admin"]

    client.post(reverse("core:pairings"), {"pairing": pairing.pk, "active": "0"})
    pairing.refresh_from_db()
    assert not pairing.active
    client.post(reverse("core:pairings"), {"pairing": pairing.pk, "active": "1"})
    pairing.refresh_from_db()
    assert pairing.active


def test_admin_records_and_corrects_when_a_pairing_began(client, demo):
    client.force_login(demo["admin"])
    community = Community.objects.get(slug="cuihu-garden")
    village = Village.objects.get(slug="xiaojie-village")
    client.post(reverse("core:pairings"), {"community": community.pk, "village": village.pk,
                                           "started_on": "2018-03-01"})
    pairing = Pairing.objects.get(community=community, village=village)
    assert pairing.started_on == dt.date(2018, 3, 1)
    assert "2018-03-01" in client.get(reverse("core:pairings")).content.decode()
    client.post(reverse("core:pairings"), {"pairing": pairing.pk, "started_on": "2016-09-15"})
    pairing.refresh_from_db()
    assert pairing.started_on == dt.date(2016, 9, 15) and pairing.active
    # The future and a non-date are refused; the date stays.
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    client.post(reverse("core:pairings"), {"pairing": pairing.pk, "started_on": tomorrow})
    client.post(reverse("core:pairings"), {"pairing": pairing.pk, "started_on": "soon"})
    pairing.refresh_from_db()
    assert pairing.started_on == dt.date(2016, 9, 15)
    # The analytics read the city's first year from here.
    assert selectors.pairing_first_year_by_city()[community.prefecture_city] == 2016


def test_pairing_twice_says_so(client, demo):
    client.force_login(demo["admin"])
    existing = Pairing.objects.first()
    response = client.post(reverse("core:pairings"), {"community": existing.community_id,
                                                      "village": existing.village_id})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_only_administrators_open_the_pairing_page(client, demo):
    pairing = Pairing.objects.first()
    for persona in ["resident", "manager", "coordinator", "analyst"]:
        client.force_login(demo[persona])
        assert client.get(reverse("core:pairings")).status_code == 404, persona
        response = client.post(reverse("core:pairings"), {"pairing": pairing.pk, "active": "0"})
        assert response.status_code == 404, persona
        pairing.refresh_from_db()
        assert pairing.active


def test_home_links_to_the_desk(client, demo):
    assert reverse("core:desk") not in client.get("/").content.decode().split("<main")[1]
    client.force_login(demo["coordinator"])
    body = client.get("/").content.decode()
    assert 'id="home-desk"' in body
    assert reverse("core:desk") in body
