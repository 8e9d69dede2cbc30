"""The site in a real browser (Debian's Chromium, driven by Playwright) against a live
server and a real Celery worker: a newcomer signs up, rates, and sees their picks follow;
staff retrain and watch the run. Screenshots land in test-artifacts/screenshots/."""

import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from catalog.models import Profile
from tests.celery_worker import celery_worker

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser(monkeypatch):
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed (scripts/run-tests installs it)")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls
    # are still synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def worker(catalog, trained, tmp_path):
    log = tmp_path / "worker.log"
    with celery_worker(f"web-{uuid.uuid4().hex[:8]}@%h", log, queues="training,celery"):
        yield log


def _shoot(browser, page, name: str) -> None:
    """The current page at laptop width, and again at phone width."""
    page.screenshot(path=SHOTS / f"{name}-laptop.png", full_page=True)
    phone = browser.new_context(viewport=PHONE, storage_state=page.context.storage_state())
    small = phone.new_page()
    small.goto(page.url)
    small.screenshot(path=SHOTS / f"{name}-phone.png", full_page=True)
    phone.close()


def _pick_hrefs(page) -> list[str]:
    links = page.locator("#picks section").first.locator("article h3 a")
    return [links.nth(i).get_attribute("href") for i in range(links.count())]


def _sign_up(page, base: str) -> None:
    page.goto(f"{base}/accounts/signup/")
    page.get_by_label("Username").fill("cinephile")
    page.get_by_label("Password").fill("popcorn-and-long-words-7")
    page.get_by_label("Gender").select_option("F")
    page.get_by_label("Age bracket").select_option("25")
    page.get_by_label("Occupation").select_option("12")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Rate a few movies you know")).to_be_visible()


def _rate_onboarding(page, count: int) -> None:
    cards = page.locator(".onboarding article.movie-card")
    for i in range(count):
        card = cards.nth(i)
        stars = 5 if "Sci-Fi" in card.locator(".meta").first.inner_text() else 2
        card.get_by_role("button", name=f"Rate {stars} stars", exact=True).click()
        expect(card.locator(".rating-status")).to_have_text(f"Rated {stars} stars.")
    expect(page.locator(".progress-note")).to_have_count(0)  # the picks section reloaded


def test_a_newcomer_rates_and_the_picks_follow(browser, live_server, worker):
    page = browser.new_context(viewport=LAPTOP).new_page()
    page.goto(live_server.url)
    _shoot(browser, page, "visitor-home")
    _sign_up(page, live_server.url)
    _shoot(browser, page, "onboarding")

    _rate_onboarding(page, 10)
    page.reload()
    expect(page.get_by_role("heading", name="Rate a few movies you know")).to_have_count(0)
    picks = page.locator("#picks")
    expect(picks.get_by_text(re.compile("^For you: ")).first).to_be_visible()
    expect(picks.get_by_text(re.compile("^Because you rated ")).first).to_be_visible()
    _shoot(browser, page, "home-personalized")

    before = _pick_hrefs(page)
    first = page.locator("#picks section").first.locator("article").first
    first.get_by_role("button", name="Rate 1 star", exact=True).click()
    expect(
        page.locator("#picks section").first.locator("article h3 a").first
    ).not_to_have_attribute("href", before[0])
    after = _pick_hrefs(page)
    assert before[0] not in after
    assert after != before

    page.goto(f"{live_server.url}/movies/?genre=Sci-Fi")
    _shoot(browser, page, "movie-list")
    page.locator("article h3 a").first.click()
    expect(page.get_by_role("heading", name="Similar movies")).to_be_visible()
    _shoot(browser, page, "movie-detail")
    page.goto(f"{live_server.url}/ratings/")
    expect(page.locator("article.movie-card")).to_have_count(11)
    _shoot(browser, page, "my-ratings")


def test_staff_retrain_and_watch_the_run(browser, live_server, worker, django_user_model):
    staff = django_user_model.objects.create_user(
        "boss", password="staff-password-long-1", is_staff=True, is_superuser=True
    )
    Profile.objects.create(user=staff, gender="M", age=45, occupation=7)
    page = browser.new_context(viewport=LAPTOP).new_page()
    page.goto(f"{live_server.url}/staff/training/")
    page.get_by_label("Username").fill("boss")
    page.get_by_label("Password").fill("staff-password-long-1")
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("button", name="Retrain now").click()
    expect(page.get_by_text(re.compile(r"Training run \d+ is queued\."))).to_be_visible()
    status = page.locator(".run-progress .status")
    expect(status).to_have_text(re.compile("queued|running"))
    _shoot(browser, page, "training-live")
    expect(status).to_have_text("succeeded", timeout=60_000)  # polled every 2 s, no reload

    page.locator(".run-progress a").click()
    expect(page.get_by_role("heading", name="Held-out metrics")).to_be_visible()
    expect(page.get_by_role("rowheader", name="RMSE")).to_be_visible()
    curve = page.get_by_role("img", name=re.compile("^Training loss"))
    expect(curve).to_be_visible()
    assert curve.evaluate("img => img.naturalWidth") > 0
    _shoot(browser, page, "training-run")
