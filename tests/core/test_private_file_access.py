"""Issue 11.2: every kind of private file is stored outside MEDIA_ROOT under a random name and is
served only to those who may see its record, by the pages and by the API.

For each kind: anonymous (login redirect or 401), another community's resident or an unrelated
person (403/404), the right person (200 with the very bytes), and the pages and API link to the
permission-checked URL, never to /media/.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from analytics import services as analytics_services
from analytics.models import AnalysisRun
from community import services as community_services
from synergy.core.models import Role
from tests.community.conftest import make_jpeg
from tests.factories import MembershipFactory
from tests.villages.exchange.factories import BudgetLineFactory, CampaignFactory
from villages.exchange import services as exchange_services

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 minutes of the owners' meeting"
HEX_NAME = re.compile(r"[0-9a-f]{32}\.[a-z]+")


@pytest.fixture
def other_resident(other_community):
    return MembershipFactory(role=Role.RESIDENT, community=other_community, unit="9-909").user


@pytest.fixture
def neighbour(community):
    return MembershipFactory(role=Role.RESIDENT, community=community, unit="5-502").user


def _client(user) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def _api(api_as, user):
    return api_as(user)


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _assert_private(field_file, *, prefix: str) -> Path:
    """Stored in the private folder under a random name, and nowhere under MEDIA_ROOT."""
    path = Path(field_file.path)
    assert path.is_file()
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
    assert not path.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert not list(Path(settings.MEDIA_ROOT).rglob(path.name)) if Path(
        settings.MEDIA_ROOT).exists() else True
    folder, _sep, name = field_file.name.rpartition("/")
    assert folder == prefix
    assert HEX_NAME.fullmatch(name), name   # 128 random bits, not the uploader's file name
    with pytest.raises(ValueError):
        field_file.url                        # no public URL to leak into a template
    return path


def _assert_served(response, data: bytes, *, attachment: bool):
    assert response.status_code == 200
    assert _body(response) == data
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("private")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment" if attachment else "inline"), disposition


def _refused(response, *, anonymous: bool = False):
    if anonymous:
        # Pages send to the login page; the API answers 401.
        assert response.status_code in (302, 401), response.status_code
        if response.status_code == 302:
            assert settings.LOGIN_URL in response["Location"]
    else:
        assert response.status_code in (403, 404), response.status_code
    assert PDF not in _body(response)


# --------------------------------------------------------------------------- notice attachments


@pytest.fixture
def notice(manager, community):
    return community_services.notice_publish(
        author=manager, community=community, title="停水通知", body="Tuesday 9-12",
        attachment=SimpleUploadedFile("owners-meeting.pdf", PDF, content_type="application/pdf"))


def test_notice_attachment_is_private_and_unguessable(notice):
    path = _assert_private(notice.attachment, prefix="community/notices")
    assert path.read_bytes() == PDF
    assert "owners-meeting" not in notice.attachment.name


@pytest.mark.parametrize("channel", ["page", "api"])
def test_notice_attachment_served_only_to_the_community(channel, notice, community, resident,
                                                         other_resident, outsider, api_as):
    if channel == "page":
        url = f"/community/{community.slug}/notices/{notice.pk}/attachment"
        get = lambda user: _client(user).get(url)  # noqa: E731
    else:
        url = f"/api/v1/communities/{community.pk}/notices/{notice.pk}/attachment/"
        get = lambda user: api_as(user).get(url)  # noqa: E731
    _refused(get(None), anonymous=True)
    _refused(get(other_resident))
    _refused(get(outsider))
    response = get(resident)
    _assert_served(response, PDF, attachment=True)    # not an image: downloaded, not rendered
    assert "filename*=UTF-8''%E5%81%9C%E6%B0%B4%E9%80%9A%E7%9F%A5.pdf" in response[
        "Content-Disposition"]


def test_notice_page_and_api_link_to_the_checked_url(notice, community, resident, api_as):
    checked = f"/community/{community.slug}/notices/{notice.pk}/attachment"
    page = _client(resident).get(f"/community/{community.slug}/notices/{notice.pk}/").content.decode()
    assert f'href="{checked}"' in page and "/media/" not in page
    data = api_as(resident).get(f"/api/v1/communities/{community.pk}/notices/{notice.pk}/").json()
    assert data["attachment"].endswith(
        f"/api/v1/communities/{community.pk}/notices/{notice.pk}/attachment/")
    listed = api_as(resident).get(f"/api/v1/communities/{community.pk}/notices/").json()
    assert listed["results"][0]["attachment"] == data["attachment"]


# --------------------------------------------------------------------------- ticket photos


@pytest.fixture
def ticket(resident, community):
    return community_services.repair_ticket_create(
        reporter=resident, community=community, category="plumbing", unit="2-301",
        description="The kitchen ceiling leaks.", photos=[make_jpeg("my-flat.jpg")])


@pytest.mark.parametrize("channel", ["page", "api"])
def test_ticket_photo_served_only_to_those_who_see_the_ticket(
        channel, ticket, resident, manager, neighbour, other_resident, outsider, api_as):
    photo = ticket.photos.get()
    data = _assert_private(photo.image, prefix="community/tickets").read_bytes()
    assert b"SpyPhone" not in data            # re-encoded: no EXIF, no GPS
    if channel == "page":
        url = f"/community/tickets/{ticket.pk}/photos/{photo.pk}"
        get = lambda user: _client(user).get(url)  # noqa: E731
    else:
        url = f"/api/v1/tickets/{ticket.pk}/photos/{photo.pk}/"
        get = lambda user: api_as(user).get(url)  # noqa: E731
    _refused(get(None), anonymous=True)
    _refused(get(other_resident))
    _refused(get(outsider))
    _refused(get(neighbour))                  # a neighbour does not see my flat's photos
    _assert_served(get(resident), data, attachment=False)
    _assert_served(get(manager), data, attachment=False)


def test_ticket_photo_of_another_ticket_is_not_reachable_through_mine(ticket, resident, community,
                                                                      neighbour):
    theirs = community_services.repair_ticket_create(
        reporter=neighbour, community=community, category="plumbing", unit="5-502",
        description="Door", photos=[make_jpeg()])
    other_photo = theirs.photos.get()
    response = _client(resident).get(f"/community/tickets/{ticket.pk}/photos/{other_photo.pk}")
    assert response.status_code == 404


def test_ticket_page_and_api_link_to_the_checked_url(ticket, resident, api_as):
    photo = ticket.photos.get()
    page = _client(resident).get(f"/community/tickets/{ticket.pk}/").content.decode()
    assert f'src="/community/tickets/{ticket.pk}/photos/{photo.pk}"' in page
    assert "/media/" not in page
    data = api_as(resident).get(f"/api/v1/tickets/{ticket.pk}/").json()
    assert [u.split("testserver")[-1] for u in data["photos"]] == [
        f"/api/v1/tickets/{ticket.pk}/photos/{photo.pk}/"]


# --------------------------------------------------------------------------- investment needs


@pytest.fixture
def investment(coordinator, village, admin_user):
    need = exchange_services.investment_need_create(
        created_by=coordinator, village=village, title="Cold store", sector="agriculture",
        amount_sought=Decimal("200000"), use_of_funds="Build it", model="loan",
        attachment=SimpleUploadedFile("accounts-2025.pdf", PDF))
    # Public (and open to interest) once an administrator approves it.
    return exchange_services.investment_need_review(by=admin_user, need=need, approve=True)


@pytest.fixture
def investor(community):
    return MembershipFactory(role=Role.RESIDENT, community=community, unit="8-808").user


@pytest.mark.parametrize("channel", ["page", "api"])
def test_investment_attachment_served_to_coordinator_and_interested_investors(
        channel, investment, coordinator, investor, other_resident, other_coordinator, api_as):
    _assert_private(investment.attachment, prefix="exchange/investment")
    if channel == "page":
        url = f"/exchange/investment/{investment.pk}/attachment"
        get = lambda user: _client(user).get(url)  # noqa: E731
    else:
        url = f"/api/v1/investment-needs/{investment.pk}/attachment/"
        get = lambda user: api_as(user).get(url)  # noqa: E731
    _refused(get(None), anonymous=True)
    _refused(get(other_resident))             # a resident who has not expressed interest
    _refused(get(other_coordinator))          # another village's coordinator
    _refused(get(investor))                   # not yet interested
    exchange_services.interest_express(investor=investor, need=investment,
                                       amount_indicative=Decimal("50000"), message="Tell me more")
    _assert_served(get(investor), PDF, attachment=True)
    _assert_served(get(coordinator), PDF, attachment=True)


def test_investment_page_links_only_for_those_who_may_open_it(investment, coordinator,
                                                              other_resident, api_as):
    checked = f"/exchange/investment/{investment.pk}/attachment"
    public = _client(None).get(f"/exchange/investment/{investment.pk}/").content.decode()
    assert checked not in public and "/media/" not in public
    mine = _client(coordinator).get(f"/exchange/investment/{investment.pk}/").content.decode()
    assert f'href="{checked}"' in mine
    listed = api_as(other_resident).get("/api/v1/investment-needs/").json()["results"][0]
    assert listed["attachment"].endswith(f"/api/v1/investment-needs/{investment.pk}/attachment/")


# --------------------------------------------------------------------------- analysis outputs


@pytest.fixture
def run(analyst):
    run = AnalysisRun.objects.create(kind="fit", status="succeeded", created_by=analyst,
                                     files=["coefficients.csv", "coefficients.svg"])
    out = analytics_services.run_directory(run)
    out.mkdir(parents=True)
    (out / "coefficients.csv").write_bytes(b"term,coef\nDig,0.12\n")
    (out / "coefficients.svg").write_bytes(b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    return run


def test_run_outputs_live_outside_media_root(run):
    out = analytics_services.run_directory(run)
    assert out.resolve().is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
    assert not out.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())


def test_run_files_served_only_to_analysts(run, analyst, resident, outsider):
    url = f"/analytics/runs/{run.pk}/files/coefficients.csv"
    _refused(_client(None).get(url), anonymous=True)
    _refused(_client(resident).get(url))
    _refused(_client(outsider).get(url))
    _assert_served(_client(analyst).get(url), b"term,coef\nDig,0.12\n", attachment=True)
    chart = _client(analyst).get(f"/analytics/runs/{run.pk}/files/coefficients.svg")
    _assert_served(chart, b"<svg xmlns='http://www.w3.org/2000/svg'/>", attachment=False)
    assert "sandbox" in chart["Content-Security-Policy"]     # an SVG runs no script
    assert _client(analyst).get(f"/analytics/runs/{run.pk}/files/..%2F..%2Fsecret").status_code \
        == 404


# --------------------------------------------------------------------------- public kinds stay public


def test_spending_photos_stay_public_ledger_content_without_exif(coordinator, resident, campaign):
    """Spending receipts are shown to everyone on the campaign page (the public ledger): they
    stay under MEDIA_ROOT, but under a random name and re-encoded without EXIF/GPS."""
    exchange_services.donation_give(donor=resident, campaign=campaign, amount=Decimal("100"),
                                    idempotency_key="k1")
    entry = exchange_services.spending_record(
        recorded_by=coordinator, campaign=campaign, budget_line=campaign.budget_lines.get(),
        amount=Decimal("40"), description="Shelf", spent_on=timezone.localdate(),
        photo=make_jpeg("receipt.jpg"))
    path = Path(entry.photo.path)
    assert path.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert HEX_NAME.fullmatch(entry.photo.name.rpartition("/")[2])
    assert b"SpyPhone" not in path.read_bytes()
    assert entry.photo.url.startswith(settings.MEDIA_URL)


@pytest.fixture
def campaign(village, pairing):
    campaign = CampaignFactory(village=village)
    BudgetLineFactory(campaign=campaign)
    return campaign
