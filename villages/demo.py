"""Demo content of the village node, for `manage.py seed_demo` (after the core world).

Idempotent: products and offers are looked up by village and name; photos, the open round, a
first order and a first booking are made only when missing. Photos are drawn here with Pillow
(nothing is downloaded) and go through the same upload pipeline as real ones.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from villages import services
from villages.demo_history import seed_history
from villages.models import (
    Booking,
    GroupBuyRound,
    ListingStatus,
    Order,
    Product,
    RoundProduct,
    RoundStatus,
    TourismOffer,
    VillageIndustry,
    VillageProfile,
)

PROFILES = {  # village slug -> tagline, features, specialities, industries, colour
    "wanxi-village": ("宝珠梨之乡", "三月梨花满山，有百年老梨树和梨园步道。", "宝珠梨、梨膏、梨花蜜",
                      ["fruit", "beekeeping", "tourism"], (236, 240, 228)),
    "shangsuan-village": ("滇池南岸的菜园子", "连片有机蔬菜基地，可参观采摘。", "有机蔬菜、鲜切花",
                          ["vegetables", "flowers"], (120, 170, 90)),
    "gucheng-village": ("明清古民居与稻香", "保存完好的明清古民居群。", "宜良烤鸭、优质稻米",
                        ["grain", "livestock", "tourism"], (210, 170, 90)),
    "wukeshu-village": ("撒尼刺绣之村", "彝族撒尼人村寨，火把节热闹非凡。", "撒尼刺绣、乳饼",
                        ["handicrafts", "livestock"], (170, 60, 70)),
    "xiaojie-village": ("高原蓝莓与蜂蜜", "蓝莓园和养蜂合作社。", "高原蓝莓、土蜂蜜",
                        ["fruit", "beekeeping"], (70, 80, 160)),
    "kuanshang-village": ("山地生态康养村", "森林覆盖率高，空气清新，适合长住康养。", "土鸡蛋、野生菌干货",
                          ["tourism", "livestock"], (60, 130, 90)),
}

PRODUCTS = [  # village slug, name, category, unit, price, stock, description, colour
    ("wanxi-village", "呈贡宝珠梨", "produce", "5 公斤/箱", "68.00", 120,
     "皮薄汁多，当季现摘，产地直发。", (200, 190, 80)),
    ("wanxi-village", "古法梨膏", "processed", "250 克/瓶", "45.00", 60, "宝珠梨熬制，无添加。",
     (150, 90, 40)),
    ("wanxi-village", "梨花蜜", "processed", "500 克/瓶", "58.00", 40, "梨花季采收的单花蜜。",
     (230, 180, 60)),
    ("shangsuan-village", "有机蔬菜箱", "produce", "6 公斤/箱", "79.00", 80,
     "每周时令蔬菜 8–10 种。", (90, 160, 70)),
    ("gucheng-village", "宜良稻花香米", "produce", "10 公斤/袋", "96.00", 50, "古城坝子新米。",
     (240, 230, 200)),
    ("gucheng-village", "宜良烤鸭（真空装）", "processed", "1 只", "88.00", 30, "松毛烤制，真空包装。",
     (170, 90, 40)),
    ("wukeshu-village", "撒尼刺绣挎包", "handicraft", "1 个", "160.00", 15, "绣娘手工刺绣，每件不同。",
     (180, 40, 60)),
    ("wukeshu-village", "石林乳饼", "processed", "500 克", "42.00", 35, "山羊奶制作。", (245, 240, 225)),
    ("xiaojie-village", "嵩明高原蓝莓", "produce", "125 克 × 4 盒", "59.00", 90, "高原慢熟，果粉完整。",
     (60, 70, 150)),
    ("kuanshang-village", "林下土鸡蛋", "produce", "30 枚/盒", "48.00", 70, "散养土鸡，每日现收。",
     (220, 190, 150)),
]
PENDING_PRODUCT = ("wanxi-village", "梨木小砧板", "handicraft", "1 块", "35.00", 20,
                   "老梨树修剪下的枝干手工制作（待审核示例）。", (150, 110, 70))

OFFERS = [  # village slug, kind, title, price, capacity, min, max, description
    ("wanxi-village", "day_trip", "万溪梨花节一日游", "60.00", 40, 1, 1,
     "赏梨花、走梨园步道、品农家菜。"),
    ("wanxi-village", "farm_stay", "梨园农家小院", "160.00", 8, 1, 7, "梨园边的农家小院，含早餐。"),
    ("kuanshang-village", "leisure_pension", "款庄森林康养小住", "120.00", 12, 7, 90,
     "面向长者的康养长住：三餐、散步、健康讲座，按周或按月。"),
    ("kuanshang-village", "experience", "采菌子农事体验", "80.00", 15, 1, 1, "雨季跟村民上山采菌。"),
    ("gucheng-village", "farm_stay", "古民居民宿", "220.00", 10, 1, 14, "住进明清古民居。"),
]


def _picture(colour: tuple[int, int, int], seed: int) -> SimpleUploadedFile:
    """A simple drawn picture (a field, a sun and the produce's colour), as an upload."""
    image = Image.new("RGB", (800, 600), (200, 225, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 380, 800, 600], fill=(110, 160, 90))
    draw.ellipse([620, 40, 740, 160], fill=(250, 210, 80))
    for i in range(5):
        x = 90 + i * 140 + (seed * 17) % 40
        draw.ellipse([x, 300 - (i % 2) * 30, x + 110, 410 - (i % 2) * 30], fill=colour,
                     outline=(60, 60, 60), width=3)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return SimpleUploadedFile(f"demo-{seed}.jpg", out.getvalue(), content_type="image/jpeg")


def _product(admin, villages, row, *, publish: bool) -> Product:
    slug, name, category, unit, price, stock, description, colour = row
    village = villages[slug]
    product = Product.objects.filter(village=village, name=name).first()
    if product is None:
        product = services.product_create(by=admin, village=village, name=name, category=category,
                                          unit=unit, price=Decimal(price), stock=stock,
                                          description=description)
        if publish:
            services.listing_approve(by=admin, listing=product)
    if not product.photos.exists():
        services.photo_add(by=admin, target=product, upload=_picture(colour, product.pk))
    return product


@transaction.atomic
def seed(world) -> None:
    admin = world.users["admin"]
    villages = {v.slug: v for v in world.villages}
    for slug, (tagline, features, specialities, industries, colour) in PROFILES.items():
        village = villages[slug]
        if not VillageProfile.objects.filter(village=village).exists():
            services.profile_update(by=admin, village=village, tagline=tagline, features=features,
                                    specialities=specialities, industries=industries)
        elif not VillageIndustry.objects.filter(village=village).exists():
            services.profile_update(by=admin, village=village, industries=industries)
        if not village.photos.exists():
            services.photo_add(by=admin, target=village, upload=_picture(colour, village.pk + 900))

    products = [_product(admin, villages, row, publish=True) for row in PRODUCTS]
    _product(admin, villages, PENDING_PRODUCT, publish=False)

    for slug, kind, title, price, capacity, lo, hi, description in OFFERS:
        village = villages[slug]
        if not TourismOffer.objects.filter(village=village, title=title).exists():
            offer = services.offer_create(by=admin, village=village, kind=kind, title=title,
                                          price=Decimal(price), capacity=capacity, min_nights=lo,
                                          max_nights=hi, description=description)
            services.listing_approve(by=admin, listing=offer)
    if not TourismOffer.objects.filter(status=ListingStatus.PENDING).exists():
        services.offer_create(by=admin, village=villages["shangsuan-village"], kind="experience",
                              title="菜园采摘半日", price=Decimal("40"), capacity=20,
                              description="待审核示例。")

    # An open group-buy round of the coordinator's village for the demo community.
    home = world.village
    round_ = GroupBuyRound.objects.filter(village=home, status=RoundStatus.OPEN,
                                          cutoff_at__gt=timezone.now()).first()
    if round_ is None:
        paired = [c for c in world.communities if c.pairings.filter(village=home).exists()]
        round_ = services.round_open(
            by=admin, village=home, title="宝珠梨团购（第 1 期）",
            cutoff_at=timezone.now() + dt.timedelta(days=5),
            delivery_date=timezone.localdate() + dt.timedelta(days=7),
            pickups=[(c, f"{c.name}物业服务中心") for c in paired],
            note="截单后统一采摘，冷链送到小区。",
            # Near forming: the demo resident's order below leaves "还差 2 件成团".
            min_units=3,
            products=[(p, (p.price * Decimal("0.85")).quantize(Decimal("0.01")))
                      for p in products if p.village_id == home.pk])

    RoundProduct.objects.get_or_create(round=round_, product=products[0],
                                       defaults={"group_price": products[0].price})
    resident = world.users["resident"]
    if not Order.objects.filter(buyer=resident).exists():
        services.order_place(buyer=resident, pickup_community=world.community, round=round_,
                             items=[{"product": products[0].pk, "quantity": 1}])
    if not Booking.objects.filter(guest=resident).exists():
        stay = TourismOffer.objects.get(village=home, kind="farm_stay")
        start = timezone.localdate() + dt.timedelta(days=14)
        services.booking_create(guest=resident, offer=stay, start_date=start,
                                end_date=start + dt.timedelta(days=2), guests=2)
    seed_history(world)  # past rounds for the demand and harvest plan (villages.demo_history)
