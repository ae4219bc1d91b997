"""A visitor studies in a real Chromium: home, a lesson, the diagram and the matrix."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def no_horizontal_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_a_visitor_goes_from_home_to_a_lesson_and_opens_a_layer_of_the_diagram(page, live_content, screenshot):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Who secures what in AWS?")
    screenshot(page, "home")
    page.get_by_role("link", name="Start studying").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lessons")
    page.locator(".lesson-card a").first.click()
    expect(page.locator(".srm-diagram")).to_be_visible()

    panel = page.locator("#layer-os-network-firewall")
    expect(panel).to_be_hidden()  # the script shows one layer at a time
    page.locator('.diagram-layer[data-layer="os-network-firewall"]').click()
    expect(panel).to_be_visible()
    expect(panel.get_by_role("link", name="Patch the guest operating system")).to_be_visible()
    expect(page.locator("#layer-customer-data")).to_be_hidden()
    screenshot(page, "lesson-diagram", scroll_to="#diagram-heading")

    page.get_by_role("button", name="Show every layer").click()
    expect(page.locator("#layer-customer-data")).to_be_visible()


def test_the_diagram_works_from_the_keyboard(page, live_content):
    page.goto("/study/diagram/")
    page.locator('.diagram-layer[data-layer="customer-data"]').focus()
    expect(page.locator("#layer-customer-data")).to_be_visible()
    page.keyboard.press("Tab")
    expect(page.locator("#layer-platform-apps-iam")).to_be_visible()
    expect(page.locator("#layer-customer-data")).to_be_hidden()


def test_without_javascript_every_layer_is_listed(chromium, live_server, live_content):
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/study/diagram/")
    for slug in ("customer-data", "aws-software", "aws-global-infrastructure"):
        expect(page.locator(f"#layer-{slug}")).to_be_visible()
    context.close()


def test_the_matrix_opens_a_cell_and_filters_by_category(page, live_content, screenshot):
    page.goto("/study/matrix/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Responsibility matrix")
    row = page.locator("tr", has=page.get_by_role("link", name="Patch the guest operating system", exact=True))
    ec2_cell = row.locator("details").first
    screenshot(page, "matrix")
    ec2_cell.locator("summary").click()
    expect(ec2_cell.locator("p").first).to_be_visible()

    page.get_by_label("Service category").select_option("abstracted")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("columnheader", name="AWS Lambda")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Amazon EC2")).to_have_count(0)


@pytest.mark.parametrize("path", ["/", "/study/the-model/", "/study/matrix/", "/study/services/ec2/"])
def test_pages_fit_a_phone_screen(chromium, live_server, live_content, path, screenshot):
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.goto(path)
    assert no_horizontal_overflow(page), f"{path} scrolls sideways at 375 px"
    if path == "/study/matrix/":
        screenshot(page, "matrix-phone")
    context.close()
