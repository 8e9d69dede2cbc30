"""docker-compose.yml (there is no Docker engine here): structure, waits, scripts."""

import os
import re

import pytest
import yaml

from tests.deploy.conftest import ROOT

APP_SERVICES = {"init", "web", "worker", "trainer", "beat"}
INFRA_SERVICES = {"postgres", "redis", "etcd", "minio", "milvus"}


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


def test_app_services_reach_the_compose_services(compose):
    environment = compose["services"]["web"]["environment"]

    assert environment["MILVUS_URI"] == "http://milvus:19530"
    assert environment["REDIS_URL"] == "redis://redis:6379/0"
    assert "@postgres:5432/movierec" in environment["DATABASE_URL"]
    assert environment["MOVIEREC_ENV"] == "production"
    assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?")


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
