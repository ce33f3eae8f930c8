"""The public ledger of a community–village pairing."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from synergy.core.api.base import Api
from villages.exchange import selectors
from villages.exchange.api import serializers as s


class LedgerApi(Api):
    """Public: what flowed each way through one community–village pairing."""

    @extend_schema(responses=s.LedgerOutput)
    def get(self, request, pk: int):
        pairing = selectors.pairing_get(pk=pk)
        ledger = selectors.pairing_ledger(pairing=pairing)
        return Response({
            "pairing": {"id": pairing.pk, "community": pairing.community.name,
                        "village": pairing.village.name, "distance_km": str(pairing.distance_km)},
            "to_village": s.LedgerRowOutput(ledger.to_village, many=True).data,
            "to_city": s.LedgerRowOutput(ledger.to_city, many=True).data,
        })
