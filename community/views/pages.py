"""The community's home page, its rural channel, following villages and notices."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community import forms, selectors, services
from synergy.core import pagecache
from synergy.core import selectors as core
from synergy.core.api.base import get_or_404
from synergy.core.errors import DomainError
from synergy.core.filters import filtered_page
from synergy.core.models import Role, Village
from synergy.core.private_files import download_name, private_file_response
from synergy.core.web import form_page, safe_next, show_domain_error


def index(request: HttpRequest) -> HttpResponse:
    """My community (if I have exactly one), else the list of communities."""
    mine = list(core.communities_of_user(user=request.user, role=Role.RESIDENT)) or list(
        core.communities_of_user(user=request.user, role=Role.PROPERTY_MANAGER)) or list(
        core.communities_of_user(user=request.user, role=Role.MERCHANT))
    if len(mine) == 1:
        return redirect("community:home", slug=mine[0].slug)
    return render(request, "community/index.html", {"communities": mine or core.community_list()})


# What the community's home page reads besides its visitor (pagecache.viewer_names): the channel
# feed and paired villages, the community's record, its notices (community/cache.py).
HOME_NAMES = ["channel", "villages", "communities", "notices"]


def home(request: HttpRequest, slug: str) -> HttpResponse:
    """The community's home: its notices, property services and the rural channel. The whole
    page is kept per visitor (pagecache.visitor_page) until something it shows changes."""
    return pagecache.visitor_page(request, "community-home", HOME_NAMES, [slug],
                                  lambda: _home_html(request, slug))


def _home_html(request: HttpRequest, slug: str) -> tuple[str, int | None]:
    community = selectors.community_get(slug=slug)
    standing = selectors.standing_in(user=request.user, community=community)
    notices = (list(selectors.notice_list(community=community, viewer=request.user)[:5])
               if standing.member else [])
    channel_villages = list(core.paired_villages(community=community))
    channel_html, channel_closes = _channel_html(request, community)
    html = render_to_string("community/home.html", {
        "community": community, "member": standing.member, "manages": standing.manages,
        "notices": notices,
        "channel_villages": channel_villages,
        "channel_filters": forms.ChannelFilterForm(request.GET or None, villages=channel_villages),
        "channel_html": channel_html,
        "followed": selectors.followed_village_ids(user=request.user),
        "can_follow": standing.resident,
        "csrf_token": pagecache.CSRF_PLACEHOLDER,
    }, request)
    # Until the first notice shown expires or the first channel item closes.
    return html, pagecache.seconds_until([n.expires_at for n in notices] + [channel_closes])


def _channel_html(request: HttpRequest, community) -> tuple[str, object]:
    """The rural channel's list and when its first item closes (or None). Unfiltered, it is the
    same for every visitor of the community: cached per version of the channel (villages.cache)
    until that moment. Filtered (a kind, a village, the villages I follow) it is built for this
    request."""
    def build():
        items = filtered_page(request, lambda filters: selectors.rural_channel_for(
            community=community, viewer=request.user, filters=filters))
        html = render_to_string("community/_channel_feed.html", {"channel": items})
        closes = min((i.closes_at for i in items if i.closes_at is not None), default=None)
        return (html, closes), pagecache.seconds_until([closes])

    shared = pagecache.enabled() and not request.GET
    cache_key = (pagecache.key("channel-feed", ["channel", "villages"], community.pk)
                 if shared else None)
    html, closes = pagecache.get_or_build(cache_key, build)
    return mark_safe(html), closes  # noqa: S308 - our own render


@require_POST
@login_required
def follow_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    village = get_or_404(Village, pk=pk)
    unfollow = request.POST.get("action") == "unfollow"
    try:
        if unfollow:
            services.village_unfollow(user=request.user, village=village)
        else:
            services.village_follow(user=request.user, village=village)
    except DomainError as exc:
        show_domain_error(request, exc)
    else:
        messages.success(request, (_("You no longer follow %(v)s.") if unfollow
                                   else _("You now follow %(v)s.")) % {"v": village.name})
    return redirect(safe_next(request, "community:index"))


@login_required
def notices(request: HttpRequest, slug: str) -> HttpResponse:
    community = selectors.community_get_for_member(user=request.user, slug=slug)
    manages = core.user_manages_community(user=request.user, community=community)
    context = {
        "community": community, "manages": manages,
        "notices": filtered_page(request, lambda filters: selectors.notice_list(
            community=community, viewer=request.user, include_expired=manages, filters=filters)),
    }
    if not manages:
        return render(request, "community/notices.html", {**context, "form": None})
    return form_page(
        request, form=forms.NoticeForm(request.POST or None, request.FILES or None),
        template="community/notices.html",
        save=lambda data: services.notice_publish(author=request.user, community=community, **data),
        on_success=lambda _notice: redirect("community:notices", slug=slug),
        done=_("Notice published."), context=context)


@login_required
def notice_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = selectors.community_get_for_member(user=request.user, slug=slug)
    notice = selectors.notice_get(community=community, viewer=request.user, pk=pk)
    services.notice_mark_read(user=request.user, notice=notice)  # opening it is reading it
    return render(request, "community/notice_detail.html", {"community": community, "notice": notice})


@login_required
def notice_attachment(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The notice's attachment, to those who may read the notice (the same check as the page)."""
    community = selectors.community_get_for_member(user=request.user, slug=slug)
    notice = selectors.notice_get(community=community, viewer=request.user, pk=pk)
    if not notice.attachment:
        raise Http404
    return private_file_response(request, notice.attachment,
                                 download_name=download_name(notice.title, notice.attachment))
