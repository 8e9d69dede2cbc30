"""axe-core (bundled by axe-playwright-python) on every first-party page, in the light and
the dark colour scheme: no serious or critical violation, one h1 and no skipped heading
level (axe files those two as moderate; the site holds itself to them)."""

from itertools import pairwise

import pytest
from axe_playwright_python.sync_playwright import Axe

from catalog.services.ratings import rating_set
from catalog.services.steering import movie_hide, watchlist_add
from tests.people import person_create
from tests.web.helpers import signed_in_context

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
BLOCKING_IMPACTS = {"serious", "critical"}
MISSING = "/no-such-page/"
HEADING_RULES = {"page-has-heading-one", "heading-order"}
# The levels of the page's headings, in order (hidden ones too: screen readers list them).
HEADING_LEVELS = "() => [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => +h.tagName[1])"


@pytest.fixture
def people(trained, django_user_model):
    """A newcomer (onboarding), a member with picks, and staff; the model version trained."""
    member = person_create(django_user_model, "regular", age=25)
    for movie_id in range(1, 13):
        rating_set(user=member, movie_id=movie_id, stars=5 if movie_id % 4 == 1 else 2)
    # Marked cards on the watchlist, hidden and movie pages: the pressed and "Undo" states.
    watchlist_add(user=member, movie_id=20)
    watchlist_add(user=member, movie_id=21)
    movie_hide(user=member, movie_id=22)
    return {
        "visitor": None,
        "newcomer": person_create(django_user_model, "newcomer", age=35),
        "member": member,
        # A superuser holds the model permissions the retrain and activate pages need.
        "staff": person_create(django_user_model, "boss", age=45, is_staff=True, is_superuser=True),
        "version": trained,
    }


def _pages(version) -> list[tuple[str, str]]:
    run = version.training_run_id
    return [
        ("visitor", "/"),
        ("visitor", "/accounts/signup/"),
        ("visitor", "/accounts/login/"),
        ("visitor", "/accounts/password/reset/"),
        ("visitor", "/movies/"),
        ("visitor", "/movies/1/"),
        ("visitor", MISSING),
        ("newcomer", "/"),
        ("member", "/"),
        ("member", "/movies/?genre=Sci-Fi&sort=rating"),
        ("member", "/movies/1/"),
        ("member", "/ratings/"),
        ("member", "/watchlist/?sort=predicted"),
        ("member", "/hidden/"),
        ("member", "/movies/22/"),
        ("member", "/accounts/profile/"),
        ("member", "/accounts/password/"),
        ("staff", "/staff/training/"),
        ("staff", f"/staff/training/runs/{run}/"),
        ("staff", "/staff/training/retrain/"),
        ("staff", f"/staff/training/versions/{version.pk}/activate/"),
    ]


def _problems(page) -> list[str]:
    results = Axe().run(page).response
    problems = [
        f"{violation['id']} ({violation['impact']}): {violation['help']}\n    "
        + "\n    ".join(f"{node['target']} {node['html'][:160]}" for node in violation["nodes"])
        for violation in results["violations"]
        if violation["impact"] in BLOCKING_IMPACTS or violation["id"] in HEADING_RULES
    ]
    levels = page.evaluate(HEADING_LEVELS)
    if levels.count(1) != 1:
        problems.append(f"{levels.count(1)} h1 elements: a page has exactly one")
    skips = [(a, b) for a, b in pairwise(levels) if b > a + 1]
    if skips:
        problems.append(f"heading levels skip: {skips} in {levels}")
    return problems


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_passes_axe(browser, live_server, people, scheme):
    contexts = {}
    failures = []
    for who, path in _pages(people["version"]):
        if who not in contexts:
            options = {"color_scheme": scheme, "viewport": {"width": 1280, "height": 800}}
            contexts[who] = (
                browser.new_context(**options)
                if people[who] is None
                else signed_in_context(browser, live_server.url, people[who], **options)
            )
        page = contexts[who].new_page()
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == (404 if path == MISSING else 200), f"{who} {path}"
        failures += [f"{who} {path}: {problem}" for problem in _problems(page)]
        page.close()

    assert not failures, f"{len(failures)} accessibility problems ({scheme}):\n" + "\n".join(
        failures
    )
