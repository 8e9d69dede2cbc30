"""The site in a real browser (Debian's Chromium, driven by Playwright) against a live
server and a real Celery worker: a newcomer signs up, rates, and sees their picks follow;
a failed request says so; staff retrain and watch the run. Screenshots land in
test-artifacts/screenshots/."""

import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

from catalog.models import Profile, Rating
from tests.celery_worker import celery_worker
from tests.web.helpers import rate_onboarding, sign_up, signed_in_context

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}


@pytest.fixture
def worker(catalog, trained, tmp_path):
    log = tmp_path / "worker.log"
    with celery_worker(f"web-{uuid.uuid4().hex[:8]}@%h", log, queues="training,celery"):
        yield log


def _shoot(browser, page, name: str) -> None:
    """The current page at laptop width, and again at phone width."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}-laptop.png", full_page=True)
    phone = browser.new_context(viewport=PHONE, storage_state=page.context.storage_state())
    small = phone.new_page()
    small.goto(page.url)
    small.screenshot(path=SHOTS / f"{name}-phone.png", full_page=True)
    phone.close()


def _pick_hrefs(page) -> list[str]:
    links = page.locator("#picks section").first.locator("article h3 a")
    return [links.nth(i).get_attribute("href") for i in range(links.count())]


def test_a_newcomer_rates_and_the_picks_follow(browser, live_server, worker):
    page = browser.new_context(viewport=LAPTOP).new_page()
    page.goto(live_server.url)
    _shoot(browser, page, "visitor-home")
    sign_up(page, live_server.url, "cinephile")
    _shoot(browser, page, "onboarding")

    rate_onboarding(page, 10)
    page.reload()
    expect(page.get_by_role("heading", name="Rate a few movies you know")).to_have_count(0)
    picks = page.locator("#picks")
    expect(picks.get_by_text(re.compile("^For you: ")).first).to_be_visible()
    expect(picks.get_by_text(re.compile("^Because you rated ")).first).to_be_visible()
    _shoot(browser, page, "home-personalized")

    before = _pick_hrefs(page)
    first = page.locator("#picks section").first.locator("article").first
    first.get_by_role("button", name="Rate 1 star", exact=True).click()
    # The card stays under the pointer, marked rated, until the person asks for new picks.
    expect(first.locator(".rating-status")).to_have_text("Rated 1 star.")
    expect(first.locator("h3 a")).to_have_attribute("href", before[0])
    page.screenshot(path=SHOTS / "home-rated-in-picks-laptop.png")
    page.get_by_role("button", name="Show updated picks").click()
    expect(
        page.locator("#picks section").first.locator("article h3 a").first
    ).not_to_have_attribute("href", before[0])
    expect(page.get_by_role("heading", name="Top picks for you")).to_be_focused()
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


@pytest.mark.parametrize(
    ("failure", "message"),
    [
        ("500", "something went wrong on our side (error 500)"),
        ("network", "the server could not be reached"),
    ],
)
def test_a_failed_rating_says_so_in_the_widget_and_can_be_tried_again(
    browser, live_server, member, catalog, refresh_calls, failure, message
):
    page = signed_in_context(browser, live_server.url, member, viewport=LAPTOP).new_page()
    page.goto(f"{live_server.url}/movies/5/")
    widget = page.locator("#rating-5")

    def fail(route):
        if failure == "500":
            route.fulfill(status=500, body="Internal Server Error")
        else:
            route.abort("connectionrefused")

    page.route("**/movies/5/rating/", fail)
    widget.get_by_role("button", name="Rate 4 stars", exact=True).click()
    alert = widget.get_by_role("alert")
    expect(alert).to_contain_text(f"Your rating was not saved: {message}")
    assert not Rating.objects.filter(user=member, movie_id=5).exists()

    page.unroute("**/movies/5/rating/")
    alert.get_by_role("button", name="Try again").click()
    expect(widget.locator(".rating-status")).to_have_text("Rated 4 stars.")
    expect(widget.get_by_role("alert")).to_have_count(0)
    assert Rating.objects.get(user=member, movie_id=5).stars == 4


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

    page.get_by_role("link", name="Retrain now").click()
    expect(page.get_by_role("heading", name="Retrain the model now?")).to_be_visible()
    page.get_by_role("button", name="Start training").click()
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


def test_a_newcomer_picks_groups_then_steers_the_picks(browser, live_server, worker):
    """Onboarding by groups, then the levers beside the stars: hide a pick, put one on the
    watchlist, turn the popularity dial; each shows at once, with screenshots."""
    page = browser.new_context(viewport=LAPTOP).new_page()
    sign_up(page, live_server.url, "steerer")
    groups = page.locator("input[type=checkbox]")
    expect(page.get_by_role("heading", name=re.compile("Pick what you like"))).to_be_visible()
    groups.first.check()
    page.get_by_role("button", name="Save my groups").click()
    # Reloading while the save is in flight would cancel it: wait for its answer.
    expect(page.locator("#announcer")).to_have_text(re.compile("^Your groups are saved"))
    page.reload()
    expect(groups.first).to_be_checked()
    picks = page.locator("#picks")
    expect(picks.get_by_text(re.compile("^For you: ")).first).to_be_visible()
    expect(
        picks.get_by_text(re.compile("^Because you picked the group with ")).first
    ).to_be_visible()
    _shoot(browser, page, "onboarding-groups")

    first = page.locator("#picks section").first.locator("article").nth(0)
    second = page.locator("#picks section").first.locator("article").nth(1)
    hidden, wanted = first.locator("h3 a").inner_text(), second.locator("h3 a").inner_text()
    hidden_href = first.locator("h3 a").get_attribute("href")
    first.get_by_role("button", name=f"Not interested in {hidden}").click()
    expect(first.get_by_role("button", name=f"Undo not interested in {hidden}")).to_be_visible()
    watch = second.get_by_role("button", name=f"Want to watch {wanted}")
    watch.click()
    expect(watch).to_have_attribute("aria-pressed", "true")
    page.get_by_role("button", name="Show updated picks").click()
    expect(page.locator(f'#picks article h3 a[href="{hidden_href}"]')).to_have_count(0)
    page.get_by_role("radio", name="Well known").check()
    expect(page.locator("#announcer")).to_have_text("Your picks now lean toward: Well known.")
    _shoot(browser, page, "home-steered")

    page.goto(f"{live_server.url}/hidden/")
    expect(page.get_by_text(hidden).first).to_be_visible()
    page.goto(f"{live_server.url}/watchlist/")
    expect(page.get_by_text(wanted).first).to_be_visible()
    _shoot(browser, page, "watchlist")
