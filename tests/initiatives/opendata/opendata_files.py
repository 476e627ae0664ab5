"""Download the open-data package through real HTTP into a folder, as a reuser would, and validate it."""

import csv
import io
import json

import frictionless


def download(client, directory):
    """Every file the package lists, saved under its own path beside ``datapackage.json``; the package."""
    response = client.get("/donnees/datapackage.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    package = response.json()
    for resource in package["resources"]:
        file = client.get(f"/donnees/{resource['path']}")
        assert file.status_code == 200, resource["path"]
        (directory / resource["path"]).write_bytes(file.content)
    (directory / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
    return package


def validate(directory):
    return frictionless.validate(str(directory / "datapackage.json"))


def errors(report):
    """(resource, error type) of each error of a report."""
    return sorted(
        {(task.name, error.type) for task in report.tasks for error in task.errors}
        | {("", error.type) for error in report.errors}
    )


def rows(directory, name):
    """The header and the rows of a CSV file of the package, read as its dialect says."""
    text = (directory / f"{name}.csv").read_bytes().decode("utf-8")
    assert text.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    return lines[0], lines[1:]
