"""The open data of /donnees/ on the real base: every file a reuser downloads validates against datapackage.json."""

import json

import pytest

from initiatives.models import Citation, Initiative, Involvement
from tests.initiatives.opendata.opendata_files import download, errors, rows, validate

pytestmark = pytest.mark.django_db(transaction=False)


def test_the_package_of_the_real_base_validates(client, demo, tmp_path):
    package = download(client, tmp_path)
    report = validate(tmp_path)
    assert report.valid, errors(report)
    counted = {task.name: task.stats.get("rows") for task in report.tasks if task.type == "table"}
    published = demo["initiatives"]["by_status"]["published"]
    assert counted["initiatives"] == published == Initiative.objects.published().count()
    assert counted["citations"] == Citation.objects.filter(initiative__status="published").count()
    assert counted["implications"] == Involvement.objects.filter(initiative__status="published").count()
    assert counted["sources"] == 5
    cases = json.loads((tmp_path / "initiatives.json").read_text(encoding="utf-8"))
    assert cases["count"] == len(cases["results"]) == published
    for resource in package["resources"][:-1]:
        header, _ = rows(tmp_path, resource["name"])
        assert header == [field["name"] for field in resource["schema"]["fields"]], resource["name"]
