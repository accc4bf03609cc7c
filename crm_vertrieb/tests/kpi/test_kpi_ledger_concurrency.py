import psycopg2

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name
from odoo.tools import SQL, mute_logger


@tagged("post_install", "-at_install", "crm_vertrieb_kpi")
class TestKpiLedgerConcurrency(BaseCase):
    """Issue #12: the ledger has one row per source row, even when two transactions sync the same
    message at the same time (two real cursors, committed data, cleaned up afterwards)."""

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True, "mail_create_nolog": True})
            self.customer_id = (
                env["res.partner"].create({"name": "Nebenläufig GmbH", "email": "einkauf@nebenlaeufig.example"}).id
            )
            customer = env["res.partner"].browse(self.customer_id)
            # an email of an internal user (the admin) to the customer: one ledger row
            body = "Angebot anbei"
            message = customer.with_user(env.ref("base.user_admin")).message_post(
                body=body,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=customer.ids,
            )
            self.message_id = message.id
            # start from the state both syncs must repair: the row is missing
            cr.execute(SQL("DELETE FROM vertrieb_kpi_contact_line WHERE message_id = %s", self.message_id))
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            cr.execute(SQL("DELETE FROM vertrieb_kpi_contact_line WHERE message_id = %s", self.message_id))
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["mail.message"].browse(self.message_id).unlink()
            env["res.partner"].browse(self.customer_id).unlink()

    def _rows(self, cr):
        cr.execute(SQL("SELECT COUNT(*) FROM vertrieb_kpi_contact_line WHERE message_id = %s", self.message_id))
        return cr.fetchone()[0]

    def test_two_concurrent_syncs_leave_one_row(self):
        cr_a = self.registry.cursor()
        cr_b = self.registry.cursor()
        try:
            # both transactions start before either has inserted the row (snapshot of B taken now)
            self.assertEqual(self._rows(cr_b), 0)
            self.assertEqual(self._rows(cr_a), 0)
            ledger_a = api.Environment(cr_a, SUPERUSER_ID, {})["vertrieb.kpi.contact.line"]
            self.assertEqual(ledger_a._vertrieb_sync(message_ids=[self.message_id]), (0, 1))
            cr_a.commit()
            ledger_b = api.Environment(cr_b, SUPERUSER_ID, {})["vertrieb.kpi.contact.line"]
            try:
                # B does not see A's row in its snapshot: the unique key refuses its insert, as a
                # serialization failure (Odoo retries the request) or a skipped row
                with mute_logger("odoo.sql_db"):
                    _deleted, inserted = ledger_b._vertrieb_sync(message_ids=[self.message_id])
                self.assertEqual(inserted, 0)
                cr_b.commit()
            except psycopg2.errors.SerializationFailure:
                cr_b.rollback()
                # the retry sees A's row and leaves it alone
                self.assertEqual(ledger_b._vertrieb_sync(message_ids=[self.message_id]), (0, 0))
                cr_b.commit()
        finally:
            cr_a.close()
            cr_b.close()
        with self.registry.cursor() as cr:
            self.assertEqual(self._rows(cr), 1)
