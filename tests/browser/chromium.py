"""Debian's Chromium driven by Playwright (`playwright install` cannot run here): how browser tests open a page."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

playwright_sync = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = Path(settings.BASE_DIR) / "artifacts"
requires_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian Chromium is not installed")


@contextmanager
def chromium_page(*, width: int, height: int, locale: str) -> Iterator[Any]:
    """A fresh browser and page at this viewport, asking for this language; closed afterwards."""
    with playwright_sync.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": width, "height": height}, locale=locale)
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()
