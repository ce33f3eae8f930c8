"""The map of integration: a choropleth of the cities by year (issue 18, item 4).

A plain GET form (measure, dataset, year on a range slider, a submit button), so it works with
JavaScript off; `analytics/map.js` only submits it on change. The SVG is drawn on the server
(analytics.methods.geo); a table of the same values follows for screen readers, and
``?format=csv`` downloads them.
"""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page

from analytics import selectors
from analytics.methods.geo import choropleth_svg, format_value
from analytics.selectors_map import MEASURES, city_names, map_data

DEFAULT_MEASURE = "Dist"


def _parse(request: HttpRequest) -> tuple[str, object, int | None, list[str]]:
    errors = []
    measure = request.GET.get("measure") or DEFAULT_MEASURE
    if measure not in MEASURES:
        errors.append(_("There is no measure “%(m)s” on the map; choose one from the list.")
                      % {"m": measure[:40]})
        measure = DEFAULT_MEASURE
    raw_ds = request.GET.get("dataset") or None
    dataset = selectors.dataset_for_analysis(pk=raw_ds)
    if raw_ds is not None and dataset is None:
        errors.append(_("There is no such dataset; the map shows the default one."))
        dataset = selectors.dataset_for_analysis(pk=None)
    year = None
    raw_year = (request.GET.get("year") or "").strip()
    if raw_year:
        try:
            year = int(raw_year)
        except ValueError:
            errors.append(_("The year must be a whole number such as 2015."))
    return measure, dataset, year, errors


def _empty_message(measure, dataset, year, years) -> str:
    label = str(measure.label)
    if measure.platform:
        if not years:
            return _("The platform has no recorded data on %(measure)s yet.") % {"measure": label}
        return _("The platform has no data on %(measure)s in %(year)s.") % {
            "measure": label, "year": year}
    if dataset is None:
        return _("There is no dataset yet: import one first.")
    if not years:
        return _("This dataset has no data on %(measure)s.") % {"measure": label}
    return _("This dataset has no data on %(measure)s in %(year)s.") % {
        "measure": label, "year": year}


@gzip_page  # the inline SVG is ~130 KB of path data, ~40 KB compressed
@login_required
def city_map(request: HttpRequest) -> HttpResponse:
    selectors.require_analytics_viewer(viewer=request.user)
    measure_key, dataset, year, errors = _parse(request)
    data = map_data(measure=measure_key, dataset=dataset, year=year)
    english = (translation.get_language() or "").startswith("en")
    names = city_names(english=english)
    label = str(data.measure.label)
    rows = sorted(((names.get(code, code), code, v) for code, v in data.values.items()),
                  key=lambda r: (-r[2], r[1]))
    if request.GET.get("format") == "csv" and not errors:
        return _csv(rows, measure_key, data.year)
    svg = ""
    if data.values:
        svg = choropleth_svg(data.values, measure=label, names=names, no_data=_("no data"),
                             title=_("%(measure)s by city, %(year)s")
                             % {"measure": label, "year": data.year})
    return render(request, "analytics/map.html", {
        "measures": [(k, m.label) for k, m in MEASURES.items()], "measure": data.measure,
        "datasets": list(selectors.dataset_list()), "dataset": dataset,
        "years": data.years, "year": data.year, "svg": svg,
        "rows": [(n, code, format_value(v)) for n, code, v in rows],
        "empty": "" if data.values else _empty_message(data.measure, dataset, data.year,
                                                        data.years),
        "errors": errors, "synthetic": bool(dataset and dataset.synthetic
                                            and not data.measure.platform),
        "query": request.GET.urlencode(),
    }, status=400 if errors else 200)


def _csv(rows, measure: str, year: int | None) -> HttpResponse:
    """The shown values with the city's adcode and both its names, every digit kept."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="map-{measure}-{year}.csv"'
    response.write("\ufeff")  # so that Excel reads the Chinese names as UTF-8
    writer = csv.writer(response)
    writer.writerow(["adcode", "city", "city_en", "year", measure])
    zh, en = city_names(), city_names(english=True)
    for _name, code, value in rows:
        writer.writerow([code, zh.get(code, ""), en.get(code, ""), year, repr(float(value))])
    return response
