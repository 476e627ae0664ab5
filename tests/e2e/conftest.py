"""A real browser for the public pages: Playwright driving Debian's Chromium.

Never ``playwright install`` (it downloads a browser from the internet): we
launch the system Chromium (``apt-get install chromium``), found at
``$CHROMIUM_PATH`` or ``/usr/bin/chromium``. Where it is missing, the browser
tests are reported as skipped, never as passed.
"""

import os
import shutil

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_path():
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="package")
def browser():
    path = chromium_path()
    if not path:
        message = "Chromium absent (apt-get install chromium) : tests navigateur non exécutés"
        if os.environ.get("PROXIMITES_REQUIRE_BROWSER") == "1":  # set by .ci/run: CI must run them
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread, which Django's async-safety check
    # would take for async code; the ORM calls of these tests are synchronous and safe. So the check
    # is lifted only while the browser tests run (this package), and put back after them.
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if before is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.console_errors = errors
    yield page
    context.close()
