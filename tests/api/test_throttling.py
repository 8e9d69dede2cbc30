import pytest

from tests.api.helpers import error_of
from tests.people import PASSWORD

TOKEN = "/api/v1/auth/token/"
REGISTER = "/api/v1/auth/register/"
WRONG = "not-the-password"


@pytest.fixture
def without_drf_throttles(throttle_rates):
    """DRF's per-minute throttles out of the way: these tests are about the log-in limits."""
    throttle_rates(auth="10000/minute", anon="10000/minute", user="10000/minute")


def _token(client, username: str, password: str, **headers) -> int:
    body = {"username": username, "password": password}
    return client.post(TOKEN, body, format="json", **headers).status_code


def test_token_requests_hit_the_stricter_auth_rate(anonymous, user, throttle_rates):
    throttle_rates(auth="3/minute", anon="100/minute")
    wrong = {"username": "ada", "password": "guess"}
    statuses = [anonymous.post(TOKEN, wrong, format="json").status_code for _ in range(3)]

    throttled = anonymous.post(TOKEN, {"username": "ada", "password": PASSWORD}, format="json")

    assert statuses == [401, 401, 401]
    assert throttled.status_code == 429
    error = error_of(throttled)
    assert error["code"] == "throttled"
    assert 0 < error["extra"]["retry_after"] <= 60
    assert int(throttled["Retry-After"]) > 0


@pytest.mark.django_db
def test_register_shares_the_auth_rate(anonymous, throttle_rates):
    throttle_rates(auth="1/minute", anon="100/minute")
    anonymous.post("/api/v1/auth/register/", {}, format="json")

    assert anonymous.post("/api/v1/auth/register/", {}, format="json").status_code == 429


def test_anonymous_clients_are_throttled(anonymous, movies, throttle_rates):
    throttle_rates(anon="2/minute")

    statuses = [anonymous.get("/api/v1/movies/").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_each_authenticated_client_has_its_own_budget(as_user, as_other, movies, throttle_rates):
    throttle_rates(user="2/minute")

    mine = [as_user.get("/api/v1/ratings/").status_code for _ in range(3)]
    theirs = as_other.get("/api/v1/ratings/").status_code

    assert (mine, theirs) == ([200, 200, 429], 200)


def test_a_made_up_forwarded_for_header_gets_no_new_budget(anonymous, movies, throttle_rates):
    # No proxy is trusted by default (NUM_PROXIES=0): the header is the client's own claim.
    throttle_rates(anon="2/minute")

    statuses = [
        anonymous.get("/api/v1/movies/", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code
        for i in range(3)
    ]

    assert statuses == [200, 200, 429]


def test_behind_one_proxy_the_address_it_saw_is_the_client(
    anonymous, movies, throttle_rates, settings
):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    throttle_rates(anon="2/minute")

    # The proxy appends the address it saw; what the client wrote before it is made up.
    same_client = [
        anonymous.get(
            "/api/v1/movies/", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}, 203.0.113.7"
        ).status_code
        for i in range(3)
    ]
    another_client = anonymous.get("/api/v1/movies/", HTTP_X_FORWARDED_FOR="203.0.113.8")

    assert same_client == [200, 200, 429]
    assert another_client.status_code == 200


@pytest.mark.usefixtures("without_drf_throttles")
def test_token_answers_429_after_a_handful_of_failures_for_one_account(anonymous, user):
    failures = [_token(anonymous, "ada", WRONG) for _ in range(5)]

    refused = anonymous.post(TOKEN, {"username": "ada", "password": PASSWORD}, format="json")

    assert failures == [401] * 5
    assert refused.status_code == 429
    error = error_of(refused)
    assert error["code"] == "throttled"
    assert error["message"] == "Too many failed attempts: try again in 15 minutes."
    assert 0 < int(refused["Retry-After"]) <= 15 * 60
    assert 0 < error["extra"]["retry_after"] <= 15 * 60


@pytest.mark.usefixtures("without_drf_throttles")
def test_an_accounts_failures_count_whatever_address_they_come_from(anonymous, user):
    for i in range(5):
        assert _token(anonymous, "ada", WRONG, REMOTE_ADDR=f"10.0.0.{i}") == 401

    assert _token(anonymous, "ada", PASSWORD, REMOTE_ADDR="10.0.0.99") == 429


@pytest.mark.usefixtures("without_drf_throttles")
def test_failures_from_one_address_lock_it_for_every_account(anonymous, user):
    guesses = [_token(anonymous, f"nobody{i}", WRONG, REMOTE_ADDR="10.1.1.1") for i in range(20)]

    assert guesses == [401] * 20
    assert _token(anonymous, "ada", PASSWORD, REMOTE_ADDR="10.1.1.1") == 429
    assert _token(anonymous, "ada", PASSWORD, REMOTE_ADDR="10.1.1.2") == 200


@pytest.mark.usefixtures("without_drf_throttles")
def test_a_made_up_forwarded_for_does_not_reset_the_log_in_limit(anonymous, user):
    for i in range(20):
        assert _token(anonymous, f"nobody{i}", WRONG, HTTP_X_FORWARDED_FOR=f"198.51.100.{i}") == 401

    assert _token(anonymous, "ada", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.99") == 429


@pytest.mark.usefixtures("without_drf_throttles")
def test_behind_one_proxy_the_log_in_limit_keys_on_the_address_it_saw(anonymous, user, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    for i in range(20):
        seen = {"HTTP_X_FORWARDED_FOR": f"198.51.100.{i}, 203.0.113.7"}
        assert _token(anonymous, f"nobody{i}", WRONG, **seen) == 401

    assert _token(anonymous, "ada", PASSWORD, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7") == 429
    assert _token(anonymous, "ada", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.8") == 200


@pytest.mark.usefixtures("without_drf_throttles")
def test_a_right_password_forgets_the_accounts_failures(anonymous, user):
    rounds = [
        [_token(anonymous, "ada", WRONG) for _ in range(4)] + [_token(anonymous, "ada", PASSWORD)]
        for _ in range(2)
    ]

    assert rounds == [[401, 401, 401, 401, 200]] * 2


@pytest.mark.usefixtures("without_drf_throttles")
@pytest.mark.django_db
def test_register_is_limited_per_address(anonymous):
    def sign_up(i: int, address: str) -> int:
        body = {"username": f"newcomer{i}", "password": PASSWORD}
        return anonymous.post(REGISTER, body, format="json", REMOTE_ADDR=address).status_code

    statuses = [sign_up(i, "10.2.2.2") for i in range(11)]

    assert statuses == [201] * 10 + [429]
    assert sign_up(11, "10.2.2.3") == 201
