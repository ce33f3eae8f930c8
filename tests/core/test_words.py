"""Errors and words a person understands (issue 13.3): money, dates, error pages, CSV headers,
the demo's 404."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template import Context, Template
from django.test import Client
from django.urls import path, reverse
from django.utils import formats, timezone, translation

from community.models import Bill
from synergy.core.errors import NotAllowed
from synergy.core.templatetags.synergy_format import format_money
from synergy.urls import urlpatterns as site_urlpatterns

ROOT = Path(__file__).resolve().parents[2]


# --------------------------------------------------------------------------- money and dates


@pytest.mark.parametrize("value,zh,en", [
    (Decimal("1234.5"), "¥1,234.50", "¥1,234.50"),
    (Decimal("0"), "¥0.00", "¥0.00"),
    (Decimal("9999.99"), "¥9,999.99", "¥9,999.99"),
    (Decimal("10000"), "¥1万", "¥10,000"),
    (Decimal("12300"), "¥1.23万", "¥12,300"),
    (Decimal("123000.40"), "¥12.3万", "¥123,000"),
    (Decimal("-50.5"), "-¥50.50", "-¥50.50"),
    (88.8, "¥88.80", "¥88.80"),
    (None, "—", "—"),
])
def test_money_in_both_languages(value, zh, en):
    assert format_money(value, language="zh-hans") == zh
    assert format_money(value, language="en") == en


def test_money_filters_in_a_template_follow_the_active_language():
    template = Template('{% load i18n %}{{ a|money }} {{ a|money:"exact" }} ¥{{ a|money_figure }} '
                        '{% translate "Status" %}{% colon %}x')
    context = Context({"a": Decimal("45678.9")})
    with translation.override("zh-hans"):
        assert template.render(context) == "¥4.57万 ¥45,678.90 ¥4.57万 状态：x"
    with translation.override("en"):
        assert template.render(context) == "¥45,679 ¥45,678.90 ¥45,679 Status: x"


def test_one_date_format_per_language():
    day, moment = dt.date(2026, 12, 2), dt.datetime(2026, 12, 2, 14, 5)
    with translation.override("zh-hans"):
        assert formats.date_format(day) == "2026年12月2日"
        assert formats.date_format(moment, "DATETIME_FORMAT") == "2026年12月2日 14:05"
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "2026年12月2日 14:05"
    with translation.override("en"):
        assert formats.date_format(day) == "2 Dec 2026"
        assert formats.date_format(moment, "DATETIME_FORMAT") == "2 Dec 2026, 14:05"
        assert Template("{{ d|date }} {{ d }}").render(Context({"d": day})) == "2 Dec 2026 2 Dec 2026"


# --------------------------------------------------------------------------- error pages


def _nav_is_there(html: str) -> None:
    assert 'class="nav"' in html and 'href="/"' in html


@pytest.mark.django_db
def test_404_in_chinese_with_the_navigation():
    response = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在（404）" in html and "返回首页" in html
    _nav_is_there(html)


@pytest.mark.django_db
def test_a_selector_refusal_is_the_403_page_with_its_sentence(resident, community):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(resident)
    response = client.get(reverse("community:bills_export", args=[community.slug]))
    html = response.content.decode()
    assert response.status_code == 403
    assert "无权访问（403）" in html
    assert "只有本社区的物业经理可以查看。" in html  # NotTheManager's sentence, translated
    assert "403 Forbidden" not in html
    _nav_is_there(html)


def _refused(request):
    from django.utils.translation import gettext as _  # noqa: PLC0415  (the test view's own)
    raise NotAllowed(_("Only this community's property manager can see this."))


def _denied(request):
    raise PermissionDenied


def _broken(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("refused/", _refused),
    path("denied/", _denied),
    path("broken/", _broken),
    path("ok/", lambda request: HttpResponse("ok")),
    *site_urlpatterns,
]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_plain_not_allowed_on_a_page_is_the_403_page_not_a_500():
    html_zh = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get("/refused/")
    assert html_zh.status_code == 403
    assert "只有本社区的物业经理可以查看。" in html_zh.content.decode()
    html_en = Client(HTTP_ACCEPT_LANGUAGE="en").get("/refused/")
    assert html_en.status_code == 403
    assert "Not allowed (403)" in html_en.content.decode()
    assert "Only this community&#x27;s property manager can see this." in html_en.content.decode()
    bare = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get("/denied/")
    assert bare.status_code == 403 and "无权访问（403）" in bare.content.decode()


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_the_500_page_stands_alone_in_the_readers_language():
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans", raise_request_exception=False)
    response = client.get("/broken/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "服务器错误（500）" in html and 'href="/"' in html and "返回首页" in html
    assert "boom" not in html


# --------------------------------------------------------------------------- CSV in the reader's language


@pytest.mark.django_db
@pytest.mark.parametrize("lang,header,status", [
    ("zh-hans", ["房号", "账期", "金额", "已缴", "欠费", "缴费截止日", "状态"], "待缴"),
    ("en", ["Flat or unit", "Period", "Amount", "Paid", "Owed", "Due date", "Status"], "Due"),
])
def test_the_bills_csv_speaks_the_readers_language(manager, community, lang, header, status):
    Bill.objects.create(community=community, unit="=1+1", period="2099-01", amount=Decimal("120.00"),
                        due_date=dt.date(2099, 1, 31))
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    client.force_login(manager)
    response = client.get(reverse("community:bills_export", args=[community.slug]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == header
    assert rows[1] == ["'=1+1", "2099-01", "120.00", "0.00", "120.00", "2099-01-31", status]


# --------------------------------------------------------------------------- the demo


def test_the_demo_settings_show_the_site_404_not_the_debug_page(tmp_path):
    """What `make run` runs (deploy/demo.env, DEBUG off): a missing page is the site's 404 and
    the collected static files are served by WhiteNoise."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    for line in (ROOT / "deploy" / "demo.env").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key] = value
    env.update(DJANGO_SETTINGS_MODULE="synergy.settings", DJANGO_SECRET_KEY="x" * 60,
               DJANGO_STATIC_ROOT=str(tmp_path / "static"),
               DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT,
                   env=env, check=True, timeout=120)
    probe = (
        "import django, re; django.setup()\n"
        "from django.conf import settings; from django.test import Client\n"
        "assert not settings.DEBUG\n"
        "c = Client(HTTP_ACCEPT_LANGUAGE='zh-hans', HTTP_HOST='127.0.0.1')\n"
        "r = c.get('/no-such-page/')\n"
        "html = r.content.decode()\n"
        "print(r.status_code, '页面不存在（404）' in html, 'URLconf' in html)\n"
        "css = re.search(r'href=\"(/static/css/[^\"]+)\"', html).group(1)\n"
        "print(c.get(css).status_code)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, check=True,
                         timeout=120, capture_output=True, text=True).stdout.split()
    assert out == ["404", "True", "False", "200"]


# --------------------------------------------------------------------------- the pages, in Chinese


@pytest.fixture
def seeded(db):
    from django.core.management import call_command  # noqa: PLC0415  (only this fixture seeds)

    from synergy.core.models import User  # noqa: PLC0415
    call_command("seed_demo", verbosity=0)
    return {u.username: u for u in User.objects.all()}


def _zh(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def test_event_sign_up_says_baoming_and_prices_dates_read_as_chinese(seeded):
    from villages.exchange.models import Campaign, Event  # noqa: PLC0415

    event = Event.objects.order_by("pk").first()
    html = _zh(seeded["manager"]).get(f"/exchange/events/{event.pk}/").content.decode()
    assert ">报名</button>" in html and "注册" not in html
    local = timezone.localtime(event.starts_at)
    assert f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}" in html

    campaign = Campaign.objects.order_by("pk").first()
    html = _zh(seeded["manager"]).get(f"/exchange/campaigns/{campaign.pk}/").content.decode()
    assert format_money(campaign.goal, language="zh-hans") in html
    assert f"{campaign.deadline.year}年{campaign.deadline.month}月{campaign.deadline.day}日" in html


def test_a_disabled_button_says_why_in_text(seeded):
    from villages.models import GroupBuyRound  # noqa: PLC0415

    round_ = GroupBuyRound.objects.filter(status="open").order_by("pk").first()
    GroupBuyRound.objects.filter(pk=round_.pk).update(
        cutoff_at=timezone.now() + dt.timedelta(days=2))
    html = _zh(seeded["coordinator"]).get(f"/villages/manage/rounds/{round_.pk}/").content.decode()
    assert 'id="deliver-round"' in html and "disabled" in html
    assert 'id="deliver-round-why">截单后可用' in html


def test_every_form_with_an_error_says_so_at_the_top(client):
    """The shared form partial opens with one sentence when anything is wrong, on every page that
    uses it (register here), so a person on a phone knows to look down the form."""
    client.cookies["django_language"] = "zh-hans"
    response = client.post("/accounts/register/", {"username": "", "password1": "a",
                                                   "password2": "b"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("form-alert") == 1
    assert "有内容需要修改" in html
