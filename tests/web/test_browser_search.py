"""The header search box in a real browser: suggestions appear as one types and lead to the
movie; Enter searches the list."""

import pytest
from playwright.sync_api import expect

from tests.titled_movies import titled_movies_create

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_suggestions_forgive_a_typo_and_lead_to_the_movie(browser, live_server):
    titled_movies_create()
    page = browser.new_page()
    page.goto(f"{live_server.url}/movies/")

    page.get_by_label("Search titles").fill("matirx")
    suggestions = page.locator("#site-search-suggestions")
    suggestion = suggestions.get_by_role("link", name="The Matrix (1999)")
    expect(suggestion).to_be_visible()
    expect(page.locator("#site-search-status")).to_contain_text("suggested")
    suggestion.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("The Matrix (1999)")


def test_enter_searches_the_movie_list(browser, live_server):
    titled_movies_create()
    page = browser.new_page()
    page.goto(live_server.url)

    page.get_by_label("Search titles").fill("amelie")
    page.get_by_label("Search titles").press("Enter")

    expect(page).to_have_url(f"{live_server.url}/movies/?q=amelie")
    expect(page.locator(".movie-card h3").first).to_have_text(
        "Amélie (Le Fabuleux destin d'Amélie Poulain) (2001)"
    )
