"""The rural channel on the community page and in the API: every kind from the paired villages,
closing-soonest first, the filters, and a constant number of queries however many villages."""

from __future__ import annotations

import datetime as dt
from importlib import import_module

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from community import selectors, services
from synergy.core.demo import seed_core
from tests.factories import PairingFactory, VillageFactory
from tests.villages.exchange.factories import CampaignFactory, EventFactory, NeedFactory, SlotFactory
from tests.villages.factories import OfferFactory, ProductFactory, RoundFactory, RoundPickupFactory
from villages import selectors as village_selectors

pytestmark = pytest.mark.django_db

KINDS = {"round", "product", "offer", "campaign", "need", "event"}


def _stock_village(community, i: int = 0, hours: int = 0):
    """A village paired with `community` with one open item of every kind; the closing ones
    close `hours` (+ a per-kind offset) from now."""
    v = VillageFactory()
    pairing = PairingFactory(community=community, village=v)
    now = timezone.now()
    r = RoundFactory(village=v, cutoff_at=now + dt.timedelta(hours=hours + 1))
    RoundPickupFactory(round=r, community=community, pickup_point=f"Gate {i}")
    ProductFactory(village=v)
    OfferFactory(village=v)
    CampaignFactory(village=v, deadline=timezone.localdate() + dt.timedelta(days=40 + i))
    SlotFactory(need=NeedFactory(village=v), starts_at=now + dt.timedelta(hours=hours + 3))
    EventFactory(pairing=pairing, starts_at=now + dt.timedelta(hours=hours + 5))
    return v


def _client(user, language="en"):
    c = Client()
    if user is not None:
        c.force_login(user)
    c.cookies["django_language"] = language
    return c


# --------------------------------------------------------------------------- the selector


def test_channel_merges_every_kind_closing_soonest_first(community):
    v1 = _stock_village(community, 1, hours=0)
    v2 = _stock_village(community, 2, hours=100)
    items = selectors.rural_channel(community=community, limit=100)
    assert {i.kind for i in items} == KINDS
    assert len(items) == 12
    closing = [i for i in items if i.closes_at is not None]
    open_ended = [i for i in items if i.closes_at is None]
    assert items == closing + open_ended  # the ones that close first
    assert [i.closes_at for i in closing] == sorted(i.closes_at for i in closing)
    # v1's round (1 h), need (3 h) and event (5 h) come before v2's (101 h, ...); campaigns last.
    assert [(i.kind, i.village_id) for i in closing[:3]] == [
        ("round", v1.pk), ("need", v1.pk), ("event", v1.pk)]
    assert (closing[3].kind, closing[3].village_id) == ("round", v2.pk)
    assert [i.kind for i in closing[-2:]] == ["campaign", "campaign"]
    # Products and stays do not close: newest first.
    created = [i.created_at for i in open_ended]
    assert created == sorted(created, reverse=True)
    assert {i.kind for i in open_ended} == {"product", "offer"}
    assert all(i.url.startswith(("/villages/", "/exchange/")) for i in items)
    need = next(i for i in items if i.kind == "need")
    assert need.url == f"/exchange/volunteer/{need.id}/" and "1 open slots" in need.detail


def test_channel_shows_only_actively_paired_villages_and_open_items(community, other_community):
    paired = _stock_village(community)
    inactive = _stock_village(community)
    inactive.pairings.update(active=False)
    stranger = VillageFactory()  # not paired with this community at all
    PairingFactory(community=other_community, village=stranger)
    ProductFactory(village=stranger)
    CampaignFactory(village=stranger)
    SlotFactory(need=NeedFactory(village=stranger))
    # Closed or past things of the paired village stay out too.
    CampaignFactory(village=paired, status="closed")
    CampaignFactory(village=paired, deadline=timezone.localdate() - dt.timedelta(days=1))
    SlotFactory(need=NeedFactory(village=paired), starts_at=timezone.now() - dt.timedelta(hours=2))
    SlotFactory(need=NeedFactory(village=paired), capacity=1, taken=1)
    EventFactory(pairing=paired.pairings.get(), starts_at=timezone.now() - dt.timedelta(hours=1))
    # Another community's event with the paired village: shown only when the village hosts it.
    other_pairing = PairingFactory(community=other_community, village=paired)
    hosted_there = EventFactory(pairing=other_pairing, host="community")
    hosted_here = EventFactory(pairing=other_pairing, host="village")

    items = selectors.rural_channel(community=community, limit=100)
    assert {i.village_id for i in items} == {paired.pk}
    assert sorted(i.kind for i in items) == sorted([*KINDS, "event"])  # two events
    ids = {(i.kind, i.id) for i in items}
    assert ("event", hosted_here.pk) in ids and ("event", hosted_there.pk) not in ids


def test_channel_filters_by_kind_village_and_follows(community, resident):
    v1, v2 = _stock_village(community, 1), _stock_village(community, 2)
    only_needs = selectors.rural_channel(community=community, kinds=["need", "event"])
    assert {i.kind for i in only_needs} == {"need", "event"} and len(only_needs) == 4
    only_v2 = selectors.rural_channel(community=community, village=v2.pk)
    assert {i.village_id for i in only_v2} == {v2.pk} and len(only_v2) == 6
    assert selectors.rural_channel(community=community, followed_by=resident) == []
    services.village_follow(user=resident, village=v1)
    followed = selectors.rural_channel(community=community, followed_by=resident)
    assert {i.village_id for i in followed} == {v1.pk} and len(followed) == 6
    assert len(selectors.rural_channel(community=community, limit=5)) == 5


# --------------------------------------------------------------------------- the page


def _home(client, community, query=""):
    return client.get(f"/community/{community.slug}/{query}")


def test_home_shows_the_channel_with_its_filters(community, resident):
    v1, v2 = _stock_village(community, 1), _stock_village(community, 2)
    client = _client(resident)
    html = _home(client, community).content.decode()
    for kind in KINDS:
        assert html.count(f"feed-item feed-{kind}") == 2, kind
    html = _home(client, community, f"?kind=campaign&village={v2.pk}").content.decode()
    assert html.count("feed-item ") == 1 and "feed-campaign" in html
    services.village_follow(user=resident, village=v1)
    html = _home(client, community, "?followed=on").content.decode()
    feed = html.split('class="list channel-feed"')[1].split("</ul>")[0]
    assert feed.count("feed-item ") == 6 and v1.name in feed and v2.name not in feed
    html = _home(client, community, "?kind=nonsense").content.decode()
    assert html.count("feed-item ") == 12  # a bad filter is ignored, not an error


def test_home_channel_in_chinese(community, resident):
    _stock_village(community)
    html = _home(_client(resident, "zh-hans"), community).content.decode()
    assert "乡村频道" in html and "只看我关注的村庄" in html


# Measured (the navigation's unread count is one of them); the same for 2 and 20 villages, with and
# without the follow filter.
HOME_COUNT = 15
if django_settings.SESSION_ENGINE.endswith("cached_db"):  # CACHE_URL set: the session from Redis
    HOME_COUNT -= 1


@pytest.mark.parametrize("followed", [False, True])
def test_home_query_count_is_the_same_for_2_and_20_paired_villages(
        community, resident, django_assert_num_queries, followed):
    client = _client(resident)
    query = "?followed=on" if followed else ""
    _home(client, community, query)  # warm the session and the translation catalogue
    villages = [_stock_village(community, i) for i in range(2)]
    for v in villages:
        services.village_follow(user=resident, village=v)
    # community, session, user, the visitor's roles here (member, manager, resident: one
    # query), paired villages, the feed (rounds, products, offers, campaigns, needs, events;
    # follows are a subquery), followed ids, the nav's roles, notices.
    with django_assert_num_queries(HOME_COUNT):
        html = _home(client, community, query).content.decode()
    assert html.count("feed-item ") == 12
    villages += [_stock_village(community, i) for i in range(2, 20)]
    for v in villages[2:]:
        services.village_follow(user=resident, village=v)
    with django_assert_num_queries(HOME_COUNT):
        html = _home(client, community, query).content.decode()
    assert html.count("feed-item ") == 20 and html.count('class="village"') == 20


# --------------------------------------------------------------------------- the API


def test_api_lists_the_channel_with_filters(community, resident, api_as):
    v1, v2 = _stock_village(community, 1), _stock_village(community, 2, hours=50)
    url = f"/api/v1/communities/{community.pk}/channel/"
    body = api_as(None).get(url).json()
    assert len(body) == 12 and {i["kind"] for i in body} == KINDS
    assert body[0]["kind"] == "round" and body[0]["village_id"] == v1.pk
    assert body[-1]["closes_at"] is None
    two = api_as(None).get(url, {"kind": ["campaign", "event"], "village": v2.pk}).json()
    assert sorted(i["kind"] for i in two) == ["campaign", "event"]
    assert {i["village_id"] for i in two} == {v2.pk}
    assert len(api_as(None).get(url, {"limit": 3}).json()) == 3
    assert api_as(None).get(url, {"followed": "true"}).json() == []
    services.village_follow(user=resident, village=v2)
    mine = api_as(resident).get(url, {"followed": "true"}).json()
    assert {i["village_id"] for i in mine} == {v2.pk} and len(mine) == 6


def test_api_refuses_bad_filters_and_unknown_communities(community, api_as):
    url = f"/api/v1/communities/{community.pk}/channel/"
    bad = api_as(None).get(url, {"kind": "nonsense", "limit": 0})
    assert bad.status_code == 400 and {"kind", "limit"} <= set(bad.json())
    assert api_as(None).get("/api/v1/communities/999999/channel/").status_code == 404


def test_api_query_count_is_the_same_for_2_and_20_paired_villages(
        community, resident, api_as, django_assert_num_queries):
    client = api_as(resident)
    url = f"/api/v1/communities/{community.pk}/channel/"
    for _ in range(2):
        _stock_village(community)
    # community, then rounds, products, offers, campaigns, needs, events (the follow filter is a
    # subquery).
    with django_assert_num_queries(7):
        assert len(client.get(url, {"followed": "false", "limit": 100}).json()) == 12
    for _ in range(18):
        _stock_village(community)
    with django_assert_num_queries(7):
        assert len(client.get(url, {"limit": 100}).json()) == 100


# --------------------------------------------------------------------------- rural stays on housing


def test_housing_page_shows_paired_villages_stays_in_one_query(
        community, other_community, resident, django_assert_num_queries):
    v1, v2 = VillageFactory(name="Pear Hill"), VillageFactory(name="Tea Valley")
    PairingFactory(community=community, village=v1)
    PairingFactory(community=community, village=v2)
    stay = OfferFactory(village=v1, kind="farm_stay", title="Orchard farm stay", price="120.00")
    pension = OfferFactory(village=v2, kind="leisure_pension", title="Quiet pension",
                           price="90.00")
    OfferFactory(village=v1, kind="day_trip", title="Day trip")           # not a stay
    OfferFactory(village=v1, title="Draft stay", status="pending")        # not published
    inactive = VillageFactory()
    PairingFactory(community=community, village=inactive, active=False)
    OfferFactory(village=inactive, title="Inactive pairing stay")
    elsewhere = VillageFactory()
    PairingFactory(community=other_community, village=elsewhere)
    OfferFactory(village=elsewhere, title="Other community's stay")

    with django_assert_num_queries(1):
        stays = village_selectors.stay_list_for_community(community=community)
        names = [(s.title, s.village.name, s.thumb_url) for s in stays]
    assert names == [("Quiet pension", "Tea Valley", ""), ("Orchard farm stay", "Pear Hill", "")]

    html = _client(resident).get(f"/community/{community.slug}/housing/").content.decode()
    section = html.split('id="rural-stays"')[1].split("</section>")[0]
    assert "Orchard farm stay" in section and "Quiet pension" in section
    assert f"/villages/stays/{stay.pk}/" in section and f"/villages/stays/{pension.pk}/" in section
    for hidden in ("Day trip", "Draft stay", "Inactive pairing stay", "Other community"):
        assert hidden not in html
    anonymous = _client(None).get(f"/community/{community.slug}/housing/").content.decode()
    assert "Quiet pension" in anonymous


def test_demo_seed_fills_the_residents_channel_with_every_kind():
    """翠湖花园 (the first community) shows every kind on its page after `seed_demo`."""
    world = seed_core()
    for name in ("villages.demo", "villages.exchange.demo", "community.demo"):
        import_module(name).seed(world)
    community = world.communities[0]
    html = _client(world.users["resident"]).get(f"/community/{community.slug}/").content.decode()
    for kind in KINDS:
        assert f"feed-item feed-{kind}" in html, kind
    housing = _client(world.users["resident"]).get(
        f"/community/{community.slug}/housing/").content.decode()
    assert "feed-item stay" in housing
