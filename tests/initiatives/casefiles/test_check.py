"""Reading a fixture file that is not YAML in UTF-8: a message that names the file and the line, never a
traceback; and the fast (libyaml) parser reads every real fixture exactly as PyYAML's own parser does."""

from pathlib import Path

import pytest
import yaml

from initiatives.casefiles.check import SAFE_LOADER, UnreadableFile, load_yaml, main

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"
BROKEN = {
    "quote.yaml": (
        '- slug: a\n  title: "pas fermé\n  themes: [a]\n',
        "YAML illisible ligne 4, colonne 1 : found unexpected end of stream (while scanning a quoted scalar, ligne 2)",
    ),
    "indent.yaml": (
        "- slug: a\n  title: x\n themes: [a]\n",
        "YAML illisible ligne 3, colonne 2 : did not find expected '-' indicator "
        "(while parsing a block collection, ligne 1)",
    ),
    "latin1.yaml": ("- slug: a\n  title: café\n".encode("latin-1"), "le fichier n'est pas en UTF-8 (octet 23)"),
}


@pytest.mark.parametrize("name", BROKEN)
def test_an_unreadable_file_is_named_with_its_line(tmp_path, name, capsys):
    content, message = BROKEN[name]
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    with pytest.raises(UnreadableFile) as refused:
        load_yaml(path)
    assert str(refused.value) == f"{path} : {message}"
    assert main([str(path)]) == 1  # the checker prints it and fails, without a traceback
    assert capsys.readouterr().out == f"{path} : {message}\n"


def test_the_fast_parser_reads_every_fixture_as_pyyaml_does():
    assert SAFE_LOADER is yaml.CSafeLoader  # PyYAML's wheels are built with libyaml
    files = sorted(FIXTURES.rglob("*.yaml"))
    assert len(files) >= 15
    for path in files:
        with open(path, encoding="utf-8") as fh:
            assert load_yaml(path) == yaml.load(fh, Loader=yaml.SafeLoader), path
