"""Pick what you like: the home page's groups for a newcomer, with and without htmx."""

from catalog.models import GroupPick


def test_a_newcomer_sees_labelled_groups_to_pick(trained, client, newcomer):
    client.force_login(newcomer)

    page = client.get("/").content.decode()

    assert "Pick what you like" in page
    assert 'type="checkbox" name="group" value="0" id="group-0"' in page
    assert '<label for="group-0">' in page


def test_without_javascript_picking_posts_and_comes_back(trained, client, newcomer, refresh_calls):
    client.force_login(newcomer)

    response = client.post("/onboarding/picks/", {"group": ["0", "2"]})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert GroupPick.objects.filter(user=newcomer).exists()
    page = client.get("/").content.decode()
    assert 'value="0" id="group-0"\n                 checked' in page
    assert "Your groups are saved" in page


def test_with_htmx_the_form_swaps_itself_and_the_picks_reload(
    trained, client, newcomer, refresh_calls
):
    client.force_login(newcomer)

    response = client.post("/onboarding/picks/", {"group": "1"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert response["HX-Trigger"] == "marked"
    body = response.content.decode()
    assert body.startswith("<form") or 'id="group-picks"' in body
    assert 'hx-swap-oob="innerHTML"' in body


def test_an_unknown_group_answers_in_place(trained, client, newcomer):
    client.force_login(newcomer)

    response = client.post("/onboarding/picks/", {"group": "99"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 400
    assert "There is no group 99." in response.content.decode()


def test_picking_needs_a_login(trained, client):
    assert client.post("/onboarding/picks/", {"group": "0"}).status_code == 302


def test_a_newcomers_cached_home_page_still_takes_two_queries(
    trained, client, newcomer, refresh_calls, django_assert_num_queries
):
    client.force_login(newcomer)
    client.post("/onboarding/picks/", {"group": "0"})
    client.get("/")  # shows the "saved" message: rendered for that request alone
    client.get("/")  # renders and caches the page, with the groups the picks seeded

    # The user, the list state: the groups and the picks are in the cached page.
    with django_assert_num_queries(2):
        assert client.get("/").status_code == 200
