"""Storing many rows at once, faster than QuerySet.bulk_create, for imports.

bulk_create compiles its SQL value by value, expressions and all, and must read back the
ids the database gave; for tens of thousands of rows that is most of an import's time. Here
the ids are reserved first (so that replies can name parents not stored yet), and the rows
go to the database in one executemany, each value prepared as Django prepares it for a
save. Only for plain values: no expressions, and no pre_save work such as auto_now (the
callers' models have none where it is used). No signals are sent, as with bulk_create.
"""

from django.db import connection


def reserve_ids(model, count):
    """`count` ids that no other row of `model` will get, in order.

    PostgreSQL takes them from the table's sequence. SQLite's AUTOINCREMENT tables keep the
    highest id given in sqlite_sequence; raising it there reserves the ids and takes the
    database's write lock, which this transaction then holds until it ends, so no other
    writer can take them meanwhile.
    """
    if count <= 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, model._meta.pk.column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        if connection.vendor != "sqlite":
            raise NotImplementedError(f"reserve_ids() does not know {connection.vendor}")
        cursor.execute("UPDATE sqlite_sequence SET seq = seq + %s WHERE name = %s", [count, table])
        if cursor.rowcount == 0:  # no row was ever stored in the table
            cursor.execute(
                "INSERT INTO sqlite_sequence (name, seq) "
                f"SELECT %s, coalesce(max({model._meta.pk.column}), 0) + %s FROM {table}",
                [table, count],
            )
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        last = cursor.fetchone()[0]
    return list(range(last - count + 1, last + 1))


def insert_objects(model, objects):
    """INSERT the (unsaved) instances, ids included, in one executemany; marks them saved."""
    if not objects:
        return
    fields = model._meta.concrete_fields
    for obj in objects:
        obj._prepare_related_fields_for_save(operation_name="insert_objects")
    rows = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in fields]
        for obj in objects
    ]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    for obj in objects:
        obj._state.adding, obj._state.db = False, connection.alias


def insert_rows(model, columns, rows):
    """INSERT rows given as values of the named fields (names or attnames: "paper" or
    "paper_id" takes the paper's id), the id left to the database, for rows no one needs as
    instances."""
    if not rows:
        return
    meta, quote = model._meta, connection.ops.quote_name
    fields = [meta.get_field(name) for name in columns]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    prepared = [
        [
            field.get_db_prep_save(value, connection)
            for field, value in zip(fields, row, strict=True)
        ]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, prepared)
