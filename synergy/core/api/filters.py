import django_filters

from synergy.core.models import Community, Pairing, Village


class PlaceFilter(django_filters.FilterSet):
    province = django_filters.CharFilter(lookup_expr="exact")
    prefecture_city = django_filters.CharFilter(lookup_expr="exact")
    district = django_filters.CharFilter(lookup_expr="exact")


class CommunityFilter(PlaceFilter):
    class Meta:
        model = Community
        fields = ["province", "prefecture_city", "district"]


class VillageFilter(PlaceFilter):
    class Meta:
        model = Village
        fields = ["province", "prefecture_city", "district"]


class PairingFilter(django_filters.FilterSet):
    class Meta:
        model = Pairing
        fields = ["community", "village", "active"]
