"""A tiny crawler and form fuzzer for the HTML pages, on Django's test client.

`crawl` walks the internal links reachable from the home page breadth-first (bounded), parsing
every page for links and forms. `hostile_submissions` yields, for one parsed form, the form as
the page filled it in with one field at a time replaced by a hostile value (empty, NUL bytes,
very long text, huge and negative numbers, 1e309, dates 0001-01-01 and 9999-12-31, non-numeric
ids, unicode). Changing one field at a time keeps the others plausible, so a value reaches the
code behind the form's own validation (services, totals, lookups) instead of being stopped by
a sibling field.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from django.db import transaction
from django.urls import Resolver404, resolve

# Links never followed: leaving the session, the API (fuzzed from its schema), files, the admin's
# own log-out and password pages.
SKIP_PREFIXES = ("/accounts/logout", "/api/", "/static/", "/media/", "/admin/logout",
                 "/admin/password_change", "/admin/jsi18n")
SKIP_ACTIONS = ("/accounts/logout", "/admin/logout")

GENERIC = ["", "\x00", "a\x00b", "x" * 5000, "😀 中文 \u202e ﷽", "  ", "<script>x</script>",
           "' OR 1=1 --", "%00", "../../../etc/passwd"]
NUMBERS = ["-1", "0", "99999999999999999999999", "-99999999999999999999", "1e309", "-1e309",
           "NaN", "Infinity", "0.0000000001", "1.5", "١٢٣", "12abc", "9" * 300]
DATES = ["0001-01-01", "9999-12-31", "1899-12-31", "9001-01-01", "2024-02-30", "99999-01-01",
         "0000-00-00", "1-1-1"]
DATETIMES = ["0001-01-01T00:00", "9999-12-31T23:59", "1899-12-31T23:59", "9001-01-01T00:00",
             "2024-02-30T10:00", "0001-01-01 00:00:00"]
IDS = ["abc", "-1", "0", "99999999999999999999999", "1.5", "1e309", "\x00", "", "1 OR 1=1"]


@dataclass
class Field:
    name: str
    kind: str  # input type, "select", "textarea"
    value: str = ""
    options: list[str] = field(default_factory=list)
    multiple: bool = False


@dataclass
class Form:
    page: str
    action: str
    method: str
    enctype: str
    fields: list[Field] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)  # named submit buttons

    def route(self) -> str:
        """The URL pattern the form posts to, so per-row forms count once."""
        try:
            match = resolve(urlsplit(self.action).path)
        except Resolver404:
            return urlsplit(self.action).path
        return f"{match.route}"


class _PageParser(HTMLParser):
    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None
        self._option_value: str | None = None
        self._option_text = ""

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.page, a["href"]))
        elif tag == "form":
            self._form = Form(page=self.page, action=urljoin(self.page, a.get("action") or self.page),
                              method=(a.get("method") or "get").lower(),
                              enctype=a.get("enctype", ""))
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image", "button", "reset"):
                if a.get("name"):
                    self._form.buttons.append((a["name"], a.get("value", "")))
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                # Keep the name known (with its value) but unchecked by default.
                self._form.fields.append(Field(a["name"], kind, "", options=[a.get("value", "on")]))
                return
            self._form.fields.append(Field(a["name"], kind, a.get("value", "")))
        elif tag == "button" and a.get("name") and a.get("type", "submit") == "submit":
            self._form.buttons.append((a["name"], a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self._select = Field(a["name"], "select", multiple="multiple" in a)
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option_value = a.get("value")
            self._option_text = ""
            if "selected" in a:
                self._select.value = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = Field(a["name"], "textarea")
            self._form.fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data
        if self._option_value is None and self._select is not None:
            self._option_text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "option" and self._select is not None:
            value = self._option_value if self._option_value is not None else self._option_text.strip()
            self._select.options.append(value)
            self._option_value = None


def parse_page(url: str, html: str) -> tuple[list[str], list[Form]]:
    parser = _PageParser(url)
    parser.feed(html)
    return parser.links, parser.forms


def internal(url: str) -> str | None:
    """The path and query of a link to this site worth following, or None."""
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return None
    if not parts.path.startswith("/") or parts.path.startswith(SKIP_PREFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


@dataclass
class Crawl:
    pages: dict[str, int] = field(default_factory=dict)  # url -> status
    forms: list[Form] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def crawl(client, *, start: str = "/", max_pages: int = 80, seen_forms: set | None = None) -> Crawl:
    """Breadth-first over internal links; every distinct form once per (route, fields, buttons).

    `seen_forms` carries the forms of an earlier crawl over, so a second crawl (after the first
    round of submissions filled a cart, placed an order...) returns only the forms that are new."""
    result = Crawl()
    seen_forms = set() if seen_forms is None else seen_forms
    queue: deque[str] = deque([start])
    seen: set[str] = set(queue)
    per_route: dict[str, int] = {}
    while queue and len(result.pages) < max_pages:
        url = queue.popleft()
        try:
            with transaction.atomic():  # a database error spoils only this request
                response = client.get(url)
        except Exception as exc:  # the view raised: a 500 in production
            result.failures.append(f"GET {url}: {type(exc).__name__}: {exc}")
            continue
        result.pages[url] = response.status_code
        if response.status_code >= 500:
            result.failures.append(f"GET {url}: {response.status_code}")
        if response.status_code in (301, 302, 303, 307, 308):
            links, forms = [urljoin(url, response["Location"])], []
        elif "text/html" not in response.get("Content-Type", ""):
            continue
        else:
            links, forms = parse_page(url, response.content.decode("utf-8", "replace"))
        for form in forms:
            key = (form.method, form.route(), tuple(sorted(f.name for f in form.fields)),
                   tuple(sorted(form.buttons)))
            if key not in seen_forms and not urlsplit(form.action).path.startswith(SKIP_ACTIONS):
                seen_forms.add(key)
                result.forms.append(form)
        for link in links:
            target = internal(link)
            if target is None or target in seen:
                continue
            # At most a few pages per URL pattern (one product page stands for all of them).
            try:
                route = resolve(urlsplit(target).path).route
            except Resolver404:
                route = target
            if per_route.get(route, 0) >= 3:
                continue
            per_route[route] = per_route.get(route, 0) + 1
            seen.add(target)
            queue.append(target)
    return result


def plausible(f: Field) -> str | list[str]:
    """What a person would most likely send for this field."""
    today = dt.date.today()
    if f.kind == "select":
        if f.value:
            return f.value
        options = [o for o in f.options if o]
        return options[0] if options else ""
    if f.kind in ("checkbox", "radio"):
        return f.value or (f.options[0] if f.options else "on")
    if f.value or f.kind == "hidden":
        return f.value
    return {
        "number": "3",
        "date": (today + dt.timedelta(days=20)).isoformat(),
        "datetime-local": f"{today + dt.timedelta(days=20)}T10:00",
        "email": "fuzz@example.com",
        "url": "https://example.com/",
        "password": "Fuzz-pass-123456",
        "file": "",
    }.get(f.kind, "fuzz value")


def hostile_values(f: Field) -> list[str]:
    """Hostile values for one field, the ones aimed at its type first."""
    name = f.name.lower()
    if f.kind == "number" or any(w in name for w in ("amount", "quantity", "price", "qty", "count",
                                                      "budget", "goal", "guests", "nights")):
        own = NUMBERS
    elif f.kind == "date" or name.endswith(("date", "_on", "until", "deadline", "from", "to")):
        own = DATES
    elif f.kind == "datetime-local" or name.endswith("_at"):
        own = DATETIMES
    elif f.kind in ("select", "hidden", "radio") or name.endswith(("id", "pk")):
        own = IDS
    else:
        own = []
    merged = list(dict.fromkeys([*own, *GENERIC]))
    return merged


def form_data(form: Form, override: tuple[str, str] | None = None,
              button: tuple[str, str] | None = None) -> dict[str, str | list[str]]:
    data: dict[str, str | list[str]] = {}
    for f in form.fields:
        if f.kind == "file":
            continue
        if f.kind in ("checkbox", "radio") and not f.value:
            # Unchecked by default: tick it (a person usually would) unless it is the override.
            value = f.options[0] if f.options else "on"
        else:
            value = plausible(f)
        if f.name in data and f.kind == "checkbox":
            existing = data[f.name]
            data[f.name] = [*(existing if isinstance(existing, list) else [existing]), value]
        elif f.name not in data:
            data[f.name] = value
    if button:
        data[button[0]] = button[1]
    if override:
        data[override[0]] = override[1]
    return data


def hostile_submissions(form: Form, *, limit: int) -> Iterator[tuple[str, dict]]:
    """(description, data) pairs: the plausible form, then one hostile field at a time.

    Round-robin over the fields so a small `limit` still touches every field once before it
    tries a second value on any of them."""
    buttons = form.buttons or [None]
    candidates = [f for f in form.fields if f.kind != "file" and f.name != "csrfmiddlewaretoken"]
    names = list(dict.fromkeys(f.name for f in candidates))
    if form.buttons:
        names.append(form.buttons[0][0])
    by_name = {f.name: f for f in candidates}
    lists = []
    for name in names:
        if name in by_name:
            lists.append([(name, v) for v in hostile_values(by_name[name])])
        else:  # the submit button's own name: a value no button carries
            lists.append([(name, v) for v in ["", "\x00", "nonsense", "x" * 5000]])
    count = 0
    for button in buttons:
        if count >= limit:
            return
        count += 1
        yield f"plausible {button}", form_data(form, button=button)
    for i, override in enumerate(_round_robin(lists)):
        if count >= limit:
            return
        count += 1
        yield f"{override[0]}={override[1][:40]!r}", form_data(form, override, buttons[i % len(buttons)])


def _round_robin(lists: list[list]) -> Iterator:
    for group in itertools.zip_longest(*lists):
        for item in group:
            if item is not None:
                yield item


def hostile_queries(url: str) -> Iterator[str]:
    """The link with each of its query parameters replaced by a hostile value."""
    parts = urlsplit(url)
    params = parse_qsl(parts.query, keep_blank_values=True)
    for i, (name, _value) in enumerate(params):
        for value in ["\x00", "9999-12-31", "0001-01-01", "abc", "-1", "99999999999999999999999",
                      "1e309", "x" * 3000]:
            changed = [*params[:i], (name, value), *params[i + 1:]]
            yield f"{parts.path}?{urlencode(changed)}"


def hostile_paths(url: str) -> Iterator[str]:
    """The link with each numeric path segment replaced by an id no row has (beyond bigint, zero)."""
    parts = urlsplit(url)
    segments = parts.path.split("/")
    for i, segment in enumerate(segments):
        if segment.isdigit():
            for value in ("99999999999999999999999", "0"):
                yield "/".join([*segments[:i], value, *segments[i + 1:]])
