"""Output shape of a product's demand and forecast (GET /api/v1/products/<id>/demand/)."""

from __future__ import annotations

from rest_framework import serializers


class ForecastOutput(serializers.Serializer):
    units = serializers.DecimalField(max_digits=14, decimal_places=2)
    units_to_plan = serializers.IntegerField()
    method = serializers.ChoiceField(choices=["seasonal_average", "recent_average", "no_history"])
    method_label = serializers.CharField()
    rounds_used = serializers.IntegerField()


class DemandCellOutput(serializers.Serializer):
    community = serializers.IntegerField()
    units = serializers.IntegerField()


class DemandRoundOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    cutoff_at = serializers.DateTimeField()
    delivery_date = serializers.DateField()
    total = serializers.IntegerField()
    communities = DemandCellOutput(many=True)


class DemandCommunityOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    forecast = ForecastOutput()


class NextRoundOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    cutoff_at = serializers.DateTimeField()


class ProductDemandOutput(serializers.Serializer):
    product = serializers.IntegerField()
    season = serializers.CharField()
    target = serializers.DateField()
    next_round = NextRoundOutput(allow_null=True)
    forecast = ForecastOutput()
    communities = DemandCommunityOutput(many=True)
    rounds = DemandRoundOutput(many=True)
