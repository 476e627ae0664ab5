"""PostgreSQL-only indexes for search: GIN on the weighted vector, trigram GIN on the folded text.

Declared here rather than in ``Meta.indexes`` because SQLite has neither GIN
nor trigrams; on SQLite this migration does nothing.
"""

from django.db import migrations

FORWARD = [
    "CREATE INDEX IF NOT EXISTS initiative_search_vector_gin ON initiatives_initiative USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS initiative_search_text_trgm ON initiatives_initiative "
    "USING gin (search_text gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS initiative_search_vector_gin",
    "DROP INDEX IF EXISTS initiative_search_text_trgm",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0004_browse_index")]

    operations = [migrations.RunPython(forward, backward)]
