"""Village node: the catalogue API (a page of 50 products) and placing an order, on PostgreSQL.

The demo seed has ~10 products; this adds 60 published products with plenty of stock to the
coordinator's village (paired with the demo resident's community), then measures:
- GET /api/v1/products/?page_size=50 (anonymous; 3 queries per request)
- POST /api/v1/orders/ as the demo resident, one unit of one of the 60 products per request
  (row locks spread over the products; each order is its own transaction)
"""

from bench.loadgen import get, post_json, run_load

SECONDS = 8

SETUP = """
from decimal import Decimal
from synergy.core.models import Village
from villages.models import Product, ListingStatus
v = Village.objects.get(slug="wanxi-village")
Product.objects.bulk_create([
    Product(village=v, name=f"Bench product {i}", category="produce", unit="kg",
            price=Decimal("9.90") + i, stock=10_000_000, status=ListingStatus.PUBLISHED,
            description="bench")
    for i in range(60)
])
ids = list(Product.objects.filter(description="bench").order_by("pk").values_list("pk", flat=True))
from synergy.core.models import Community
print(Community.objects.get(slug="cuihu-garden").pk, ",".join(map(str, ids)))
"""


def run(server) -> list[dict]:
    out = server.manage("shell", "-c", SETUP).strip().splitlines()[-1]
    community, ids = out.split()
    community = int(community)
    product_ids = [int(i) for i in ids.split(",")]
    token = server.token("resident")
    headers = {"Authorization": f"Token {token}"}
    rows = []

    catalogue = "/api/v1/products/?page_size=50"
    page = server.get_json(catalogue)
    assert len(page["results"]) == 50, "the catalogue page should hold 50 products"
    run_load(host=server.host, port=server.port, make_request=get(catalogue), seconds=1)
    result = run_load(host=server.host, port=server.port, make_request=get(catalogue),
                      seconds=SECONDS)
    rows.append({"bench": "GET /api/v1/products/ (page of 50)", "rps": result.rps,
                 "p50_ms": result.p50_ms, "p95_ms": result.p95_ms, "p99_ms": result.p99_ms,
                 "requests": result.requests, "errors": result.errors})

    def place(worker: int, n: int):
        product = product_ids[(worker * 7 + n) % len(product_ids)]
        return post_json("/api/v1/orders/", {
            "items": [{"product": product, "quantity": 1}], "pickup_community": community,
            "round": None}, headers)

    result = run_load(host=server.host, port=server.port, make_request=place, seconds=SECONDS)
    rows.append({"bench": "POST /api/v1/orders/ (place an order)", "rps": result.rps,
                 "p50_ms": result.p50_ms, "p95_ms": result.p95_ms, "p99_ms": result.p99_ms,
                 "requests": result.requests, "errors": result.errors,
                 "note": f"statuses {result.statuses}"})
    return rows
