"""The first fill of new stored computed fields on large existing tables (install and update).

When a module adds a stored computed field to a table that already holds rows, Odoo's
``_auto_init`` creates the column and marks every existing row for computation; the ORM then
computes them all at once at the end of the install, in Python, holding every record of the table
(300,000 leads, 100,000 partners) in memory. Instead, a feature's ``_auto_init`` creates those
columns itself before ``super()`` (Odoo then finds them and computes nothing) and fills them once:
with one set-based SQL statement where the compute can be written in SQL, else in batches of ids
with progress in the log. The fill runs in Odoo's post-init phase (all tables and columns of the
module exist) and before Odoo creates the indexes of the new columns (``check_indexes``), so the
indexes are built once over the filled data.

Usage in a model::

    def _auto_init(self):
        created = create_computed_columns(self, ["vertrieb_x", "vertrieb_y"])
        res = super()._auto_init()
        if created:
            self.pool.post_init(self._vertrieb_fill_x)
        return res

The fill method takes ``ids=None`` (all rows) or a list of ids (the tests compare the fill with the
ORM compute on a sample).
"""

import logging
import time
from contextlib import contextmanager

from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column, table_exists

_logger = logging.getLogger(__name__)

# what the ORM stores for an empty value of these field types (the others: NULL)
EMPTY_DEFAULTS = {"integer": "0", "float": "0", "monetary": "0", "boolean": "false"}
# rows per batch of a fill that computes in Python (ids read by keyset, never all at once)
FILL_BATCH = 5000


def create_computed_columns(model, fnames):
    """Create the columns of the stored fields ``fnames`` that the existing, non-empty table of
    ``model`` lacks. Returns the names created: the caller fills them (nothing to do for a new or
    empty table, where Odoo has no row to compute)."""
    cr = model.env.cr
    if not table_exists(cr, model._table):
        return []
    missing = [name for name in fnames if not column_exists(cr, model._table, name)]
    if not missing:
        return []
    cr.execute(SQL("SELECT 1 FROM %s LIMIT 1", SQL.identifier(model._table)))
    if not cr.rowcount:
        return []
    for name in missing:
        field = model._fields[name]
        default = EMPTY_DEFAULTS.get(field.type)
        if default:
            # the value the ORM stores for "nothing" (0, false): the existing rows get it without a
            # rewrite of the table (PostgreSQL keeps a constant default of ADD COLUMN in its
            # catalogue), the fill writes only the rows with another value. Odoo keeps no default
            # in the database: dropped again at once.
            create_column(cr, model._table, name, f"{field.column_type[1]} DEFAULT {default}", field.string)
            cr.execute(
                SQL(
                    "ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT",
                    SQL.identifier(model._table),
                    SQL.identifier(name),
                )
            )
        else:
            create_column(cr, model._table, name, field.column_type[1], field.string)
    _logger.info("%s: new stored fields %s filled by crm_vertrieb, not by the ORM", model._name, ", ".join(missing))
    return missing


def id_batches(model, ids=None, size=FILL_BATCH):
    """Ids of ``model``'s table in id order, ``size`` at a time (keyset: never all at once), or the
    ``ids`` given, in batches."""
    if ids is not None:
        ids = sorted(ids)
        for start in range(0, len(ids), size):
            yield ids[start : start + size]
        return
    last = 0
    while True:
        batch = [
            row[0]
            for row in model.env.execute_query(
                SQL(
                    "SELECT id FROM %s WHERE id > %s ORDER BY id LIMIT %s",
                    SQL.identifier(model._table),
                    last,
                    size,
                )
            )
        ]
        if not batch:
            return
        yield batch
        last = batch[-1]


def fill_in_batches(model, what, fill_batch, ids=None):
    """Call ``fill_batch(ids)`` for the rows of ``model`` (all, or ``ids``) batch by batch, logging
    the progress; the ORM cache is emptied after each batch. Returns the number of rows."""
    cr = model.env.cr
    total = len(ids) if ids is not None else None
    if total is None:
        cr.execute(SQL("SELECT count(*) FROM %s", SQL.identifier(model._table)))
        total = cr.fetchone()[0]
    start = last_log = time.monotonic()
    done = 0
    for batch in id_batches(model, ids):
        fill_batch(batch)
        model.env.invalidate_all()
        done += len(batch)
        if time.monotonic() - last_log > 10 or done == total:
            _logger.info("%s: %s/%s rows (%.0fs)", what, done, total, time.monotonic() - start)
            last_log = time.monotonic()
    return done


def write_rows(model, fnames, values):
    """One UPDATE of the columns ``fnames`` of ``model``'s table for the rows of ``values``
    (``{id: {name: value}}``, as the ORM would write them: False is empty)."""
    if not values:
        return
    fields_ = [model._fields[name] for name in fnames]
    model.env.execute_query(
        SQL(
            "UPDATE %s AS t SET %s FROM (VALUES %s) AS v(id, %s) WHERE t.id = v.id",
            SQL.identifier(model._table),
            SQL(", ").join(
                SQL("%s = v.%s::%s", SQL.identifier(f.name), SQL.identifier(f.name), SQL(f.column_type[1]))
                for f in fields_
            ),
            SQL(", ").join(
                SQL(
                    "(%s, %s)",
                    record_id,
                    SQL(", ").join(None if row.get(f.name) is False else row.get(f.name) for f in fields_),
                )
                for record_id, row in values.items()
            ),
            SQL(", ").join(SQL.identifier(f.name) for f in fields_),
        )
    )


def fill_from_query(model, what, fnames, source, ids=None):
    """Write the columns ``fnames`` of ``model``'s table from ``source`` (an ``SQL`` query giving
    ``id`` and one column per name) in one set-based UPDATE, only where the value differs (the new
    columns start with the empty value, so rows computed to it are not rewritten; rows missing from
    ``source`` keep theirs). ``ids``: only these rows (tests). Logs the row count and duration."""
    start = time.monotonic()
    columns = [SQL.identifier(name) for name in fnames]
    model.env.cr.execute(
        SQL(
            """UPDATE %(table)s AS t SET %(assign)s FROM (%(source)s) AS v
                WHERE t.id = v.id AND %(scope)s AND (%(old)s) IS DISTINCT FROM (%(new)s)""",
            table=SQL.identifier(model._table),
            assign=SQL(", ").join(SQL("%s = v.%s", col, col) for col in columns),
            source=source,
            scope=SQL("t.id = ANY(%s)", list(ids)) if ids is not None else SQL("TRUE"),
            old=SQL(", ").join(SQL("t.%s", col) for col in columns),
            new=SQL(", ").join(SQL("v.%s", col) for col in columns),
        )
    )
    count = model.env.cr.rowcount
    _logger.info("%s: %s rows written in one statement (%.1fs)", what, count, time.monotonic() - start)
    model.env.invalidate_all()
    return count


@contextmanager
def indexes_built_after(cr, table):
    """For the first fill of an empty table in one statement: its plain (non-unique) indexes are
    dropped and built again after the fill (one sort per index instead of one insertion per row
    and index). A table that holds rows keeps its indexes."""
    cr.execute(SQL("SELECT 1 FROM %s LIMIT 1", SQL.identifier(table)))
    if cr.rowcount:
        yield
        return
    cr.execute(
        SQL(
            """SELECT c.relname, pg_get_indexdef(i.indexrelid)
                 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                WHERE i.indrelid = %s::regclass AND NOT i.indisunique AND NOT i.indisprimary
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)""",
            table,
        )
    )
    indexes = cr.fetchall()
    for name, _definition in indexes:
        cr.execute(SQL("DROP INDEX %s", SQL.identifier(name)))
    yield
    start = time.monotonic()
    for _name, definition in indexes:
        cr.execute(SQL(definition.replace("%", "%%")))  # from pg_get_indexdef: no parameters
    _logger.info("%s: %s indexes built after the fill (%.0fs)", table, len(indexes), time.monotonic() - start)
