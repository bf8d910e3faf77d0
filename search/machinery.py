"""The database's own full-text index over search entries, made by migrations.

PostgreSQL: a trigger stores each entry's tsvector (title and thesis weighted A, the rest B)
as the row is written, and a GIN index finds them. The terms are already folded and stemmed
(search.analysis), so the "simple" configuration takes them as they are.
SQLite: an FTS5 table over the entries' terms (external content: it holds the index, the
entries hold the text) that triggers keep in step with every insert, update and delete.
"""

POSTGRESQL = [
    """
    CREATE FUNCTION search_entry_vector() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.vector := setweight(to_tsvector('simple', NEW.heading_terms), 'A')
            || setweight(to_tsvector('simple', NEW.text_terms), 'B');
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER search_entry_vector BEFORE INSERT OR UPDATE ON search_entry
    FOR EACH ROW EXECUTE FUNCTION search_entry_vector()
    """,
    "UPDATE search_entry SET heading_terms = heading_terms",
    "CREATE INDEX search_entry_vector ON search_entry USING gin (vector)",
]
POSTGRESQL_UNDO = [
    "DROP INDEX IF EXISTS search_entry_vector",
    "DROP TRIGGER IF EXISTS search_entry_vector ON search_entry",
    "DROP FUNCTION IF EXISTS search_entry_vector()",
]

_INDEX = "INSERT INTO search_entry_index(rowid, heading_terms, text_terms)"
_UNINDEX = (
    "INSERT INTO search_entry_index(search_entry_index, rowid, heading_terms, text_terms) "
    "VALUES ('delete', old.id, old.heading_terms, old.text_terms);"
)
SQLITE = [
    """
    CREATE VIRTUAL TABLE search_entry_index USING fts5(
        heading_terms, text_terms, content='search_entry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0'
    )
    """,
    f"""
    CREATE TRIGGER search_entry_inserted AFTER INSERT ON search_entry BEGIN
        {_INDEX} VALUES (new.id, new.heading_terms, new.text_terms);
    END
    """,
    f"""
    CREATE TRIGGER search_entry_deleted AFTER DELETE ON search_entry BEGIN
        {_UNINDEX}
    END
    """,
    f"""
    CREATE TRIGGER search_entry_updated AFTER UPDATE ON search_entry BEGIN
        {_UNINDEX}
        {_INDEX} VALUES (new.id, new.heading_terms, new.text_terms);
    END
    """,
    "INSERT INTO search_entry_index(search_entry_index) VALUES ('rebuild')",
]
SQLITE_UNDO = [
    "DROP TRIGGER IF EXISTS search_entry_inserted",
    "DROP TRIGGER IF EXISTS search_entry_deleted",
    "DROP TRIGGER IF EXISTS search_entry_updated",
    "DROP TABLE IF EXISTS search_entry_index",
]


def _run(schema_editor, statements):
    for statement in statements.get(schema_editor.connection.vendor, ()):
        schema_editor.execute(statement)


def install(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRESQL, "sqlite": SQLITE})


def uninstall(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRESQL_UNDO, "sqlite": SQLITE_UNDO})
