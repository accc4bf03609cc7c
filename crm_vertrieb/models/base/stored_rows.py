"""Report rows stored in a table of their own, kept in step with their sources.

A report read as a pivot over a large table (every posted invoice line, every opportunity with
its competitors) is slow when each read joins the sources again; its rows are stored in a
narrow table instead and the report is a view on it. The feature keeps the rows in step: a change
marks the keys whose rows may change, the rows of those keys are rebuilt set-based before the
report is read in the same transaction and at the latest when it commits.

``ensure_rows_table`` creates the table (its layout is kept as the table's comment: a table of
another version is dropped and built again, the rows being derived data); ``refresh_rows``
rebuilds the rows of some keys or of all, writing only what changed.
"""

from odoo.tools import SQL
from odoo.tools.sql import create_index


def ensure_rows_table(cr, table, columns, indexes=()):
    """Create ``table`` with ``columns`` (name -> SQL type; ``id`` the primary key) unless it
    exists with that layout. Returns True when the table was (re)created empty."""
    layout = ", ".join(f"{name} {kind}" for name, kind in columns.items())
    cr.execute(SQL("SELECT obj_description(to_regclass(%s), 'pg_class')", table))
    [(current,)] = cr.fetchall()
    if current == layout:
        return False
    cr.execute(SQL("DROP TABLE IF EXISTS %s CASCADE", SQL.identifier(table)))
    definition = SQL(", ").join(SQL("%s %s", SQL.identifier(name), SQL(kind)) for name, kind in columns.items())
    cr.execute(SQL("CREATE TABLE %s (%s)", SQL.identifier(table), definition))
    cr.execute(SQL("COMMENT ON TABLE %s IS %s", SQL.identifier(table), layout))
    for column in indexes:
        create_index(cr, f"{table}_{column}_index", table, [column])
    return True


def refresh_rows(env, table, names, rows, stored):
    """Bring the rows of ``table`` selected by the condition ``stored`` (on alias ``t``) to the
    rows of the query ``rows`` (columns ``names``, ``id`` first): rows it no longer produces are
    deleted, new and changed ones written, unchanged ones left alone (a rebuild of rows in step
    writes nothing). Returns ``(deleted, written)``."""
    changed = names[1:]
    [(deleted, written)] = env.execute_query(
        SQL(
            """
            WITH fresh (%(names)s) AS MATERIALIZED (%(rows)s),
            gone AS (
                DELETE FROM %(table)s t
                 WHERE %(stored)s AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f.id = t.id)
                RETURNING 1
            ),
            written AS (
                INSERT INTO %(table)s AS t (%(names)s)
                SELECT %(names)s FROM fresh
                ON CONFLICT (id) DO UPDATE SET (%(changed)s) = ROW(%(excluded)s)
                 WHERE (%(current)s) IS DISTINCT FROM (%(excluded)s)
                RETURNING 1
            )
            SELECT (SELECT COUNT(*) FROM gone), (SELECT COUNT(*) FROM written)
            """,
            names=SQL(", ").join(SQL.identifier(name) for name in names),
            rows=rows,
            table=SQL.identifier(table),
            stored=stored,
            changed=SQL(", ").join(SQL.identifier(name) for name in changed),
            excluded=SQL(", ").join(SQL.identifier("excluded", name) for name in changed),
            current=SQL(", ").join(SQL.identifier("t", name) for name in changed),
        )
    )
    return deleted, written


def ensure_aggregate(cr, table, source, keys, count, measures=None):
    """Keep ``table`` as the sums of the rows of ``source`` grouped by ``keys``, maintained by the
    database: after every statement that inserts, deletes, updates or truncates rows of
    ``source`` (a foreign key's cascade or a set-based rebuild included), one grouped upsert
    applies the difference. Screens that read a few sums per day or per step (the cockpit) read
    this small table instead of the rows.

    ``keys``: column -> SQL type (NULL is a value of its own); ``count``: the column holding the
    number of rows of a group (a group without rows is deleted); ``measures``: column ->
    (SQL type, aggregate over the rows, e.g. ``count(hit_rate)`` or ``sum(hit_rate)``).

    The layout is kept as the table's comment: another layout, or missing triggers (the source
    table was built anew), drop the table and sum the rows again. Returns True when it did. The
    function of the triggers is written anew every time (an update brings its new text)."""
    measures = {count: ("integer", "count(*)"), **(measures or {})}
    layout = f"{source}: " + ", ".join(
        [f"{name} {kind}" for name, kind in keys.items()]
        + [f"{name} {kind} = {expr}" for name, (kind, expr) in measures.items()]
    )
    function = f"{table}_sync"
    cr.execute(
        SQL(
            "SELECT obj_description(to_regclass(%s), 'pg_class'), "
            "(SELECT COUNT(*) FROM pg_trigger WHERE tgrelid = to_regclass(%s) AND tgname LIKE %s)",
            table,
            source,
            f"{table}_%",
        )
    )
    [(current, triggers)] = cr.fetchall()
    key_list = SQL(", ").join(SQL.identifier(name) for name in keys)
    names = [*keys, *measures]
    rebuild = current != layout or triggers != 4
    if rebuild:
        cr.execute(SQL("DROP TABLE IF EXISTS %s CASCADE", SQL.identifier(table)))
        columns = SQL(", ").join(SQL("%s %s", SQL.identifier(name), SQL(kind)) for name, kind in keys.items())
        sums = SQL(", ").join(
            SQL("%s %s NOT NULL DEFAULT 0", SQL.identifier(name), SQL(kind)) for name, (kind, _expr) in measures.items()
        )
        cr.execute(SQL("CREATE TABLE %s (id bigserial PRIMARY KEY, %s, %s)", SQL.identifier(table), columns, sums))
        cr.execute(SQL("COMMENT ON TABLE %s IS %s", SQL.identifier(table), layout))
        cr.execute(
            SQL(
                "CREATE UNIQUE INDEX %s ON %s (%s) NULLS NOT DISTINCT",
                SQL.identifier(f"{table}_key_unique"),
                SQL.identifier(table),
                key_list,
            )
        )
        # the groups a statement emptied: few, found by a partial index
        cr.execute(
            SQL(
                "CREATE INDEX %s ON %s (id) WHERE %s = 0",
                SQL.identifier(f"{table}_empty_index"),
                SQL.identifier(table),
                SQL.identifier(count),
            )
        )

    def grouped(rows, sign):
        return SQL(
            "SELECT %s, %s FROM %s GROUP BY %s",
            key_list,
            SQL(", ").join(
                SQL("%s COALESCE(%s, 0) AS %s", SQL(sign), SQL(expr), SQL.identifier(name))
                for name, (_kind, expr) in measures.items()
            ),
            rows,
            key_list,
        )

    def upsert(*parts):
        return SQL(
            """
            INSERT INTO %(table)s AS a (%(names)s)
            SELECT %(keys)s, %(sums)s FROM (%(parts)s) d
             GROUP BY %(keys)s HAVING %(changed)s
             ORDER BY %(keys)s
            ON CONFLICT (%(keys)s) DO UPDATE SET %(add)s;
            DELETE FROM %(table)s WHERE %(count)s = 0;
            """,
            table=SQL.identifier(table),
            names=SQL(", ").join(SQL.identifier(name) for name in names),
            keys=key_list,
            sums=SQL(", ").join(
                SQL("SUM(%s)::%s", SQL.identifier(name), SQL(kind)) for name, (kind, _expr) in measures.items()
            ),
            parts=SQL(" UNION ALL ").join(parts),
            changed=SQL(" OR ").join(SQL("SUM(%s) <> 0", SQL.identifier(name)) for name in measures),
            add=SQL(", ").join(
                SQL("%s = a.%s + EXCLUDED.%s", SQL.identifier(name), SQL.identifier(name), SQL.identifier(name))
                for name in measures
            ),
            count=SQL.identifier(count),
        )

    inserted, deleted = grouped(SQL("new_rows"), ""), grouped(SQL("old_rows"), "-")
    # the statements of the function are prepared when they first run: each event reads only
    # the transition tables its trigger has
    cr.execute(
        SQL(
            """
            CREATE OR REPLACE FUNCTION %(function)s() RETURNS trigger LANGUAGE plpgsql AS $body$
            BEGIN
                IF TG_OP = 'TRUNCATE' THEN
                    DELETE FROM %(table)s;
                ELSIF TG_OP = 'INSERT' THEN
                    %(on_insert)s
                ELSIF TG_OP = 'DELETE' THEN
                    %(on_delete)s
                ELSE
                    %(on_update)s
                END IF;
                RETURN NULL;
            END
            $body$
            """,
            function=SQL.identifier(function),
            table=SQL.identifier(table),
            on_insert=upsert(inserted),
            on_delete=upsert(deleted),
            on_update=upsert(inserted, deleted),
        )
    )
    if not rebuild:
        return False
    create_statement_triggers(cr, table, source, function)
    cr.execute(
        SQL(
            "INSERT INTO %s (%s) %s",
            SQL.identifier(table),
            SQL(", ").join(SQL.identifier(name) for name in names),
            grouped(SQL.identifier(source), ""),
        )
    )
    return True


def create_statement_triggers(cr, prefix, source, function):
    """(Re)create the four statement triggers ``<prefix>_insert|delete|update|truncate`` on
    ``source`` running ``function()`` after every statement, with its rows as the transition
    tables ``new_rows`` / ``old_rows``."""
    for event, referencing in (
        ("INSERT", "REFERENCING NEW TABLE AS new_rows"),
        ("DELETE", "REFERENCING OLD TABLE AS old_rows"),
        ("UPDATE", "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"),
        ("TRUNCATE", ""),
    ):
        trigger = SQL.identifier(f"{prefix}_{event.lower()}")
        cr.execute(SQL("DROP TRIGGER IF EXISTS %s ON %s", trigger, SQL.identifier(source)))
        cr.execute(
            SQL(
                "CREATE TRIGGER %s AFTER %s ON %s %s FOR EACH STATEMENT EXECUTE FUNCTION %s()",
                trigger,
                SQL(event),
                SQL.identifier(source),
                SQL(referencing),
                SQL.identifier(function),
            )
        )
