"""A product's demand and harvest plan: past rounds by community, a bar chart drawn here as SVG
(no script), the forecast for the next round with its method named, and a CSV export."""

from __future__ import annotations

import csv
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from synergy.core.exports import safe_row
from villages import selectors
from villages.selectors import ProductDemand
from villages.views._common import back_office

# The chart's drawing box (SVG user units; the SVG scales to the page's width).
CHART_WIDTH, CHART_HEIGHT, CHART_TOP, CHART_BOTTOM = 320, 160, 16, 28


def demand_chart(demand: ProductDemand) -> dict:
    """Bars for the past rounds' totals and one for the forecast, scaled to the tallest:
    {"width", "height", "base", "bars": [{x, y, w, h, value, label, forecast}]}."""
    values = [Decimal(r.total) for r in demand.rounds] + [demand.forecast.units]
    labels = [date_format(timezone.localtime(r.cutoff_at), "Y-m") for r in demand.rounds]
    labels.append(_("Next"))
    top = max(values) or Decimal(1)
    slot = Decimal(CHART_WIDTH) / len(values)
    room = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    bars = []
    for i, (value, label) in enumerate(zip(values, labels, strict=True)):
        h = (Decimal(room) * value / top).quantize(Decimal("0.1"))
        bars.append({"x": (slot * i + slot / 8).quantize(Decimal("0.1")),
                     "w": (slot * 3 / 4).quantize(Decimal("0.1")), "h": h,
                     "y": Decimal(CHART_HEIGHT - CHART_BOTTOM) - h,
                     "cx": (slot * i + slot / 2).quantize(Decimal("0.1")),
                     "value": int(value) if value == value.to_integral() else value,
                     "label": label, "forecast": i == len(values) - 1})
    return {"width": CHART_WIDTH, "height": CHART_HEIGHT, "base": CHART_HEIGHT - CHART_BOTTOM,
            "label_y": CHART_HEIGHT - CHART_BOTTOM + 14, "bars": bars}


@back_office
def product_demand(request: HttpRequest, pk: int) -> HttpResponse:
    product = selectors.product_get_for_coordinator(user=request.user, pk=pk)
    demand = selectors.product_demand_for_coordinator(viewer=request.user, product=product)
    rows = demand.community_rows()
    for row in rows:
        row["method"] = selectors.forecast_method_label(row["forecast"])
    return render(request, "villages/product_demand.html", {
        "product": product, "village": product.village, "demand": demand,
        "community_rows": rows, "chart": demand_chart(demand),
        "method": selectors.forecast_method_label(demand.forecast),
    })


@back_office
def product_demand_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """One row per past round (its title, cut-off, units per community, total), then the
    forecast row; headers in the reader's language, every cell through safe_row."""
    product = selectors.product_get_for_coordinator(user=request.user, pk=pk)
    demand = selectors.product_demand_for_coordinator(viewer=request.user, product=product)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="demand-product-{product.pk}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 with a BOM as UTF-8
    writer = csv.writer(response)
    ids = [c["community_id"] for c in demand.communities]
    writer.writerow(safe_row([_("Round"), _("Order cut-off"), *[c["name"] for c in
                                                                 demand.communities], _("Total")]))
    for r in demand.rounds:
        writer.writerow(safe_row([
            r.title, date_format(timezone.localtime(r.cutoff_at), "Y-m-d"),
            *[r.units.get(i, "") for i in ids], r.total]))
    writer.writerow(safe_row([
        _("Forecast for the next round"), demand.target.isoformat(),
        *[demand.community_forecasts[i].units for i in ids], demand.forecast.units]))
    writer.writerow(safe_row([_("Method"), selectors.forecast_method_label(demand.forecast)]))
    return response
