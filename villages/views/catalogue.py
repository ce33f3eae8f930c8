"""The public pages: villages, a village, the product catalogue, a product."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from synergy.core import pagecache
from synergy.core import selectors as core_selectors
from synergy.core.filters import filtered_page
from villages import forms, selectors
from villages.models import ListingStatus
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
    """The product's article is the same for every visitor while it is published: it is built
    once per version of the product, its village and the open rounds (villages.cache), with a
    placeholder where each visitor's CSRF token goes. For an anonymous visitor with no message
    waiting the whole page is the same too, and is kept whole. A draft is built for its
    coordinators each time, never cached."""
    names = ["villages", f"product:{int(pk)}", "rounds"]
    cache_key = pagecache.key("product-page", names, pk) if pagecache.enabled() else None
    whole_key = (f"{cache_key}:{request.get_full_path()}"
                 if cache_key is not None and pagecache.anonymous_visit(request) else None)
    if whole_key is not None and (html := pagecache.lookup(whole_key)) is not None:
        return HttpResponse(pagecache.with_csrf(request, html))
    part = pagecache.lookup(cache_key) if cache_key is not None else None
    ttl = None
    if part is None:
        product = selectors.product_get_for_viewer(viewer=request.user, pk=pk)
        rounds = list(selectors.round_list(village=product.village_id, open_only=True).filter(
            offers__product=product))
        part = {"title": product.name, "published": product.status == ListingStatus.PUBLISHED,
                "html": render_to_string("villages/_product_article.html", {
                    "product": product, "form": forms.AddToCartForm(), "rounds": rounds,
                    "csrf_token": pagecache.CSRF_PLACEHOLDER})}
        ttl = pagecache.seconds_until(r.cutoff_at for r in rounds)  # a round closing leaves it
        if cache_key is not None and part["published"]:
            pagecache.store(cache_key, part, ttl)
    html = render_to_string("villages/product_detail.html", {
        "title": part["title"], "article": mark_safe(part["html"]),  # noqa: S308 - our own render
        "csrf_token": pagecache.CSRF_PLACEHOLDER}, request)
    if whole_key is not None and part.get("published", True):
        pagecache.store(whole_key, html, ttl)
    return HttpResponse(pagecache.with_csrf(request, html))
