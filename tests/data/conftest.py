"""The real demo data, loaded once for every data test module."""

import json
from io import StringIO

import pytest
from django.core.management import call_command


def inventory():
    out = StringIO()
    call_command("inventory", "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker):
    """Load the demo data once for the data tests, and remove it afterwards."""
    with django_db_blocker.unblock():
        call_command("load_demo_data", stdout=StringIO())
        yield inventory()
        call_command("flush", "--noinput", verbosity=0)
