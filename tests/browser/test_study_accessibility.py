"""Every study and account page passes axe-core with no serious or critical violation."""

import pytest
from playwright.sync_api import expect

from tests.browser.axe import blocking_violations

pytestmark = pytest.mark.browser

# Every study and account page of the learner journeys (test_learner_journeys.py) is here; the journeys
# scan the quiz pages they meet themselves.
PAGES = [
    "/",
    "/study/",
    "/study/the-model/",
    "/study/how-the-line-moves/",
    "/study/glossary/",
    "/study/misconceptions/",
    "/study/diagram/",
    "/study/matrix/",
    "/study/matrix/?category=bogus",
    "/study/services/",
    "/study/services/ec2/",
    "/study/services/rds/",
    "/study/duties/",
    "/study/duties/patch-guest-os/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password_reset/",
    "/quizzes/",
]


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_serious_accessibility_violation(page, live_content, path):
    page.goto(path)
    assert blocking_violations(page) == []


def test_diagram_with_a_layer_selected_and_matrix_with_a_cell_open(page, live_content):
    page.goto("/study/diagram/")
    page.locator('.diagram-layer[data-layer="customer-data"]').click()
    expect(page.locator("#layer-customer-data")).to_be_visible()
    expect(page.locator("#layer-aws-software")).to_be_hidden()
    assert blocking_violations(page) == []
    page.goto("/study/matrix/")
    page.locator("details.cell summary").first.click()
    expect(page.locator("details.cell").first.locator("p").first).to_be_visible()
    assert blocking_violations(page) == []


def test_signup_form_with_errors(page, live_content):
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill("x")
    page.get_by_role("button", name="Sign up").click()
    expect(page.locator(".invalid-feedback, .errorlist")).not_to_have_count(0)
    assert blocking_violations(page) == []
