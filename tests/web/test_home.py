import pytest
from django.test import Client

from catalog.models import Rating
from recommender.services.feedback import rating_submit, watchlist_entry_set
from tests.web.helpers import card_movie_ids, section

pytestmark = pytest.mark.django_db


@pytest.fixture
def rate(django_capture_on_commit_callbacks, refresh_calls):
    """Rate as a request would: the commit hooks (new cache generation) run."""

    def rate(user, movie_ids, stars=5):
        with django_capture_on_commit_callbacks(execute=True):
            for movie_id in movie_ids:
                rating_submit(user=user, movie_id=movie_id, stars=stars)

    return rate


def test_visitors_see_popular_movies_and_a_sign_up_prompt(client, catalog):
    html = client.get("/").content.decode()

    assert 'href="/accounts/signup/"' in html
    assert "Popular right now" in html
    assert len(card_movie_ids(html)) == 24
    assert "Rate 1 star" not in html


def test_a_newcomer_is_offered_movies_to_rate_and_told_picks_are_popular_for_now(
    member_client, catalog
):
    html = member_client.get("/").content.decode()

    assert "Rate a few movies you know" in html
    assert len(card_movie_ids(section(html, "onboarding-heading"))) == 12
    assert "For now these are popular picks" in html
    assert "You have rated 0 movies. Rate 10 more" in " ".join(html.split())


def test_onboarding_ends_after_ten_ratings(member_client, member, catalog, rate):
    rate(member, range(1, 11))

    html = member_client.get("/").content.decode()

    assert "Rate a few movies you know" not in html
    assert "Rate 0 more" not in html


def test_picks_show_predicted_stars_and_the_reason(client, newcomer, trained, rate):
    rate(newcomer, [1, 5, 9, 13], stars=5)  # four Sci-Fi movies of the synthetic themes
    client.force_login(newcomer)

    html = client.get("/").content.decode()

    picks = section(html, "picks-heading")
    assert len(card_movie_ids(picks)) == 12
    assert "For you: " in picks
    assert "Because you rated " in picks
    assert "For now these are popular picks" not in html


def test_picks_are_grouped_by_the_movie_that_explains_them(client, newcomer, trained, rate):
    rate(newcomer, [1, 2, 3, 4, 5, 6], stars=5)
    client.force_login(newcomer)

    rows = client.get("/").context["because_rows"]

    assert rows
    for row in rows:
        assert len(row["items"]) > 1
        assert {item.because_movie_id for item in row["items"]} == {row["because"].pk}


def test_rows_name_the_watchlisted_movie_that_explains_them(
    client, newcomer, trained, refresh_calls
):
    for movie_id in (1, 5):  # two Sci-Fi movies of the synthetic themes
        watchlist_entry_set(user=newcomer, movie_id=movie_id, listed=True)
    client.force_login(newcomer)

    response = client.get("/")

    rows = response.context["because_rows"]
    assert rows
    assert {row["heading"] for row in rows} == {"Because you want to watch"}
    assert {row["because"].pk for row in rows} <= {1, 5}
    assert "Because you want to watch" in section(response.content.decode(), "picks-heading")


def test_rated_movies_never_appear_on_the_home_page(client, newcomer, trained, rate):
    client.force_login(newcomer)
    first = card_movie_ids(client.get("/").content.decode())
    rated = first[:8]
    rate(newcomer, rated, stars=4)

    shown = card_movie_ids(client.get("/").content.decode())

    assert shown
    assert not set(rated) & set(shown)


def test_the_home_list_follows_a_rating_on_the_next_view(
    client, newcomer, trained, refresh_calls, django_capture_on_commit_callbacks
):
    client.force_login(newcomer)
    before = card_movie_ids(section(client.get("/").content.decode(), "picks-heading"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/movies/{before[0]}/rating/", {"stars": "5"})

    after = card_movie_ids(section(client.get("/").content.decode(), "picks-heading"))

    assert before[0] not in after
    assert after != before


def test_popular_with_people_like_you_leaves_out_rated_and_shown(
    member_client, member, catalog, rate
):
    popular = member_client.get("/").context["popular_like_you"]
    rate(member, [movie.pk for movie in popular[:3]])

    context = member_client.get("/").context
    shown = {item.movie.pk for item in context["page"].items}
    again = {movie.pk for movie in context["popular_like_you"]}

    assert not again & {movie.pk for movie in popular[:3]}
    assert not again & shown


def test_the_picks_fragment_is_for_signed_in_people(member_client, catalog):
    assert Client().get("/home/picks/").status_code == 302

    html = member_client.get("/home/picks/").content.decode()

    assert html.lstrip().startswith('<div id="picks"')
    assert "<html" not in html


def test_another_persons_ratings_do_not_hide_movies_from_me(
    client, member, other_member, catalog, rate
):
    client.force_login(member)
    offered = card_movie_ids(section(client.get("/").content.decode(), "onboarding-heading"))
    rate(other_member, offered[:5])

    again = card_movie_ids(section(client.get("/").content.decode(), "onboarding-heading"))

    assert again[:5] == offered[:5]
    assert not Rating.objects.filter(user=member).exists()


def test_a_newcomers_home_never_shows_a_movie_twice(member_client, catalog):
    html = member_client.get("/").content.decode()

    shown = card_movie_ids(html)
    onboarding = card_movie_ids(section(html, "onboarding-heading"))
    assert onboarding
    assert len(shown) == len(set(shown))


def test_the_reloaded_picks_leave_out_the_onboarding_cards(member_client, catalog):
    home = member_client.get("/")
    onboarding = [movie.pk for movie in home.context["onboarding"]]
    hide = ",".join(map(str, onboarding))
    assert f'hx-get="/home/picks/?hide={hide}"' in home.content.decode()

    picks = card_movie_ids(member_client.get(f"/home/picks/?hide={hide}").content.decode())
    unfiltered = card_movie_ids(member_client.get("/home/picks/").content.decode())

    assert set(onboarding) & set(unfiltered)  # the popular fallback would repeat them
    assert picks
    assert not set(onboarding) & set(picks)


def test_the_home_page_has_one_h1(member_client, catalog):
    for page in (member_client.get("/"), Client().get("/")):
        assert page.content.decode().count("<h1") == 1


def test_top_picks_are_ordered_by_the_stars_they_show(client, newcomer, trained, rate):
    rate(newcomer, [1, 5, 9, 13], stars=5)
    client.force_login(newcomer)

    response = client.get("/")

    stars = [item.predicted_stars for item in response.context["top_picks"]]
    assert len(stars) == 12
    assert stars == sorted(stars, reverse=True)
    assert "highest predicted stars first" in response.content.decode()
    for row in response.context["because_rows"]:
        row_stars = [item.predicted_stars for item in row["items"]]
        assert row_stars == sorted(row_stars, reverse=True)


def test_a_rating_inside_the_picks_does_not_reload_them_under_the_pointer(member_client, catalog):
    html = member_client.get("/").content.decode()

    picks_tag = html[html.index('<div id="picks"') :].split(">", 1)[0]
    assert 'hx-trigger="rated from:.onboarding' in picks_tag
    assert '<div class="picks-stale" hidden>' in html
