from contextlib import nullcontext
from types import SimpleNamespace

import psycopg2

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from ...hooks import pre_init_hook


class _NoExtensionCursor:
    """A cursor of a database whose owner may not create extensions."""

    def __init__(self):
        self.queries = []

    def execute(self, query):
        self.queries.append(query.code)
        if query.code.startswith("CREATE EXTENSION"):
            raise psycopg2.errors.InsufficientPrivilege('permission denied to create extension "pg_trgm"')

    def fetchone(self):
        return None

    def savepoint(self):
        return nullcontext()


@tagged("post_install", "-at_install", "crm_vertrieb_base")
class TestBaseMessages(TransactionCase):
    def test_missing_extension_explained(self):
        """Installing without the right to create pg_trgm ends in a message the administrator can act on."""
        cr = _NoExtensionCursor()
        with self.assertRaisesRegex(
            UserError,
            "CRM Vertrieb needs the PostgreSQL extension 'pg_trgm' and could not create it: "
            "permission denied.*'CREATE EXTENSION pg_trgm;'",
        ):
            pre_init_hook(SimpleNamespace(cr=cr, _=self.env._))
        self.assertEqual(sum(q.startswith("CREATE EXTENSION") for q in cr.queries), 1)
