"""The evening peak (issue 19): residents at 8 pm, arriving at a rising rate, from a second process.

Each arriving resident runs one session, request after request on its own keep-alive connection,
logged in as one of RESIDENTS residents of the community (their own session, cart and API
token, as at a real peak: nobody's home page or cart is another's): open the rural channel of the
community (HTML), look at a product page, add it to the
cart (the HTML form, CSRF and all), place an order (API); one in ten also donates to a campaign,
one in twenty books a farm stay. Sessions arrive open-loop at `rate` per second (evenly spaced,
whatever the server's speed), so a slow server meets more work, as at a real peak; a session
that could not start within 1 s of its time counts as an error (the generator ran out of room).

The rate rises step by step; the highest rate whose step had p95 < 300 ms over all requests and
no error is the peak figure (`bench/README.md` turns it into communities served).
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import multiprocessing as mp
import statistics
import threading
import time
import uuid

from bench.loadgen import _percentile, timed_request

STEPS = [float(x) for x in (1, 2, 3, 4, 6, 8, 12, 16, 20, 24, 28, 32, 40, 48, 56, 64, 80, 96)]  # sessions/s
STEP_SECONDS = 8
P95_LIMIT_MS = 300.0
THREADS = 48  # sessions in flight at once, at most, per generator process
PROCESSES = 2
# Residents logged in for the scenario; the n-th session is resident n % RESIDENTS, so the steps
# near the peak (~200-250 sessions each) meet mostly residents not seen in the step before.
RESIDENTS = 800

SETUP = """
import json, secrets
from decimal import Decimal
from django.test import Client
from knox.models import AuthToken
from synergy.core.models import Community, Membership, MembershipStatus, Role, User, Village
from villages.models import ListingStatus, OfferKind, Product, TourismOffer
from villages.exchange.models import Campaign
v = Village.objects.get(slug="wanxi-village")
Product.objects.bulk_create([
    Product(village=v, name=f"Peak product {i}", category="produce", unit="kg",
            price=Decimal("8.80") + i, stock=10_000_000, status=ListingStatus.PUBLISHED,
            description="peak")
    for i in range(40)
])
ids = list(Product.objects.filter(description="peak").order_by("pk").values_list("pk", flat=True))
stay = TourismOffer.objects.create(village=v, kind=OfferKind.FARM_STAY, title="Peak farm stay",
                                   description="peak", price=Decimal("120.00"), capacity=1_000_000,
                                   status=ListingStatus.PUBLISHED)
guests = User.objects.bulk_create([User(username=f"peak-guest-{i}", password="!")
                                   for i in range(600)])
tokens = [AuthToken.objects.create(user=u)[1] for u in guests]
community = Community.objects.get(slug="cuihu-garden")
people = User.objects.bulk_create([User(username=f"peak-resident-{i}", password="!")
                                   for i in range(RESIDENTS_N)])
Membership.objects.bulk_create([
    Membership(user=u, role=Role.RESIDENT, community=community, unit=f"{i // 100 + 1}-{i % 100 + 1}",
               status=MembershipStatus.ACTIVE)
    for i, u in enumerate(people)])
residents = []
for u in people:
    client = Client()
    client.force_login(u)
    residents.append({"session": client.cookies["sessionid"].value,
                      "token": AuthToken.objects.create(user=u)[1]})
campaign = Campaign.objects.filter(village=v).order_by("pk").first()
print(json.dumps({"community": community.pk, "products": ids, "residents": residents,
                  "campaign": campaign.pk, "stay": stay.pk, "tokens": tokens,
                  "csrf": secrets.token_hex(16)}))
"""


def _session_requests(world: dict, n: int) -> list[tuple[str, str, bytes | None, dict]]:
    """The requests of the n-th resident's session, in order."""
    products = world["products"]
    product = products[n % len(products)]
    resident = world["residents"][n % len(world["residents"])]
    cookie = f"sessionid={resident['session']}; csrftoken={world['csrf']}"
    api = {"Authorization": f"Token {resident['token']}", "Content-Type": "application/json"}
    reqs = [
        ("GET", "/community/cuihu-garden/", None, {"Cookie": cookie}),
        ("GET", f"/villages/products/{product}/", None, {"Cookie": cookie}),
        ("POST", f"/villages/cart/add/{product}/",
         f"quantity=1&csrfmiddlewaretoken={world['csrf']}".encode(),
         {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}),
        ("POST", "/api/v1/orders/", json.dumps({
            "items": [{"product": product, "quantity": 1}],
            "pickup_community": world["community"], "round": None}).encode(), api),
    ]
    if n % 10 == 0:
        reqs.append(("POST", f"/api/v1/campaigns/{world['campaign']}/donations/", json.dumps({
            "amount": "5.00", "anonymous": False, "message": "", "confirm_repeat": True}).encode(),
            {**api, "Idempotency-Key": uuid.uuid4().hex}))
    if n % 20 == 0:
        start = dt.date.today() + dt.timedelta(days=30 + (n // 20) % 300)
        token = world["tokens"][(n // 20) % len(world["tokens"])]
        reqs.append(("POST", f"/api/v1/tourism-offers/{world['stay']}/bookings/", json.dumps({
            "start_date": start.isoformat(), "end_date": (start + dt.timedelta(days=1)).isoformat(),
            "guests": 1}).encode(),
            {"Authorization": f"Token {token}", "Content-Type": "application/json"}))
    return reqs


OK = {200, 201, 302}


def _generator(host, port, world, rate, seconds, offset, stride, queue):
    """Start sessions offset, offset + stride, ... at their times; THREADS run them."""
    interval = stride / rate
    t0 = time.perf_counter() + 0.2
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    late = 0
    lock = threading.Lock()
    slots = threading.Semaphore(THREADS)

    def run(n):
        conn = http.client.HTTPConnection(host, port, timeout=30)
        mine, codes = [], {}
        try:
            for method, path, body, headers in _session_requests(world, n):
                conn, code, seconds = timed_request(conn, host, port, method, path, body, headers)
                mine.append(seconds)
                codes[code] = codes.get(code, 0) + 1
        finally:
            conn.close()
            with lock:
                latencies.extend(mine)
                for k, v in codes.items():
                    statuses[k] = statuses.get(k, 0) + v
            slots.release()

    threads = []
    k = 0
    while True:
        due = t0 + k * interval
        if due > t0 + seconds:
            break
        now = time.perf_counter()
        if due > now:
            time.sleep(due - now)
        if not slots.acquire(timeout=1.0) or time.perf_counter() - due > 1.0:
            late += 1  # no room to start it on time
        else:
            th = threading.Thread(target=run, args=(offset + k * stride,))
            th.start()
            threads.append(th)
        k += 1
    for th in threads:
        th.join()
    queue.put((latencies, statuses, late, k))


def _step(server, world, rate: float, base: int, seconds: float = STEP_SECONDS) -> dict:
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_generator, args=(server.host, server.port, world, rate,
                                                  seconds, base + i, PROCESSES, queue))
             for i in range(PROCESSES)]
    start = time.perf_counter()
    for p in procs:
        p.start()
    parts = [queue.get() for _ in procs]
    for p in procs:
        p.join()
    elapsed = time.perf_counter() - start
    latencies = sorted(x for lat, *_ in parts for x in lat)
    statuses: dict[int, int] = {}
    for _, st, *_ in parts:
        for k, v in st.items():
            statuses[k] = statuses.get(k, 0) + v
    late = sum(p[2] for p in parts)
    sessions = sum(p[3] for p in parts)
    errors = sum(v for k, v in statuses.items() if k not in OK) + late
    p95 = _percentile(latencies, 0.95) * 1000
    return {"bench": f"evening peak {rate:g} sessions/s", "rps": len(latencies) / elapsed,
            "p50_ms": statistics.median(latencies) * 1000 if latencies else float("nan"),
            "p95_ms": p95, "p99_ms": _percentile(latencies, 0.99) * 1000,
            "requests": len(latencies), "errors": errors, "value": rate,
            "held": errors == 0 and p95 < P95_LIMIT_MS,
            "note": f"{sessions} sessions; statuses {dict(sorted(statuses.items()))}"
                    + (f"; {late} started late" if late else "")}


def run(server) -> list[dict]:
    setup = SETUP.replace("RESIDENTS_N", str(RESIDENTS))
    world = json.loads(server.manage("shell", "-c", setup).strip().splitlines()[-1])
    # Warm up as the other benches do: each worker's first requests and the first build of
    # each page are not the evening's; one pass over the products, not counted.
    _step(server, world, 4.0, 0, seconds=len(world["products"]) / 4.0)
    rows, best, base = [], None, len(world["products"]) + PROCESSES
    for rate in STEPS:
        row = _step(server, world, rate, base)
        base += int(rate * STEP_SECONDS) + PROCESSES
        rows.append(row)
        if not row["held"]:
            break
        best = rate
    for row in rows:  # the step above the peak fails by design: its errors are data, not a fault
        row["step_errors"] = row.pop("errors")
        row["note"] = f"{row['step_errors']} errors; " + row["note"]
    held = [r for r in rows if r["held"]]
    rows.append({
        "bench": "evening peak: highest rate held", "value": best or 0.0,
        "errors": 0 if best else 1,
        "p95_ms": held[-1]["p95_ms"] if held else None,
        "note": (f"{best:g} sessions/s (~{held[-1]['rps']:.0f} requests/s) with p95 < "
                 f"{P95_LIMIT_MS:g} ms and no error" if best else "not even the first step held")})
    return rows
