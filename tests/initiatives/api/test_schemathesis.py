"""The OpenAPI document checked against the API's real answers by schemathesis (issue 13, finding 8).

Run on the WSGI application inside the test suite (no server, no network), on a base like the
demo's (``random_base``: 40 cases on a territory tree, themes, actors, citations), with every
built-in check of schemathesis, a fixed seed and a bounded number of examples per operation
(positive and negative data). 0 failures expected.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS, is_check_class, load_all_checks
from schemathesis.generation import GenerationMode
from schemathesis.python import wsgi

from initiatives.api.openapi import openapi
from initiatives.models import Initiative

pytestmark = pytest.mark.django_db

SEED = 20201117
MAX_EXAMPLES = 100
load_all_checks()
ALL_CHECKS = [check for check in CHECKS.get_all() if not is_check_class(check)]


def load_schema():
    """The document the API serves (``openapi()``: built without the database, so at collection
    time), bound to Django's WSGI application — not crpv_site.wsgi, which would turn on the web
    statement timeout for the rest of the test session (crpv_site.database)."""
    loaded = schemathesis.openapi.from_dict(openapi(server=f"http://{wsgi.HOST}"))
    loaded.app = get_wsgi_application()
    loaded.config.seed = SEED
    loaded.config.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        max_examples=MAX_EXAMPLES,
        deterministic=True,
        database="none",
    )
    # Whether a theme, a place, a centre, a tag or a territory slug exists depends on the data, not
    # on the document (it lists the values the code fixes as enums; the others are in `facets`):
    # a well-formed but unknown one is the documented 400 naming the parameter. Every other status
    # a schema-valid request may get is schemathesis's default list.
    acceptance = loaded.config.checks.positive_data_acceptance
    acceptance.expected_statuses = [*acceptance.expected_statuses, "400"]
    return loaded


schema = load_schema()


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():
    """As Django's test client does: the WSGI handler would close the connection at the end of each
    request (``close_old_connections``), inside the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
def test_api_answers_as_its_openapi_document_says(case, random_base):
    case.call_and_validate(checks=ALL_CHECKS)


def test_a_real_case_answers_as_documented(random_base):
    slug = Initiative.objects.published().first().slug
    operation = schema["/api/initiatives/{slug}/"]["GET"]
    response = operation.Case(path_parameters={"slug": slug}).call_and_validate(checks=ALL_CHECKS)
    assert response.status_code == 200
    assert response.json()["citations"]
