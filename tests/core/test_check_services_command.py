from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_it_names_the_unreachable_service_and_how_to_start_it(settings):
    settings.MILVUS_URI = "http://127.0.0.1:9"  # the discard port: nothing answers there
    out = StringIO()

    with pytest.raises(CommandError, match="Not reachable: milvus"):
        call_command("check_services", stdout=out)

    text = out.getvalue()
    assert "ok   postgresql" in text
    assert "ok   redis" in text
    assert "DOWN milvus" in text
    assert "make milvus" in text


def test_redis_down_is_reported(settings):
    settings.REDIS_URL = "redis://127.0.0.1:9/0"
    settings.MILVUS_URI = "http://127.0.0.1:9"
    out = StringIO()

    with pytest.raises(CommandError, match="redis, milvus"):
        call_command("check_services", stdout=out)
