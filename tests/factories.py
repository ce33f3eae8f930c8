"""factory_boy factories for the core; apps add theirs in tests/<app>/factories.py."""

from decimal import Decimal

import factory

from synergy.core.models import Community, Membership, Pairing, Role, User, Village


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # password is set after the first save
        if create:
            obj.save()


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    name = factory.Sequence(lambda n: f"Community {n}")
    slug = factory.Sequence(lambda n: f"community-{n}")
    province = "云南省"
    prefecture_city = "昆明市"
    district = "五华区"
    latitude = Decimal("25.04")
    longitude = Decimal("102.71")
    households = 500


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village

    name = factory.Sequence(lambda n: f"Village {n}")
    slug = factory.Sequence(lambda n: f"village-{n}")
    province = "云南省"
    prefecture_city = "昆明市"
    district = "晋宁区"
    latitude = Decimal("24.70")
    longitude = Decimal("102.60")
    population = 1000


class PairingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pairing

    community = factory.SubFactory(CommunityFactory)
    village = factory.SubFactory(VillageFactory)
    distance_km = Decimal("40.0")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.RESIDENT
    unit = "1-101"
