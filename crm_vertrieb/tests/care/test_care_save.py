# chatter texts in these tests are test data, never shown to users
# pylint: disable=translation-required
from datetime import datetime, time, timedelta

from odoo import Command
from odoo.tests import tagged
from odoo.tools import SQL

from ...models.care.vertrieb_customer_care import CARE_COLUMNS
from .common import VertriebCareCommon

# queries of one save of a salesperson (the load harness' actions, #13), flush and commit hooks
# included; crm_vertrieb's share: the ledger sync, the purpose of customer care (2) and the
# rhythm of the customer in one statement (before #13: through a temporary table, 4 more)
# the rhythm is refreshed once, when the transaction commits (after the activity of a logged call
# is gone); for an email that is after the sent mail was deleted, which cleared the ORM cache: the
# salesperson's time zone (today of the rhythm) is read again, user and partner (2 more than #13)
LOG_CALL_QUERIES = 30
SEND_EMAIL_QUERIES = 52


@tagged("post_install", "-at_install", "crm_vertrieb_care")
class TestCareSave(VertriebCareCommon):
    """A salesperson's save refreshes the rhythm of its customer in one statement, with the values
    the refresh of all customers gives; what a save costs cannot grow unnoticed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for partner, abc_class in ((cls.customer, "a"), (cls.customer_b, "b"), (cls.customer_c, "c")):
            cls._set_class(partner, abc_class)
        cls.customer_b.email = "einkauf@becker-elektro.example.com"
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Hallenneubau",
                "type": "opportunity",
                "partner_id": cls.customer.id,
                "user_id": cls.user_sales_1.id,
            }
        )
        # a planned contact from each source: an activity on an opportunity of the customer, one
        # on a contact person, a future meeting with a contact person
        cls.lead.activity_schedule(
            "mail.mail_activity_data_call", date_deadline=cls.today + timedelta(days=3), user_id=cls.user_sales_1.id
        )
        cls.contact_b.activity_schedule(
            "mail.mail_activity_data_call", date_deadline=cls.today + timedelta(days=6), user_id=cls.user_sales_1.id
        )
        cls.contact_c = cls.env["res.partner"].create({"name": "Jonas Fischer", "parent_id": cls.customer_c.id})
        start = datetime.combine(cls.today + timedelta(days=9), time(10, 0))
        cls.env["calendar.event"].with_context(mail_notrack=True, no_mail_to_attendees=True).create(
            {
                "name": "Besuch",
                "start": start,
                "stop": start + timedelta(hours=1),
                "user_id": cls.user_sales_2.id,
                "partner_ids": [Command.set([cls.user_sales_2.partner_id.id, cls.contact_c.id])],
            }
        )

    def _rows(self):
        self.env.flush_all()
        self.env.invalidate_all()
        return {care.partner_id: tuple(care[name] for name in CARE_COLUMNS) for care in self.Care.search([])}

    def test_refresh_of_a_save_agrees_with_refresh_of_all(self):
        self.Care._vertrieb_refresh()
        everything = self._rows()
        planned = {partner: row[CARE_COLUMNS.index("next_planned_date")] for partner, row in everything.items()}
        self.assertEqual(planned[self.customer], self.today + timedelta(days=3))
        self.assertEqual(planned[self.customer_b], self.today + timedelta(days=6))
        self.assertEqual(planned[self.customer_c], self.today + timedelta(days=9))
        # rows lost, altered, and one of a partner that is no customer (a user)
        self.env.execute_query(
            SQL(
                "DELETE FROM vertrieb_customer_care WHERE partner_id = ANY(%s)",
                (self.customer | self.customer_b).ids,
            )
        )
        self.env.execute_query(
            SQL(
                "UPDATE vertrieb_customer_care SET next_planned_date = NULL, contacts_365d = 99 WHERE partner_id = %s",
                self.customer_c.id,
            )
        )
        self.env.execute_query(
            SQL("INSERT INTO vertrieb_customer_care (partner_id) VALUES (%s)", self.user_sales_1.partner_id.id)
        )
        # the contacts of a save: their customers are refreshed, the user's row goes
        refreshed = self.Care._vertrieb_refresh(
            [self.customer.id, self.contact_b.id, self.contact_c.id, self.user_sales_1.partner_id.id]
        )
        self.assertEqual(refreshed, 3)
        self.assertEqual(self._rows(), everything)

    def _save(self, action, lead):
        action(lead)
        self.env.flush_all()
        self.env.cr.precommit.run()

    def _log_call(self, lead):
        activity = (
            self.env["mail.activity"]
            .with_user(self.user_sales_1)
            .create(
                {
                    "res_model_id": self.env["ir.model"]._get_id("crm.lead"),
                    "res_id": lead.id,
                    "activity_type_id": self.type_call.id,
                    "summary": "Nachfassen",
                    "user_id": self.user_sales_1.id,
                }
            )
        )
        activity.action_feedback(feedback="Anruf")

    def _send_email(self, lead):
        lead.with_user(self.user_sales_1).message_post(
            body="Ihr Angebot",
            subject="Ihr Angebot",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=lead.partner_id.ids,
        )

    def _assert_save_queries(self, action, queries):
        self.Care._vertrieb_refresh()
        leads = self.env["crm.lead"].create(
            [
                {"name": name, "type": "opportunity", "partner_id": self.customer_b.id, "user_id": self.user_sales_1.id}
                for name in ("Schaltschrank", "Wartungsvertrag")
            ]
        )
        self._save(action, leads[0])  # caches filled
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=queries):
            self._save(action, leads[1])
        # the ledger and the rhythm followed: the call on the contact person 70 days ago and these two
        self.assertEqual(self.Care.search([("partner_id", "=", self.customer_b.id)]).contacts_90d, 3)

    def test_log_call_queries(self):
        """Logging a call on an opportunity as a salesperson (activity created and marked done)."""
        self._assert_save_queries(self._log_call, LOG_CALL_QUERIES)

    def test_send_email_queries(self):
        """An email to the customer from the opportunity's chatter."""
        self._assert_save_queries(self._send_email, SEND_EMAIL_QUERIES)
