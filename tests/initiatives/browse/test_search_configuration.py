import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="configuration de recherche propre à PostgreSQL")
def test_french_unaccent_configuration_folds_accents_and_stems():
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('french_unaccent', 'Réussite éducative des élèves')::text")
        vector = cursor.fetchone()[0]
        cursor.execute("SELECT extname FROM pg_extension WHERE extname IN ('unaccent', 'pg_trgm') ORDER BY extname")
        extensions = [row[0] for row in cursor.fetchall()]
    assert "'reussit'" in vector and "'educ'" in vector and "'elev'" in vector
    assert extensions == ["pg_trgm", "unaccent"]


@pytest.mark.skipif(connection.vendor == "postgresql", reason="vérifie le no-op SQLite")
def test_search_migration_is_a_no_op_on_sqlite():
    from django.db.migrations.recorder import MigrationRecorder

    assert MigrationRecorder.Migration.objects.filter(app="initiatives", name="0002_search_configuration").exists()
