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
