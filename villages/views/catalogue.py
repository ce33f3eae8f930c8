"""The public pages: villages, a village, the product catalogue, a product."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from synergy.core import selectors as core_selectors
from synergy.core.filters import filtered_page
from villages import forms, selectors
from villages.views._common import PAGE_SIZE


def village_list(request: HttpRequest) -> HttpResponse:
    form = forms.VillageFilterForm(request.GET or None, regions=selectors.village_regions())
    villages = filtered_page(request, lambda f: selectors.village_list(filters=f), form)
    return render(request, "villages/village_list.html", {"form": form, "villages": villages})


def village_detail(request: HttpRequest, slug: str) -> HttpResponse:
    village = selectors.village_get(slug=slug)
    return render(request, "villages/village_detail.html", {
        "village": village,
        "profile": getattr(village, "profile", None),  # None when the village has no profile yet
        "coordinators": core_selectors.village_coordinators(village=village),
        "products": selectors.product_list(village=village)[:12],
        "offers": selectors.offer_list(village=village),
        "rounds": selectors.round_list(village=village, open_only=True),
        "can_manage": core_selectors.user_coordinates_village(user=request.user, village=village),
    })


def product_list(request: HttpRequest) -> HttpResponse:
    form = forms.ProductFilterForm(request.GET or None, villages=core_selectors.village_list())
    qs = filtered_page(request, lambda f: selectors.product_list(viewer=request.user, filters=f), form)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    offers = selectors.open_offers_by_product(product_ids=[p.pk for p in page])
    for product in page:  # the card's "group buy" badge: its offer in an open round, if any
        product.group_offer = offers.get(product.pk)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "villages/product_list.html", {
        "form": form, "page": page, "query": query.urlencode()})


def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    product = selectors.product_get_for_viewer(viewer=request.user, pk=pk)
    return render(request, "villages/product_detail.html", {
        "product": product, "form": forms.AddToCartForm(),
        "rounds": selectors.round_list(village=product.village_id, open_only=True).filter(
            offers__product=product),
    })
