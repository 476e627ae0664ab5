"""Content-Security-Policy and Permissions-Policy on every kind of response (issue 13, finding 9), and
nothing inline in what the site renders, so that the policy needs no ``'unsafe-inline'``.

The browser side (no violation reported while the pages run in Chromium) is tests/e2e/test_csp.py.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import CitationFactory, ThemeFactory, national_network

ROOT = Path(settings.BASE_DIR)
# Every template the site renders: ours; the admin's, reversion's and import-export's are the
# libraries' (the browser test covers the admin pages we use).
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
# Python that writes HTML (format_html, mark_safe, SafeString) lives in these packages.
PYTHON = sorted(p for package in ("crpv_site", "initiatives", "territories") for p in (ROOT / package).rglob("*.py"))

STYLE_ATTRIBUTE = re.compile(r"""\sstyle\s*=\s*["'{]""", re.I)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.I)
SCRIPT_ELEMENT = re.compile(r"<script\b([^>]*)>", re.I)
EVENT_HANDLER = re.compile(r"""<[a-z][^>]*\son[a-z]+\s*=\s*["']""", re.I | re.S)
JAVASCRIPT_URL = re.compile(r"""href\s*=\s*["']\s*javascript:""", re.I)


def inline_code(text):
    """What a CSP without 'unsafe-inline' would block in a template or a Python string."""
    found = []
    found += [m.group(0).strip() for m in STYLE_ATTRIBUTE.finditer(text)]
    found += [m.group(0) for m in STYLE_ELEMENT.finditer(text)]
    found += [m.group(0) for m in SCRIPT_ELEMENT.finditer(text) if "src=" not in m.group(1)]
    found += [m.group(0)[:60] for m in EVENT_HANDLER.finditer(text)]
    found += [m.group(0) for m in JAVASCRIPT_URL.finditer(text)]
    return found


def test_the_scan_finds_what_the_policy_would_block():
    assert inline_code('<span class="bar" style="width: 40%"></span>')
    assert inline_code("<style>.x { color: red }</style>")
    assert inline_code("<script>alert(1)</script>")
    assert inline_code('<button onclick="go()">')
    assert not inline_code('<script src="/static/js/browse.js" defer></script>')
    assert not inline_code('<link rel="stylesheet" href="/static/css/site.css"><svg><rect width="40"/></svg>')


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT / "templates")))
def test_no_template_has_inline_style_or_script(template):
    assert inline_code(template.read_text("utf-8")) == []


def test_no_python_module_writes_inline_style_or_script():
    found = {str(p.relative_to(ROOT)): inline_code(p.read_text("utf-8")) for p in PYTHON}
    assert {path: hits for path, hits in found.items() if hits} == {}


def test_the_policy_allows_nothing_inline():
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert directives["script-src"] == ["'self'"] and directives["style-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"] and directives["object-src"] == ["'none'"]
    text = repr(directives)
    assert "unsafe-inline" not in text and "unsafe-eval" not in text and "*" not in text


@pytest.fixture
def case(db):
    national_network()
    case = CitationFactory(initiative__title="Paniers solidaires au Breil").initiative
    case.themes.add(ThemeFactory(name="Aide alimentaire", slug="aide-alimentaire"))
    return case


def paths(case):
    return [
        "/",
        "/initiatives/?theme=aide-alimentaire",
        case.get_absolute_url(),
        "/territoires/",
        "/proposer/",
        "/api/initiatives/",
        "/api/openapi.json",
        "/admin/login/",
        "/page-qui-n-existe-pas/",
        "/healthz",
    ]


def assert_headers(response):
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    policy = response["Permissions-Policy"]
    assert "geolocation=()" in policy and "camera=()" in policy and "microphone=()" in policy


@pytest.mark.django_db
def test_every_kind_of_response_carries_both_policies(client, case):
    for path in paths(case):
        response = client.get(path)
        assert response.status_code in (200, 404), path
        assert_headers(response)


@pytest.mark.django_db
def test_a_page_served_from_the_page_cache_carries_both_policies(client, case, settings):
    settings.PAGE_CACHE = True
    client.get("/initiatives/")
    cached = client.get("/initiatives/")
    assert cached["X-Cache"] == "hit"
    assert_headers(cached)


@pytest.mark.django_db
def test_the_admin_pages_carry_both_policies(admin_client, case):
    for path in ["/admin/", "/admin/initiatives/initiative/", f"/admin/initiatives/initiative/{case.pk}/change/"]:
        response = admin_client.get(path)
        assert response.status_code == 200, path
        assert_headers(response)


def test_the_home_page_bars_are_svg_rects(client, case):
    html = client.get("/").content.decode()
    # the widest bar is 100 (% of the viewBox): what was a style="width: 100%" before
    assert re.search(r'<svg class="bar"[^>]*><rect width="100" height="1"/></svg>', html)
