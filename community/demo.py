"""Demo content of the community node, for `manage.py seed_demo` (idempotent: natural keys).

Fills the first demo community (翠湖花园小区, where `resident`, `manager` and `merchant` live) so
every community page has content; the other communities get notices, services and a shop.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from community.models import (
    Bill,
    Business,
    BusinessOffer,
    Coupon,
    HousingListing,
    HousingPhoto,
    Notice,
    NoticeRead,
    Payment,
    PeripheralService,
    RepairTicket,
    TicketEvent,
    TicketPhoto,
    TicketStatus,
    VillageFollow,
)
from synergy.core.models import Role, User

NOTICES = [
    ("停水通知：周二上午 9:00–12:00", "因二次供水设备检修，3、4、5 栋周二上午停水，请提前储水。", True),
    ("电梯年检安排", "本月 20 日起各栋电梯依次年检，每部约 2 小时，期间请走楼梯。", False),
    ("乡村频道：万溪冲村宝珠梨团购开始", "与我们结对的万溪冲村宝珠梨本周开团，在社区服务中心自提。", False),
]
SERVICES = [
    ("housekeeping", "春城家政", "日常保洁、深度清洁、擦玻璃", "周阿姨", "0871-65550101", "每天 8:00–20:00"),
    ("delivery", "社区跑腿送菜", "菜场代购、药品代取，1 小时送达", "小杨", "13800871234", "每天 7:00–21:00"),
    ("repairs", "师傅上门维修", "水电、门锁、家电维修", "马师傅", "13900872345", "每天 8:00–19:00"),
    ("elderly_care", "翠湖长者食堂", "老人助餐、上门探访、健康咨询", "社区日间照料中心", "0871-65550202",
     "周一至周六 10:30–18:00"),
]
FLATS = ["3栋2单元501", "3栋1单元302", "4栋1单元101", "5栋3单元1202"]


def _photo(text: str, color: tuple[int, int, int]) -> ContentFile:
    img = Image.new("RGB", (640, 480), color)
    ImageDraw.Draw(img).text((24, 24), text, fill=(255, 255, 255))
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=80)
    return ContentFile(buf.getvalue(), name=f"{abs(hash(text)) % 10**8}.jpg")


def _seed_notices(community, manager, readers):
    now = timezone.now()
    for i, (title, body, pinned) in enumerate(NOTICES):
        notice, created = Notice.objects.get_or_create(
            community=community, title=title,
            defaults={"body": body, "pinned": pinned, "created_by": manager,
                      "created_at": now - dt.timedelta(days=i + 1)},
        )
        if created:
            for reader in readers[: len(readers) - i]:
                NoticeRead.objects.get_or_create(notice=notice, user=reader)


def _event(ticket, frm, to, actor, at, note=""):
    TicketEvent.objects.create(ticket=ticket, from_status=frm, to_status=to, actor=actor, at=at,
                               note=note)


def _seed_tickets(community, resident, manager, village):
    if RepairTicket.objects.filter(community=community).exists():
        return
    S = TicketStatus
    now = timezone.now()
    t0 = now - dt.timedelta(days=6)
    done = RepairTicket.objects.create(
        community=community, reporter=resident, category="plumbing", unit=FLATS[0],
        description="厨房水槽下水管漏水。", status=S.CLOSED, assignee_user=manager,
        rating=5, rating_comment="师傅来得很快，修得干净。", created_at=t0, updated_at=t0,
        assigned_at=t0 + dt.timedelta(hours=1), resolved_at=t0 + dt.timedelta(hours=5),
        closed_at=t0 + dt.timedelta(hours=20),
    )
    _event(done, "", S.OPEN, resident, t0)
    _event(done, S.OPEN, S.ASSIGNED, manager, done.assigned_at, str(manager))
    _event(done, S.ASSIGNED, S.IN_PROGRESS, manager, done.assigned_at + dt.timedelta(hours=1))
    _event(done, S.IN_PROGRESS, S.RESOLVED, manager, done.resolved_at, "更换了下水管")
    _event(done, S.RESOLVED, S.CLOSED, resident, done.closed_at, "Rated 5/5")

    t1 = now - dt.timedelta(days=2)
    team = RepairTicket.objects.create(
        community=community, reporter=resident, category="public_area", location="中心花园",
        description="花园步道的地砖松动，老人容易绊倒。", status=S.ASSIGNED, assignee_village=village,
        created_at=t1, updated_at=t1, assigned_at=t1 + dt.timedelta(hours=3),
    )
    _event(team, "", S.OPEN, resident, t1)
    _event(team, S.OPEN, S.ASSIGNED, manager, team.assigned_at, f"{village.name} 劳务队")

    t2 = now - dt.timedelta(hours=5)
    fresh = RepairTicket.objects.create(
        community=community, reporter=resident, category="lift", location="3栋2单元电梯",
        description="电梯按钮 5 楼不亮。", created_at=t2, updated_at=t2,
    )
    _event(fresh, "", S.OPEN, resident, t2)
    ticket = done
    if not ticket.photos.exists():
        photo = TicketPhoto(ticket=ticket)
        photo.image.save("leak.jpg", _photo("leak", (60, 110, 170)), save=True)


def _seed_bills(community, manager):
    today = timezone.localdate()
    periods = []
    y, m = today.year, today.month
    for _ in range(3):
        periods.append((y, m))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    for flat_i, flat in enumerate(FLATS):
        for p_i, (yy, mm) in enumerate(reversed(periods)):
            period = f"{yy:04d}-{mm:02d}"
            due = dt.date(yy, mm, 1) + dt.timedelta(days=27)
            bill, created = Bill.objects.get_or_create(
                community=community, unit=flat, period=period,
                defaults={"amount": Decimal("186.40") + flat_i * Decimal("23.10"), "due_date": due,
                          "description": "物业服务费"},
            )
            # Flats 0 and 1 pay everything but the current month; flat 2 pays half; flat 3 is behind.
            if created and p_i < 2 and flat_i != 3:
                amount = bill.amount if flat_i != 2 else (bill.amount / 2).quantize(Decimal("0.01"))
                Payment.objects.create(bill=bill, amount=amount, paid_on=due - dt.timedelta(days=3),
                                       method="mobile", recorded_by=manager)
                Bill.objects.filter(pk=bill.pk).update(paid_amount=amount)


def _seed_businesses(community, merchant, suffix=""):
    today = timezone.localdate()
    shop, _created = Business.objects.get_or_create(
        community=community, name=f"张记便利店{suffix}",
        defaults={"owner": merchant, "category": "便利店", "phone": "0871-65551234",
                  "address": "小区南门商铺 3 号", "opening_hours": "每天 7:00–23:00",
                  "description": "日用百货、粮油、鲜奶，满 30 元免费送货上楼。"},
    )
    BusinessOffer.objects.get_or_create(business=shop, title="鲜牛奶第二瓶半价",
                                        defaults={"price": Decimal("6.50"),
                                                  "valid_until": today + dt.timedelta(days=30)})
    BusinessOffer.objects.get_or_create(business=shop, title="万溪冲宝珠梨（乡村频道直供）",
                                        defaults={"price": Decimal("12.80")})
    Coupon.objects.get_or_create(business=shop, code="CUIHU10",
                                 defaults={"title": "新邻居见面礼", "discount": "满 50 减 10",
                                           "valid_until": today + dt.timedelta(days=60)})


def _seed_services(community):
    for kind, name, description, contact, phone, hours in SERVICES:
        PeripheralService.objects.get_or_create(
            community=community, name=name,
            defaults={"kind": kind, "description": description, "contact_name": contact,
                      "phone": phone, "hours": hours},
        )


def _seed_housing(community, resident, manager):
    listings = [
        (resident, "rent", "3栋南向两室一厅，拎包入住", Decimal("2600"), Decimal("78.5"), 2, (90, 140, 100)),
        (manager, "rent", "4栋一室一厅，近地铁", Decimal("1800"), Decimal("45.0"), 1, (150, 120, 80)),
        (manager, "sale", "5栋三室两厅，满五唯一", Decimal("1350000"), Decimal("118.0"), 3, (110, 90, 150)),
    ]
    for who, kind, title, price, area, rooms, color in listings:
        listing, created = HousingListing.objects.get_or_create(
            community=community, title=title,
            defaults={"posted_by": who, "kind": kind, "price": price, "area_m2": area, "rooms": rooms,
                      "contact_phone": "13700870000", "description": "看房请提前电话联系。"},
        )
        if created:
            photo = HousingPhoto(listing=listing)
            photo.image.save("flat.jpg", _photo(title, color), save=True)


@transaction.atomic
def seed(world) -> None:
    community = world.community
    users = world.users
    resident, manager, merchant = users["resident"], users["manager"], users["merchant"]
    readers = list(User.objects.filter(
        memberships__community=community, memberships__role=Role.RESIDENT).distinct())
    _seed_notices(community, manager, readers)
    _seed_tickets(community, resident, manager, world.village)
    _seed_bills(community, manager)
    _seed_businesses(community, merchant)
    _seed_services(community)
    _seed_housing(community, resident, manager)
    VillageFollow.objects.get_or_create(user=resident, village=world.village)
    for other in world.communities[1:]:
        _seed_notices(other, manager, [])
        _seed_services(other)
