"""The popularity dial in a real browser: chosen by keyboard, the picks re-rank in place,
focus stays on the radio and the change is announced. Screenshots in
test-artifacts/screenshots/."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from catalog.models import Profile
from recommender.services.feedback import rating_submit
from tests.web.helpers import signed_in_context

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}


def _top_hrefs(page) -> list[str]:
    links = page.locator("#picks section").first.locator("article h3 a")
    return [links.nth(i).get_attribute("href") for i in range(links.count())]


def test_turning_the_dial_reranks_the_picks_in_place(
    browser, live_server, member, trained, refresh_calls
):
    for movie_id in range(1, 11):
        rating_submit(user=member, movie_id=movie_id, stars=5)
    page = signed_in_context(browser, live_server.url, member, viewport=LAPTOP).new_page()
    page.goto(live_server.url)
    dial = page.get_by_role("group", name="Your picks lean toward")
    balanced = dial.get_by_role("radio", name="Balanced")
    expect(balanced).to_be_checked()
    before = _top_hrefs(page)

    balanced.focus()
    page.keyboard.press("ArrowLeft")  # radios: the arrow keys choose, htmx posts the change

    expect(page.locator("#announcer")).to_have_text("Your picks now lean toward: Lesser known.")
    lesser = page.get_by_role("radio", name="Lesser known")
    expect(lesser).to_be_checked()
    expect(lesser).to_be_focused()
    assert Profile.objects.get(user=member).popularity_dial == -1
    page.get_by_role("radio", name="Hidden gems").check()
    expect(page.locator("#announcer")).to_have_text("Your picks now lean toward: Hidden gems.")
    assert _top_hrefs(page) != before
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "home-popularity-dial-laptop.png")
    phone = signed_in_context(browser, live_server.url, member, viewport=PHONE).new_page()
    phone.goto(live_server.url)
    expect(phone.get_by_role("radio", name="Hidden gems")).to_be_checked()
    phone.locator(".popularity-dial").screenshot(path=SHOTS / "home-popularity-dial-phone.png")
