import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.mark.postgresql
def test_french_unaccent_configuration_folds_accents_and_stems():
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('french_unaccent', 'Réussite éducative des élèves')::text")
        vector = cursor.fetchone()[0]
        cursor.execute("SELECT extname FROM pg_extension WHERE extname IN ('unaccent', 'pg_trgm') ORDER BY extname")
        extensions = [row[0] for row in cursor.fetchall()]
    assert "'reussit'" in vector and "'educ'" in vector and "'elev'" in vector
    assert extensions == ["pg_trgm", "unaccent"]


@pytest.mark.postgresql
def test_the_search_table_keeps_a_narrow_heap():
    """Texts and vectors out of line (a 15 MB heap at 100,000 cases), GIN indexes on the three vectors."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'initiatives_searchdocument'")
        options = cursor.fetchone()[0]
        cursor.execute(
            "SELECT attname, attstorage FROM pg_attribute WHERE attrelid = 'initiatives_searchdocument'::regclass"
            " AND attname IN ('vector', 'strong_vector', 'title_vector')"
        )
        storage = dict(cursor.fetchall())
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'initiatives_searchdocument'")
        indexes = {row[0] for row in cursor.fetchall()}
    assert "toast_tuple_target=128" in options
    assert storage == {"vector": "x", "strong_vector": "x", "title_vector": "x"}
    assert {f"searchdocument_{name}_gin" for name in ("vector", "strong_vector", "title_vector")} <= indexes


@pytest.mark.skipif(connection.vendor == "postgresql", reason="vérifie le no-op SQLite")
def test_search_migration_is_a_no_op_on_sqlite():
    """Applied again on SQLite with the SQL collected instead of run: not one statement."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connection)
    key = ("initiatives", "0002_search_configuration")
    assert key in loader.applied_migrations
    state = loader.project_state(("initiatives", "0001_initial"), at_end=False)
    editor = connection.schema_editor(collect_sql=True, atomic=False)  # not entered: nothing runs, SQL is kept
    loader.graph.nodes[key].apply(state, editor)
    assert editor.collected_sql == []
