"""The published contract: a valid OpenAPI schema, local docs, the error shape, CORS."""

import re

import pytest
import yaml
from django.core.management import call_command

from tests.api.helpers import error_of


@pytest.mark.django_db
def test_the_schema_validates_without_warnings(tmp_path):
    path = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))

    schema = yaml.safe_load(path.read_text())
    assert schema["openapi"].startswith("3.")
    assert all(p.startswith("/api/v1/") for p in schema["paths"])


@pytest.mark.django_db
def test_every_operation_documents_the_error_shape_for_its_4xx(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    error_ref = "#/components/schemas/Error"

    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            errors = {code for code in operation["responses"] if code.startswith("4")}
            assert {"400", "401", "429"} <= errors, (method, path)
            for code in errors:
                content = operation["responses"][code]["content"]["application/json"]
                assert content["schema"]["$ref"] == error_ref, (method, path, code)


@pytest.mark.django_db
def test_swagger_ui_is_served_without_a_cdn(client):
    page = client.get("/api/docs/").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)

    assert any(asset.endswith("swagger-ui-bundle.js") for asset in assets)
    assert all(asset.startswith("/static/") for asset in assets), assets
    assert all(client.get(asset).status_code == 200 for asset in assets)


@pytest.mark.django_db
def test_an_unsupported_media_type_is_a_415_in_the_error_shape(anonymous):
    response = anonymous.post("/api/v1/auth/register/", "x=1", content_type="text/plain")

    assert response.status_code == 415
    assert error_of(response)["code"] == "unsupported_media_type"


@pytest.mark.django_db
def test_malformed_json_is_a_400_in_the_error_shape(anonymous):
    response = anonymous.post(
        "/api/v1/auth/register/", "{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert error_of(response)["code"] == "parse_error"


@pytest.mark.django_db
def test_cors_is_off_by_default(anonymous):
    response = anonymous.get("/api/v1/movies/", HTTP_ORIGIN="https://app.example")

    assert "Access-Control-Allow-Origin" not in response


@pytest.mark.django_db
def test_cors_allows_configured_origins_on_the_api(anonymous, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example"]

    response = anonymous.get("/api/v1/movies/", HTTP_ORIGIN="https://app.example")

    assert response["Access-Control-Allow-Origin"] == "https://app.example"


@pytest.mark.parametrize("path", ["/api/v1/nothing/", "/api/v2/movies/", "/api/v1/movies"])
@pytest.mark.django_db
def test_an_unknown_api_route_is_a_json_404(anonymous, path):
    response = anonymous.post(path, {}, format="json")

    assert response.status_code == 404
    assert path in error_of(response)["message"]
