"""docker-compose.yml (there is no Docker engine here): structure, waits, scripts, and
what compose makes of it for a given environment (its interpolation, in compose_env)."""

import os
import re

import pytest
import yaml

from tests.deploy.compose_env import MissingVariableError, interpolate
from tests.deploy.conftest import ROOT

APP_SERVICES = {"init", "web", "worker", "trainer", "beat"}
INFRA_SERVICES = {"postgres", "redis", "etcd", "minio", "milvus"}
# What a deployment must choose itself: compose refuses to start without any of them.
SECRETS = {
    "SECRET_KEY": "k3Vq-compose-test-key-that-is-long-and-varied-0123456789",
    "POSTGRES_PASSWORD": "pg-Secret-1",
    "REDIS_PASSWORD": "redis-Secret-2",
    "MINIO_ROOT_PASSWORD": "minio-Secret-3",
}


def _env_example() -> dict[str, str]:
    lines = (ROOT / ".env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if re.match(r"^\w+=", line))


@pytest.fixture
def deployed(compose) -> dict:
    """The file as compose reads it with .env.example's values and the secrets filled in."""
    return interpolate(compose, {**_env_example(), **SECRETS})


def test_it_names_every_service(compose):
    assert set(compose["services"]) == APP_SERVICES | INFRA_SERVICES


def test_app_services_share_one_image(compose):
    services = compose["services"]
    images = {services[name]["image"] for name in APP_SERVICES}
    builds = {services[name]["build"] for name in APP_SERVICES}

    assert images == {"movierec:local"}
    assert builds == {"."}


@pytest.mark.parametrize("name", sorted(INFRA_SERVICES | {"web", "worker", "beat"}))
def test_long_running_services_have_a_healthcheck(compose, name):
    healthcheck = compose["services"][name]["healthcheck"]

    assert healthcheck["test"][0] in {"CMD", "CMD-SHELL"}
    assert healthcheck["interval"]
    assert healthcheck["retries"]


def test_every_dependency_exists_and_can_be_waited_for(compose):
    services = compose["services"]
    for name, service in services.items():
        for target, rule in service.get("depends_on", {}).items():
            assert target in services, f"{name} depends on unknown {target}"
            if rule["condition"] == "service_healthy":
                assert "healthcheck" in services[target], f"{name} waits on {target}"
            else:
                assert rule["condition"] == "service_completed_successfully"
                assert services[target]["restart"] == "no", f"{target} must be one-shot"


@pytest.mark.parametrize(
    ("name", "needs"),
    [
        ("init", {"postgres", "redis"}),
        ("web", {"postgres", "redis", "init"}),
        ("worker", {"postgres", "redis", "milvus", "init"}),
        ("trainer", {"postgres", "redis", "milvus", "init"}),
        ("beat", {"redis", "init"}),
        ("milvus", {"etcd", "minio"}),
    ],
)
def test_each_service_waits_for_what_it_needs(compose, name, needs):
    assert set(compose["services"][name]["depends_on"]) == needs


def test_every_named_volume_is_declared_and_used(compose):
    declared = set(compose["volumes"])
    used = {
        mount.split(":")[0]
        for service in compose["services"].values()
        for mount in service.get("volumes", [])
        if not mount.startswith(("/", ".", "$"))
    }

    assert used == declared
    assert {"postgres-data", "redis-data", "etcd-data", "minio-data", "milvus-data"} <= used


@pytest.mark.parametrize("name", sorted(APP_SERVICES))
def test_app_services_reach_the_compose_services_with_their_passwords(deployed, name):
    environment = deployed["services"][name]["environment"]

    assert environment["MILVUS_URI"] == "http://milvus:19530"
    assert environment["REDIS_URL"] == f"redis://:{SECRETS['REDIS_PASSWORD']}@redis:6379/0"
    assert environment["DATABASE_URL"] == (
        f"postgres://movierec:{SECRETS['POSTGRES_PASSWORD']}@postgres:5432/movierec"
    )
    assert environment["MOVIEREC_ENV"] == "production"
    assert environment["SECRET_KEY"] == SECRETS["SECRET_KEY"]


def test_the_stores_take_their_passwords_from_the_environment(deployed):
    services = deployed["services"]
    redis = services["redis"]
    milvus = services["milvus"]["environment"]
    minio = services["minio"]["environment"]

    assert services["postgres"]["environment"]["POSTGRES_PASSWORD"] == SECRETS["POSTGRES_PASSWORD"]
    assert (
        redis["command"][redis["command"].index("--requirepass") + 1] == (SECRETS["REDIS_PASSWORD"])
    )
    # redis-cli reads REDISCLI_AUTH: the healthcheck's ping must authenticate.
    assert redis["environment"]["REDISCLI_AUTH"] == SECRETS["REDIS_PASSWORD"]
    assert minio["MINIO_ROOT_PASSWORD"] == SECRETS["MINIO_ROOT_PASSWORD"]
    # Milvus reads minio.accessKeyID / secretAccessKey from these (its env names drop the
    # dots and underscores and ignore case).
    assert milvus["MINIO_ACCESS_KEY_ID"] == minio["MINIO_ROOT_USER"]
    assert milvus["MINIO_SECRET_ACCESS_KEY"] == SECRETS["MINIO_ROOT_PASSWORD"]


@pytest.mark.parametrize("secret", sorted(SECRETS))
@pytest.mark.parametrize("given", [None, ""], ids=["unset", "empty"])
def test_compose_refuses_to_start_without_each_secret(compose, secret, given):
    env = {**_env_example(), **SECRETS}
    del env[secret]
    if given is not None:
        env[secret] = given

    with pytest.raises(MissingVariableError, match=rf"{secret} .*set {secret} in \.env"):
        interpolate(compose, env)


def test_env_example_ships_no_password():
    """`cp .env.example .env` alone must not start a deployment with known credentials."""
    example = _env_example()

    assert {name: example[name] for name in SECRETS} == dict.fromkeys(SECRETS, "")


def test_no_password_has_a_default_in_the_compose_file():
    text = (ROOT / "docker-compose.yml").read_text()
    references = re.findall(r"\$\{(\w*(?:PASSWORD|SECRET)\w*)(:?[-?+]?)([^}]*)\}", text)
    defaults = [(name, arg) for name, op, arg in references if op.endswith("-") and arg]

    assert references
    assert defaults == []
    assert "minioadmin" not in text


def test_the_web_port_is_published_on_loopback_unless_told_otherwise(compose):
    env = {**_env_example(), **SECRETS}
    env.pop("WEB_BIND", None)

    default = interpolate(compose, env)["services"]["web"]["ports"]
    public = interpolate(compose, {**env, "WEB_BIND": "0.0.0.0"})["services"]["web"]["ports"]

    assert default == ["127.0.0.1:8000:8000"]
    assert public == ["0.0.0.0:8000:8000"]


def test_only_the_web_port_is_published(compose):
    published = {name for name, service in compose["services"].items() if "ports" in service}

    assert published == {"web"}


def test_milvus_runs_standalone_on_etcd_and_minio(compose):
    milvus = compose["services"]["milvus"]

    assert milvus["command"] == ["milvus", "run", "standalone"]
    assert milvus["environment"]["ETCD_ENDPOINTS"] == "etcd:2379"
    assert milvus["environment"]["MINIO_ADDRESS"] == "minio:9000"
    assert "http://localhost:9091/healthz" in milvus["healthcheck"]["test"]


def test_images_are_pinned(compose):
    for name in INFRA_SERVICES:
        image = compose["services"][name]["image"]
        assert re.search(r":(v?\d|RELEASE\.)", image), f"{name}: {image} is not pinned"


def test_worker_can_be_scaled(compose):
    worker = compose["services"]["worker"]

    assert "container_name" not in worker
    assert "hostname" not in worker
    assert "ports" not in worker


def test_queues_are_split_between_worker_and_trainer():
    worker = (ROOT / "compose" / "worker").read_text()
    trainer = (ROOT / "compose" / "trainer").read_text()

    assert "--queues celery" in worker
    assert "--pool prefork" in worker
    assert "--queues training" in trainer
    assert "--pool solo" in trainer


def _start_scripts(compose: dict) -> set[str]:
    commands = [s.get("command") for s in compose["services"].values()]
    return {c[0] for c in commands if isinstance(c, list) and c[0].startswith("/app/")}


def test_every_start_script_exists_and_is_executable(compose):
    scripts = _start_scripts(compose)
    scripts.add(compose["services"]["web"]["healthcheck"]["test"][1])

    assert len(scripts) == 6
    for script in scripts:
        path = ROOT / script.removeprefix("/app/")
        assert path.is_file(), script
        assert os.access(path, os.X_OK), f"{script} is not executable"


@pytest.mark.parametrize("script", ["web", "worker", "trainer", "beat"])
def test_long_running_start_scripts_exec_their_process(script):
    text = (ROOT / "compose" / script).read_text()

    assert text.startswith("#!/bin/sh\n")
    assert "set -eu" in text
    assert re.search(r"^exec (gunicorn|celery) ", text, re.MULTILINE)


def test_the_movielens_folder_override_mounts_into_init():
    override = yaml.safe_load((ROOT / "compose" / "movielens-folder.yml").read_text())
    init = override["services"]["init"]

    assert init["environment"]["MOVIELENS_DIR"] == "/movielens"
    assert init["volumes"][0].endswith(":/movielens:ro")


def test_every_variable_compose_reads_is_documented_in_env_example():
    used = set(re.findall(r"\$\{(\w+)", (ROOT / "docker-compose.yml").read_text()))
    documented = set(re.findall(r"^(\w+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))

    assert used - documented == set()
