import os
from pathlib import Path

import pytest

SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def live_content(transactional_db, content_snapshot):
    """The real content, committed so that the live server's thread sees it (the session's copy of
    one real load, as the `content` fixture gives: see tests/content_snapshot.py)."""
    content_snapshot.restore()


@pytest.fixture
def screenshot():
    """Save a screenshot into docs/screenshots/ when SRM_SCREENSHOTS=1 (for the README)."""

    def take(page, name, scroll_to=None):
        if os.environ.get("SRM_SCREENSHOTS") == "1":
            if scroll_to:
                page.locator(scroll_to).first.scroll_into_view_if_needed()
            SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"))

    return take
