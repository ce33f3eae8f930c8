"""Issue 20, the accessibility audit: axe-core (vendored from npm, tests/browser/vendor) over
every main page, in normal and large type, in Chinese and English; no serious or critical
violation. The findings are also written to bench/results/axe.json."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from synergy.core.models import Community, User, Village
from villages.models import Product

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
RESULTS = Path(__file__).resolve().parents[2] / "bench" / "results"
LANGUAGES = ("zh-hans", "en")
BAD = ("serious", "critical")


@pytest.fixture
def full_demo(transactional_db):
    call_command("seed_demo", verbosity=0)


def main_pages() -> dict[str, list[tuple[str, str]]]:
    """persona -> [(page name, path)]."""
    community = Community.objects.order_by("pk").first()
    village = Village.objects.order_by("pk").first()
    product = Product.objects.filter(status="published").order_by("pk").first()
    return {
        "resident": [
            ("home", "/"), ("desk", "/desk/"), ("rural channel", f"/community/{community.slug}/"),
            ("product", f"/villages/products/{product.pk}/"),
            ("village", f"/villages/v/{village.slug}/"), ("orders", "/villages/orders/"),
            ("tickets", f"/community/{community.slug}/tickets/"),
        ],
        "analyst": [("analytics dashboard", "/analytics/")],
    }


@functools.cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8") + "\n;void 0;"


def audit(page) -> list[dict]:
    # Through the DevTools protocol, not a <script> (the site's CSP refuses inline scripts).
    page.evaluate(_axe_source())
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ["violations"]});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " +
                                                (n.failureSummary || "").slice(0, 200))}));
    }""")
    return result


# Buttons, button-like links and fields shown on the page that are less than 48 px high.
SMALL_TARGETS = """() => [...document.querySelectorAll(
    'button, .btn, select, input[type=text], input[type=number], input[type=search], textarea')]
    .filter(e => e.offsetParent !== null)
    .filter(e => e.getBoundingClientRect().height < 47.5)
    .map(e => e.outerHTML.slice(0, 80) + ' ' + Math.round(e.getBoundingClientRect().height))"""


def login_as(page, username: str, language: str) -> None:
    page.context.clear_cookies()
    page.goto(page.base_url + "/accounts/login/")
    page.click(f"button.lang-btn[value={language}]")
    page.wait_for_load_state()
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "synergy-demo")
    page.click("form button[type=submit].primary")
    page.wait_for_load_state()


def test_main_pages_have_no_serious_or_critical_violation(app_phone, full_demo):
    page = app_phone
    findings, bad = [], []
    for persona, pages in main_pages().items():
        for language in LANGUAGES:
            login_as(page, persona, language)
            for large in (False, True):
                # The header's toggle, as a person would press it.
                pressed = page.locator("#large-type-toggle button").get_attribute("aria-pressed")
                if (pressed == "true") != large:
                    page.click("#large-type-toggle button")
                    page.wait_for_load_state()
                assert User.objects.get(username=persona).large_type is large
                for name, path in pages:
                    page.goto(page.base_url + path)
                    assert page.locator("html").get_attribute("lang") == language
                    has_class = "large-type" in (page.locator("html").get_attribute("class") or "")
                    assert has_class is large, (name, path)
                    violations = audit(page)
                    if large:
                        small = page.evaluate(SMALL_TARGETS)
                        bad += [f"{name} [{language}, large] tap target under 48px: {t}"
                                for t in small]
                    mode = "large" if large else "normal"
                    findings.append({"page": name, "path": path, "language": language,
                                     "mode": mode, "violations": violations})
                    bad += [f"{name} [{language}, {mode}] {v['id']} ({v['impact']}): {v['nodes']}"
                            for v in violations if v["impact"] in BAD]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "axe.json").write_text(json.dumps(findings, ensure_ascii=False, indent=1))
    for f in findings:
        print(f"axe {f['page']:20} {f['language']:7} {f['mode']:6} "
              f"{len(f['violations'])} violations: "
              + ", ".join(f"{v['id']}({v['impact']})" for v in f["violations"]))
    assert bad == [], "\n".join(bad)
