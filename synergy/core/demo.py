"""The demo world for `manage.py seed_demo`: Kunming, 3 communities, 6 villages, 7 accounts.

Idempotent: everything is looked up by a natural key (slug, username) and only created when
missing, so a second run changes nothing. Apps extend the world in their own `demo.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from synergy.core import services
from synergy.core.models import Community, Membership, Pairing, Role, User, Village

DEMO_PASSWORD = "synergy-demo"  # for demos only; the README says so

COMMUNITIES = [
    # slug, name, district, lat, lon, households, address
    ("cuihu-garden", "翠湖花园小区", "五华区", "25.0480", "102.7050", 1260, "翠湖南路 18 号"),
    ("panlong-riverside", "盘龙江畔社区", "盘龙区", "25.0700", "102.7200", 2140, "北京路 905 号"),
    ("guandu-newtown", "官渡新城社区", "官渡区", "24.9850", "102.7450", 1830, "春城路 233 号"),
]
VILLAGES = [
    # slug, name, district, lat, lon, population, description
    ("wanxi-village", "万溪冲村", "呈贡区", "24.8700", "102.8200", 3100,
     "宝珠梨之乡，春季梨花节吸引大量游客。"),
    ("shangsuan-village", "上蒜村", "晋宁区", "24.6700", "102.6000", 2300,
     "滇池南岸的蔬菜与花卉村，有连片的有机蔬菜基地。"),
    ("gucheng-village", "古城村", "宜良县", "24.9200", "103.1400", 1850,
     "以宜良烤鸭和稻米闻名，保留有明清古民居。"),
    ("wukeshu-village", "五棵树村", "石林彝族自治县", "24.7700", "103.2700", 1420,
     "彝族撒尼人村寨，刺绣与乳饼是特色。"),
    ("xiaojie-village", "小街村", "嵩明县", "25.3400", "103.0300", 2680,
     "高原蓝莓和养蜂合作社所在地。"),
    ("kuanshang-village", "款庄村", "富民县", "25.2200", "102.5000", 960,
     "山地生态村，适合乡村旅游和康养小住。"),
]
PAIRS = {  # community slug -> village slugs, nearest first
    "cuihu-garden": ["wanxi-village", "kuanshang-village", "shangsuan-village"],
    "panlong-riverside": ["xiaojie-village", "wanxi-village", "gucheng-village"],
    "guandu-newtown": ["wanxi-village", "gucheng-village", "wukeshu-village"],
}
ACCOUNTS = [
    # username, display name, role, scope ("c", index) / ("v", index) / None, unit
    ("admin", "平台管理员", Role.ADMIN, None, ""),
    ("resident", "李明（居民）", Role.RESIDENT, ("c", 0), "3栋2单元501"),
    ("manager", "王芳（物业）", Role.PROPERTY_MANAGER, ("c", 0), ""),
    ("merchant", "张记便利店", Role.MERCHANT, ("c", 0), ""),
    ("coordinator", "赵强（万溪冲村联络员）", Role.COORDINATOR, ("v", 0), ""),
    ("worker", "陈红（务工）", Role.RURAL_WORKER, ("v", 0), ""),
    ("analyst", "刘洋（分析员）", Role.ANALYST, None, ""),
]


@dataclass
class DemoWorld:
    communities: list[Community] = field(default_factory=list)
    villages: list[Village] = field(default_factory=list)
    users: dict[str, User] = field(default_factory=dict)

    @property
    def community(self) -> Community:
        return self.communities[0]

    @property
    def village(self) -> Village:
        return self.villages[0]


def _place(model, slug: str, defaults: dict):
    obj, _ = model.objects.get_or_create(slug=slug, defaults=defaults)
    return obj


def _user(username: str, display_name: str, *, superuser: bool) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, display_name=display_name, email=f"{username}@example.com",
                    is_staff=superuser, is_superuser=superuser)
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


@transaction.atomic
def seed_core() -> DemoWorld:
    world = DemoWorld()
    for slug, name, district, lat, lon, households, address in COMMUNITIES:
        world.communities.append(_place(Community, slug, {
            "name": name, "province": "云南省", "prefecture_city": "昆明市", "district": district,
            "latitude": Decimal(lat), "longitude": Decimal(lon), "households": households,
            "address": address, "description": f"{name}，位于昆明市{district}。",
        }))
    for slug, name, district, lat, lon, population, description in VILLAGES:
        world.villages.append(_place(Village, slug, {
            "name": name, "province": "云南省", "prefecture_city": "昆明市", "district": district,
            "latitude": Decimal(lat), "longitude": Decimal(lon), "population": population,
            "description": description,
        }))
    by_slug = {v.slug: v for v in world.villages}
    for community in world.communities:
        for vslug in PAIRS[community.slug]:
            if not Pairing.objects.filter(community=community, village=by_slug[vslug]).exists():
                services.pairing_create(created_by=None, community=community,
                                        village=by_slug[vslug])
    for username, display_name, role, scope, unit in ACCOUNTS:
        user = _user(username, display_name, superuser=(role == Role.ADMIN))
        world.users[username] = user
        community = world.communities[scope[1]] if scope and scope[0] == "c" else None
        village = world.villages[scope[1]] if scope and scope[0] == "v" else None
        if not Membership.objects.filter(user=user, role=role, community=community,
                                         village=village).exists():
            services.membership_grant(granted_by=None, user=user, role=role,
                                      community=community, village=village, unit=unit)
    return world


def load_world() -> DemoWorld:
    """The seeded world, for app seeders that run after seed_core."""
    return DemoWorld(
        communities=[Community.objects.get(slug=c[0]) for c in COMMUNITIES],
        villages=[Village.objects.get(slug=v[0]) for v in VILLAGES],
        users={u.username: u for u in User.objects.filter(username__in=[a[0] for a in ACCOUNTS])},
    )
