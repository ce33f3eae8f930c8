"""A product's demand in past rounds and the forecast for its next round (coordinators)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from synergy.core.api.base import Api, get_or_404
from villages import selectors
from villages.api.serializers_demand import ProductDemandOutput
from villages.forecasting import Forecast
from villages.models import Product


def _forecast(f: Forecast) -> dict:
    return {"units": f.units, "units_to_plan": f.units_to_plan, "method": f.method,
            "method_label": selectors.forecast_method_label(f), "rounds_used": f.rounds_used}


class ProductDemandApi(Api):
    @extend_schema(responses=ProductDemandOutput)
    def get(self, request, pk: int):
        demand = selectors.product_demand_for_coordinator(
            viewer=request.user, product=get_or_404(Product, pk=pk))
        nxt = demand.next_round
        return Response(ProductDemandOutput({
            "product": demand.product.pk, "season": demand.forecast.season,
            "target": demand.target, "forecast": _forecast(demand.forecast),
            "next_round": nxt and {"id": nxt.pk, "title": nxt.title, "cutoff_at": nxt.cutoff_at},
            "communities": [{"id": c["community_id"], "name": c["name"],
                             "forecast": _forecast(demand.community_forecasts[c["community_id"]])}
                            for c in demand.communities],
            "rounds": [{"id": r.round_id, "title": r.title, "cutoff_at": r.cutoff_at,
                        "delivery_date": r.delivery_date, "total": r.total,
                        "communities": [{"community": k, "units": v}
                                        for k, v in sorted(r.units.items())]}
                       for r in demand.rounds],
        }).data)
