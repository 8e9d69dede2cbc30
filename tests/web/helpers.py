import re

from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

CARD_LINK = re.compile(r'<h3><a href="/movies/(\d+)/">')


def card_movie_ids(html: str) -> list[int]:
    """The movies shown as cards, in page order (headings such as "Because you rated X"
    link to a movie too, but are not cards)."""
    return [int(movie_id) for movie_id in CARD_LINK.findall(html)]


def section(html: str, heading_id: str) -> str:
    """The page from a section's heading to the next section."""
    start = html.index(f'id="{heading_id}"')
    end = html.find("<section", start)
    return html[start : end if end != -1 else len(html)]


def signed_in_context(browser, base_url: str, user, **options):
    """A Playwright browser context already signed in as `user` (a session made by Django's
    test client), for pages that are not about signing in."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(**options)
    cookie = settings.SESSION_COOKIE_NAME
    context.add_cookies([{"name": cookie, "value": client.cookies[cookie].value, "url": base_url}])
    return context


def sign_up(page, base: str, username: str) -> None:
    """Sign up through the form, choosing every answer by its label (the form's values and
    its extra fields may change; what a person reads is what they pick)."""
    page.goto(f"{base}/accounts/signup/")
    page.get_by_label("Username").fill(username)
    page.get_by_label(re.compile("^Password")).fill("popcorn-and-long-words-7")
    page.get_by_label("Gender").select_option(label="Female")
    page.get_by_label("Age bracket").select_option(label="25-34")
    page.get_by_label("Occupation").select_option(label="programmer")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Rate a few movies you know")).to_be_visible()


def rate_onboarding(page, count: int) -> None:
    """Rate `count` onboarding cards (Sci-Fi 5 stars, the rest 2), checking each time that
    focus stays on the star and the status is announced, until the picks reload."""
    cards = page.locator(".onboarding article.movie-card")
    for i in range(count):
        card = cards.nth(i)
        stars = 5 if "Sci-Fi" in card.locator(".meta").first.inner_text() else 2
        star = card.get_by_role("button", name=f"Rate {stars} stars", exact=True)
        star.click()
        expect(card.locator(".rating-status")).to_have_text(f"Rated {stars} stars.")
        expect(star).to_be_focused()
        expect(page.locator("#announcer")).to_have_text(re.compile(f": Rated {stars} stars.$"))
    expect(page.locator(".progress-note")).to_have_count(0)  # the picks section reloaded
