import logging

from odoo.exceptions import UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# pg_trgm powers the trigram indexes of fuzzy search (Odoo creates them only when the extension
# already exists); unaccent folds accents in name comparisons; btree_gin lets one GIN index combine
# the ZIP area (equality) with the name trigrams (duplicate search within a block). All three are
# trusted extensions since PostgreSQL 13, so the database owner may create them without superuser.
REQUIRED_EXTENSIONS = ("pg_trgm", "unaccent", "btree_gin")


def pre_init_hook(env):
    cr = env.cr
    for extension in REQUIRED_EXTENSIONS:
        cr.execute(SQL("SELECT 1 FROM pg_extension WHERE extname = %s", extension))
        if cr.fetchone():
            continue
        try:
            with cr.savepoint():
                cr.execute(SQL("CREATE EXTENSION IF NOT EXISTS %s", SQL.identifier(extension)))
        except Exception as exc:
            raise UserError(
                env._(
                    "CRM Vertrieb needs the PostgreSQL extension '%(ext)s' and could not create "
                    "it: %(error)s. Ask your database administrator to run "
                    "'CREATE EXTENSION %(ext)s;' in this database, then install again.",
                    ext=extension,
                    error=exc,
                )
            ) from exc
        _logger.info("PostgreSQL extension %s created", extension)


def uninstall_hook(env):
    """What the module made outside the ORM goes with it (the ORM drops only its models' tables
    and views): the stored report rows (sales lines, conversion rows, acquisition report rows) and
    the trigger functions that keep the cockpit's sums (their triggers go with them)."""
    cr = env.cr
    tables = {model._rows_table for model in env.registry.values() if getattr(model, "_rows_table", None)}
    tables.add("vertrieb_kpi_conversion_row")
    for table in sorted(tables):
        cr.execute(SQL("DROP TABLE IF EXISTS %s CASCADE", SQL.identifier(table)))
    for model in ("vertrieb.kpi.contact.day", "vertrieb.kpi.conversion.stage"):
        if model in env:
            function = f"{env[model]._table}_sync"
            cr.execute(SQL("DROP FUNCTION IF EXISTS %s() CASCADE", SQL.identifier(function)))
    # the triggers on the ledger keeping the conversion rows' offers
    cr.execute(SQL("DROP FUNCTION IF EXISTS vertrieb_kpi_conversion_row_offers() CASCADE"))
    _logger.info("Stored report rows and trigger functions of crm_vertrieb dropped: %s", ", ".join(sorted(tables)))
