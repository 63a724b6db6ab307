"""The API as schemathesis sees it: every operation of /api/openapi.json, with generated valid and
invalid input, against the real app with an archivist's token, under every check it has."""

import shutil

import pytest
import schemathesis
from helpers import add_accounts
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi import checks as openapi_checks

from searchapp import create_app

EXAMPLES = 15  # per operation: bounded, so the suite stays quick
CHECKS = [schemathesis.checks.not_a_server_error, openapi_checks.status_code_conformance,
          openapi_checks.content_type_conformance, openapi_checks.response_headers_conformance,
          openapi_checks.response_schema_conformance, openapi_checks.negative_data_rejection,
          openapi_checks.positive_data_acceptance, openapi_checks.missing_required_header,
          openapi_checks.unsupported_method, openapi_checks.use_after_free,
          openapi_checks.ensure_resource_availability, openapi_checks.ignored_auth]

# A schema cannot say which bytes make a readable file: an unreadable upload is a 422, a CSV of
# queries without one query a 400, and rightly.
CONFIG = schemathesis.config.SchemathesisConfig.from_str("""
[[operations]]
include-path = "/api/documents"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422", "429"]

[[operations]]
include-path = "/api/batch-search"
checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "401", "403", "404", "409", "429"]
""")


@pytest.fixture(scope="module")
def api(demo_paths, tmp_path_factory):
    root = tmp_path_factory.mktemp("schemathesis")
    db, index = root / "store.db", root / "index"  # it writes: a copy of the demo archive
    shutil.copy(demo_paths["DB"], db)
    shutil.copytree(demo_paths["INDEX_DIR"], index)
    add_accounts(str(db))
    app = create_app({"DB": str(db), "INDEX_DIR": str(index), "RATE_ANON_PER_MIN": 10**9,
                      "RATE_TOKEN_PER_MIN": 10**9})
    token = app.extensions["searchapp"].users.create_token("ada")[1]
    yield app, token
    app.extensions["searchapp"].close()


def test_every_operation_under_every_check(api):
    app, token = api
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app, config=CONFIG)
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                  database=None)
        def check(case):
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

        try:
            check()
        except Exception as exc:  # every failure of every operation, reported together
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    assert not failures, "\n\n".join(failures)
