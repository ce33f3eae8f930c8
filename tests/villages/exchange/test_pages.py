"""Every exchange page renders, in both languages, non-empty on the demo world."""

import pytest
from django.utils import timezone

from synergy.core.demo import seed_core
from villages.exchange import demo
from villages.exchange.models import (
    Campaign,
    Donation,
    Event,
    InvestmentNeed,
    Job,
    Signup,
    VolunteerNeed,
    VolunteerSlot,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = seed_core()
    demo.seed(w)
    return w


def _pages():
    campaign = Campaign.objects.order_by("pk").first()
    return [
        ("/exchange/", "万溪冲小学图书角"),
        ("/exchange/campaigns/", "万溪冲小学图书角"),
        (f"/exchange/campaigns/{campaign.pk}/", "两组实木书架"),
        (f"/exchange/ledger/{Donation.objects.first().pairing_id}/", "¥1,700.00"),  # to the fen
        ("/exchange/volunteer/", "周末英语课"),
        (f"/exchange/volunteer/{VolunteerNeed.objects.get(title='周末英语课').pk}/", "周末英语课"),
        ("/exchange/investment/", "宝珠梨冷库建设"),
        (f"/exchange/investment/{InvestmentNeed.objects.first().pk}/", "宝珠梨冷库建设"),
        ("/exchange/jobs/", "小区保洁员"),
        (f"/exchange/jobs/{Job.objects.get(title='小区保洁员').pk}/", "小区保洁员"),
        ("/exchange/events/", "万溪冲梨花节"),
        (f"/exchange/events/{Event.objects.first().pk}/", "万溪冲梨花节"),
    ]


@pytest.mark.parametrize("username", [None, "resident", "coordinator", "worker", "manager"])
def test_public_pages_render_non_empty(client, world, username):
    if username:
        client.force_login(world.users[username])
    for url, text in _pages():
        r = client.get(url)
        assert r.status_code == 200, url
        assert text in r.content.decode(), url


def test_personal_pages(client, world):
    client.force_login(world.users["resident"])
    r = client.get("/exchange/volunteer/mine/")
    assert r.status_code == 200 and "周末英语课" in r.content.decode()
    receipt = Donation.objects.filter(donor=world.users["resident"]).first()
    r = client.get(f"/exchange/receipts/{receipt.pk}/")
    assert r.status_code == 200 and receipt.receipt_label in r.content.decode()
    r = client.get("/notifications/")
    assert r.status_code == 200 and receipt.receipt_label in r.content.decode()
    client.force_login(world.users["coordinator"])
    r = client.get("/exchange/dashboard/")
    html = r.content.decode()
    assert r.status_code == 200 and "宝珠梨冷库建设" in html and "万溪冲小学图书角" in html


def test_coordinator_confirms_hours_from_the_dashboard(client, world):
    signup = Signup.objects.filter(hours_confirmed__isnull=True,
                                   slot__ends_at__lt=timezone.now()).first()
    client.force_login(world.users["coordinator"])
    assert str(signup.volunteer) in client.get("/exchange/dashboard/").content.decode()
    r = client.post(f"/exchange/volunteer/signups/{signup.pk}/hours/", {"hours": "2"})
    assert r.status_code == 302
    signup.refresh_from_db()
    assert signup.hours_confirmed == 2


def test_pages_in_english(client, world):
    client.cookies["django_language"] = "en"
    r = client.get("/exchange/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Two-way exchange" in r.content.decode()


def test_campaign_list_api_query_count(api_as, world, django_assert_num_queries):
    # 1 count for pagination, 1 campaigns with villages, 1 budget lines (prefetch)
    with django_assert_num_queries(3):
        r = api_as(None).get("/api/v1/campaigns/")
    assert r.status_code == 200 and r.json()["count"] == 2


def test_seed_is_idempotent(world):
    counts = [m.objects.count() for m in (Campaign, Donation, VolunteerNeed, Signup, Job, Event)]
    demo.seed(world)
    assert [m.objects.count() for m in (Campaign, Donation, VolunteerNeed, Signup, Job,
                                        Event)] == counts


def test_staff_create_pages(client, world):
    client.force_login(world.users["coordinator"])
    r = client.post("/exchange/campaigns/new/", {
        "village": world.village.pk, "title": "新水井", "purpose": "打一口井",
        "goal": "9000", "deadline": "2099-01-01", "budget_lines": "钻井: 8000\n水泵：1000"})
    assert r.status_code == 302
    campaign = Campaign.objects.get(title="新水井")
    assert list(campaign.budget_lines.values_list("label", flat=True)) == ["钻井", "水泵"]
    bad = client.post("/exchange/campaigns/new/", {
        "village": world.village.pk, "title": "x", "purpose": "y", "goal": "9000",
        "deadline": "2099-01-01", "budget_lines": "no amount here"})
    assert bad.status_code == 200 and "name: amount" in bad.content.decode()

    r = client.post("/exchange/volunteer/new/", {
        "village": world.village.pk, "title": "书法课", "category": "culture",
        "skills": ["music_art"]})
    need = VolunteerNeed.objects.get(title="书法课")
    assert r.status_code == 302 and need.skills == ["music_art"]
    client.post(f"/exchange/volunteer/{need.pk}/slots/", {
        "starts_at": "2099-01-01T09:00", "ends_at": "2099-01-01T11:00", "capacity": "5"})
    assert VolunteerSlot.objects.filter(need=need, capacity=5).exists()
    for url in ["/exchange/investment/new/", "/exchange/events/new/", "/exchange/dashboard/"]:
        assert client.get(url).status_code == 200, url
    # A merchant posts a job; a merchant has no village, so a campaign form refuses the village.
    client.force_login(world.users["merchant"])
    r = client.post("/exchange/jobs/new/", {
        "community": world.community.pk, "title": "搬运工", "kind": "seasonal",
        "daily_pay": "230", "positions": "2", "weekdays": ["5"]})
    assert r.status_code == 302 and Job.objects.get(title="搬运工").weekdays == [5]
    r = client.post("/exchange/campaigns/new/", {
        "village": world.village.pk, "title": "nope", "purpose": "y", "goal": "1",
        "deadline": "2099-01-01"})
    assert r.status_code == 200 and not Campaign.objects.filter(title="nope").exists()
