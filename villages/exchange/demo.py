"""Demo content of the exchange, so every page has something on it. Idempotent.

Everything is looked up by a natural key (a title within a village or community) and created only
when missing; donations carry fixed idempotency keys, so a second run changes nothing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from synergy.core.models import Pairing
from villages.exchange import services
from villages.exchange.models import (
    ApplicationStatus,
    Campaign,
    Event,
    InvestmentInterest,
    InvestmentNeed,
    Job,
    JobApplication,
    LabourOffer,
    Registration,
    ReviewStatus,
    Signup,
    SignupStatus,
    Spending,
    VolunteerNeed,
    VolunteerProfile,
    VolunteerSlot,
)


def _next_weekday(weekday: int, hour: int, weeks: int = 0) -> datetime.datetime:
    now = timezone.localtime()
    days = (weekday - now.weekday()) % 7 or 7
    day = now + datetime.timedelta(days=days + 7 * weeks)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


def _approve(u, record) -> None:
    """The demo's campaigns and investment needs are public: an administrator approved them."""
    if record.review_status != ReviewStatus.PENDING:
        return
    if isinstance(record, Campaign):
        services.campaign_review(by=u["admin"], campaign=record, approve=True)
    else:
        services.investment_need_review(by=u["admin"], need=record, approve=True)


def seed(world) -> None:
    # Notifications written by the services would e-mail the demo accounts; keep that in memory.
    with (override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
          transaction.atomic()):
        _seed(world)


def _seed(world) -> None:
    u = world.users
    community, village = world.communities[0], world.villages[0]
    pairing = Pairing.objects.get(community=community, village=village)
    today = timezone.localdate()

    # Giving -------------------------------------------------------------------------------
    campaign = Campaign.objects.filter(village=village, title="万溪冲小学图书角").first()
    if campaign is None:
        campaign = services.campaign_create(
            created_by=u["coordinator"], village=village, title="万溪冲小学图书角",
            purpose="为村小学 180 名孩子建一个图书角：采购图书、书架，并支付运费。",
            goal=Decimal("20000.00"), deadline=today + datetime.timedelta(days=60),
            budget_lines=[{"label": "图书", "planned": Decimal("12000")},
                          {"label": "书架", "planned": Decimal("5000")},
                          {"label": "运费", "planned": Decimal("3000")}])
    _approve(u, campaign)
    for key, username, amount, anonymous, message in [
        ("demo-1", "resident", "200.00", False, "希望孩子们爱上阅读！"),
        ("demo-2", "manager", "500.00", True, ""),
        ("demo-3", "merchant", "1000.00", False, "张记便利店支持家乡教育"),
    ]:
        services.donation_give(donor=u[username], campaign=campaign, amount=Decimal(amount),
                               idempotency_key=key, anonymous=anonymous, message=message)
    if not Spending.objects.filter(campaign=campaign).exists():
        services.spending_record(
            recorded_by=u["coordinator"], campaign=campaign,
            budget_line=campaign.budget_lines.get(label="书架"), amount=Decimal("800.00"),
            description="两组实木书架", spent_on=today)
    second = world.villages[1]
    lights = Campaign.objects.filter(village=second, title="款庄村山路照明").first()
    if lights is None:
        lights = services.campaign_create(
            created_by=u["admin"], village=second, title="款庄村山路照明",
            purpose="在进村山路上安装 40 盏太阳能路灯，方便村民和游客夜间出行。",
            goal=Decimal("36000.00"), deadline=today + datetime.timedelta(days=90),
            budget_lines=[{"label": "太阳能路灯", "planned": Decimal("32000")},
                          {"label": "安装", "planned": Decimal("4000")}])
    _approve(u, lights)

    # Volunteering -------------------------------------------------------------------------
    VolunteerProfile.objects.get_or_create(user=u["resident"], defaults={
        "skills": ["teaching", "english"], "weekdays": [5, 6], "bio": "中学英语老师，周末有空。"})
    needs = {}
    for title, category, skills, description in [
        ("周末英语课", "teaching", ["teaching", "english"], "给村小学四到六年级的孩子上英语课。"),
        ("乡村健康讲座", "health", ["medicine"], "为老人讲解高血压和糖尿病的日常管理。"),
        ("电商直播培训", "technology", ["ecommerce", "photography"],
         "教合作社成员拍摄产品照片、开直播卖宝珠梨。"),
    ]:
        need = VolunteerNeed.objects.filter(village=village, title=title).first()
        if need is None:
            need = services.volunteer_need_create(
                created_by=u["coordinator"], village=village, title=title, category=category,
                description=description, skills=skills)
            services.volunteer_slot_create(created_by=u["coordinator"], need=need,
                                           starts_at=_next_weekday(5, 9),
                                           ends_at=_next_weekday(5, 12), capacity=8)
            services.volunteer_slot_create(created_by=u["coordinator"], need=need,
                                           starts_at=_next_weekday(6, 14, weeks=1),
                                           ends_at=_next_weekday(6, 17, weeks=1), capacity=6)
        needs[title] = need
    english = needs["周末英语课"]
    past = english.slots.filter(ends_at__lt=timezone.now()).first()
    if past is None:
        start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0) \
            - datetime.timedelta(days=7)
        past = VolunteerSlot.objects.create(need=english, starts_at=start,
                                            ends_at=start + datetime.timedelta(hours=3),
                                            capacity=8, taken=1)
        done = Signup.objects.create(slot=past, volunteer=u["resident"], pairing=pairing)
        services.signup_confirm_hours(confirmed_by=u["coordinator"], signup=done,
                                      hours=Decimal("3"))
        Signup.objects.create(slot=past, volunteer=u["manager"], pairing=pairing)
        VolunteerSlot.objects.filter(pk=past.pk).update(taken=2)
    upcoming = english.slots.filter(starts_at__gt=timezone.now()).order_by("starts_at").first()
    if upcoming is not None and not Signup.objects.filter(
            volunteer=u["resident"], slot=upcoming, status=SignupStatus.ACTIVE).exists():
        services.signup_create(volunteer=u["resident"], slot=upcoming)

    # Investment ---------------------------------------------------------------------------
    inv = InvestmentNeed.objects.filter(village=village, title="宝珠梨冷库建设").first()
    if inv is None:
        inv = services.investment_need_create(
            created_by=u["coordinator"], village=village, title="宝珠梨冷库建设",
            sector="农产品加工", amount_sought=Decimal("800000.00"),
            use_of_funds="建设 500 吨冷库，延长宝珠梨销售期，减少采后损耗。", model="coop_share")
    _approve(u, inv)
    interest = InvestmentInterest.objects.filter(need=inv, investor=u["merchant"]).first()
    if interest is None:
        interest = services.interest_express(
            investor=u["merchant"], need=inv, amount_indicative=Decimal("100000.00"),
            organisation="张记便利店", message="希望以合作社股份参与，并优先采购冷藏梨。")
        services.interest_reply(replied_by=u["coordinator"], interest=interest, status="in_talks",
                                reply="欢迎！下周三可以来村里看选址。")

    # Labour and jobs ----------------------------------------------------------------------
    if not LabourOffer.objects.filter(worker=u["worker"], title="保洁与家政").exists():
        services.labour_offer_create(
            worker=u["worker"], village=village, title="保洁与家政", skills=["cleaning", "care"],
            weekdays=[0, 1, 2, 3, 4], expected_daily_pay=Decimal("180.00"),
            description="有五年家政经验，可做保洁和照看老人。")
    cleaning = Job.objects.filter(community=community, title="小区保洁员").first()
    if cleaning is None:
        cleaning = services.job_create(
            posted_by=u["manager"], community=community, title="小区保洁员", kind="cleaning",
            skills=["cleaning"], weekdays=[0, 1, 2, 3, 4], daily_pay=Decimal("220.00"),
            positions=2, description="负责 3 栋楼的楼道和电梯保洁，包午餐。")
    if not Job.objects.filter(community=community, title="便利店夜班理货").exists():
        services.job_create(
            posted_by=u["merchant"], community=community, title="便利店夜班理货", kind="other",
            skills=["driving"], weekdays=[4, 5, 6], daily_pay=Decimal("200.00"),
            description="周末夜班理货和补货。")
    if not JobApplication.objects.filter(job=cleaning, applicant=u["worker"]).exists():
        application = services.job_apply(applicant=u["worker"], job=cleaning,
                                         message="我住万溪冲，坐公交一小时可到。")
        services.application_decide(decided_by=u["manager"], application=application, accept=True)
    assert JobApplication.objects.filter(status=ApplicationStatus.ACCEPTED).exists()

    # Events -------------------------------------------------------------------------------
    for title, kind, host, place, days, capacity in [
        ("万溪冲梨花节", "harvest", "village", "万溪冲村梨园", 20, 200),
        ("彝族刺绣展演", "performance", "community", "翠湖花园小区活动中心", 35, 80),
    ]:
        event = Event.objects.filter(pairing=pairing, title=title).first()
        if event is None:
            start = (timezone.localtime() + datetime.timedelta(days=days)).replace(
                hour=10, minute=0, second=0, microsecond=0)
            event = services.event_create(
                created_by=u["coordinator"], pairing=pairing, host=host, kind=kind, title=title,
                place=place, starts_at=start, ends_at=start + datetime.timedelta(hours=6),
                capacity=capacity, description=f"{title}：城乡居民一起参加的文化交流活动。")
        if not Registration.objects.filter(event=event, person=u["resident"]).exists():
            services.registration_create(person=u["resident"], event=event)
