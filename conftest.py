"""Fixtures shared by every app's tests: learners, the real content, and the browser."""

import os
import shutil

import pytest

from tests.content_snapshot import ContentSnapshot

# Debian's chromium-headless-shell first: the same Chromium build without the browser's window layer,
# which runs the browser tests in about 60% of the time the full browser takes on two cores
# (Playwright uses the same shell for headless runs). The full `chromium` is the fallback, and
# CHROMIUM_PATH=/usr/bin/chromium picks it.
CHROMIUM_CANDIDATES = ("chromium-headless-shell", "chromium", "chromium-browser", "google-chrome")


def find_chromium():
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    for name in CHROMIUM_CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


def pytest_collection_modifyitems(config, items):
    # The browser tests are the longest: run them first, so that with several workers (pytest-xdist)
    # the short tests fill the end of the run instead of one worker finishing a journey alone.
    items.sort(key=lambda item: item.get_closest_marker("browser") is None)
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    config._chromium_path = find_chromium()
    config._browser_tests_skipped = 0
    if browser_items and config._chromium_path is None:
        skip = pytest.mark.skip(reason="no Chromium found (apt-get install chromium, or set CHROMIUM_PATH)")
        for item in browser_items:
            item.add_marker(skip)
        config._browser_tests_skipped = len(browser_items)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skipped = getattr(config, "_browser_tests_skipped", 0)
    if skipped:
        terminalreporter.write_line(
            f"BROWSER TESTS SKIPPED: {skipped} browser test(s) did not run because no Chromium was found "
            "(install the Debian packages chromium and chromium-driver, or set CHROMIUM_PATH).",
            yellow=True,
            bold=True,
        )


@pytest.fixture(scope="session")
def content_snapshot(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return ContentSnapshot.capture()


@pytest.fixture
def content(db, content_snapshot):
    """The real study content from study/content/, as `make run` loads it (copied from the
    session's one real load: see tests/content_snapshot.py)."""
    content_snapshot.restore()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Learners are made by the hundred here; the production hasher is slow on purpose (that the site
    keeps it is checked in srm_site/tests/test_settings.py)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_learner(django_user_model):
    counter = iter(range(1, 1_000_000))

    def make(username=None, password="correct-horse-battery-9"):
        user = django_user_model.objects.create_user(username=username or f"learner{next(counter)}", password=password)
        user.raw_password = password
        return user

    return make


@pytest.fixture
def learner(make_learner):
    return make_learner()


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture
def make_instructor(make_learner):
    """A staff account in the Instructors group, as `create_instructor` makes it."""
    from quizzes.instructor.roles import ensure_instructors_group

    counter = iter(range(1, 1_000_000))

    def make(username=None, **kwargs):
        user = make_learner(username or f"instructor{next(counter)}", **kwargs)
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        user.groups.add(ensure_instructors_group())
        return user

    return make


@pytest.fixture
def instructor(make_instructor):
    return make_instructor()


@pytest.fixture
def instructor_client(client, instructor):
    client.force_login(instructor)
    return client


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(username="root", password="correct-horse-battery-9")


# --- browser tests ------------------------------------------------------------------------------

BROWSER_ARGS = [
    "--headless=new",  # for the full browser; the headless shell ignores it
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # The machine has no network beyond the package registries: keep Chromium from calling home.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def chromium(pytestconfig):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread for the rest of the session, and
    # Django refuses ORM calls from a thread with an event loop. The tests' ORM calls are plain
    # synchronous code, so the check is lifted while the browser is up.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=pytestconfig._chromium_path, args=BROWSER_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
