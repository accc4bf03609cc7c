# chatter texts in these tests are test data, never shown to users
# pylint: disable=translation-required
from datetime import datetime, time, timedelta
from unittest.mock import patch

from odoo import Command
from odoo.tests import tagged
from odoo.tools import SQL

from .common import VertriebCareCommon


@tagged("post_install", "-at_install", "crm_vertrieb_care")
class TestCarePlanned(VertriebCareCommon):
    """The customer's next planned contact follows its activities and meetings as the salesperson
    plans, logs, cancels and moves them: the stored row is right once the transaction commits
    (the next request reads it), not only after the nightly refresh."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Schaltanlage",
                "type": "opportunity",
                "partner_id": cls.customer_b.id,
                "user_id": cls.user_sales_1.id,
            }
        )
        cls.Care._vertrieb_refresh()

    def _planned(self, partner):
        """The stored next planned contact of ``partner`` after the commit hooks of the
        transaction, and the one the salesperson sees on the customer."""
        self.env.flush_all()
        self.env.cr.precommit.run()
        rows = self.env.execute_query(
            SQL("SELECT next_planned_date FROM vertrieb_customer_care WHERE partner_id = %s", partner.id)
        )
        stored = rows[0][0] if rows else None
        self.env.invalidate_all()
        self.assertEqual(partner.with_user(self.user_sales_1).vertrieb_next_planned_contact or None, stored)
        return stored

    def _schedule(self, record, days, activity_xmlid="mail.mail_activity_data_call"):
        return record.with_user(self.user_sales_1).activity_schedule(
            activity_xmlid, date_deadline=self.today + timedelta(days=days), user_id=self.user_sales_1.id
        )

    def _meeting(self, days):
        start = datetime.combine(self.today + timedelta(days=days), time(10, 0))
        return (
            self.env["calendar.event"]
            .with_user(self.user_sales_1)
            .with_context(mail_notrack=True, no_mail_to_attendees=True)
            .create(
                {
                    "name": "Besuch Becker Elektro",
                    "start": start,
                    "stop": start + timedelta(hours=1),
                    "user_id": self.user_sales_1.id,
                    "partner_ids": [Command.set([self.user_sales_1.partner_id.id, self.contact_b.id])],
                }
            )
        )

    def test_logged_call_leaves_the_next_planned_contact(self):
        self.assertIsNone(self._planned(self.customer_b))
        call = self._schedule(self.lead, 3)
        follow_up = self._schedule(self.contact_b, 8)
        self.assertEqual(self._planned(self.customer_b), self.today + timedelta(days=3))
        call.action_feedback(feedback="Kunde erreicht, Angebot folgt")
        self.assertEqual(self._planned(self.customer_b), self.today + timedelta(days=8))
        follow_up.action_done()
        self.assertIsNone(self._planned(self.customer_b))

    def test_logged_call_refreshes_its_customer_once(self):
        self._schedule(self.lead, 5)
        self._planned(self.customer_b)
        Care = type(self.Care)
        refresh = Care._vertrieb_refresh
        calls = []

        def spy(care, partner_ids=None, lead_ids=(), **kwargs):
            calls.append((partner_ids, lead_ids))
            return refresh(care, partner_ids, lead_ids, **kwargs)

        with patch.object(Care, "_vertrieb_refresh", spy):
            call = self._schedule(self.lead, 0)
            call.action_feedback(feedback="Kunde erreicht")
            self.assertEqual(self._planned(self.customer_b), self.today + timedelta(days=5))
        # the new ledger row (its customer) and the activity's opportunity, in one statement
        self.assertEqual(calls, [([self.customer_b.id], [self.lead.id])])
        self.assertEqual(self.Care.search([("partner_id", "=", self.customer_b.id)]).contacts_90d, 2)

    def test_cancelled_activity(self):
        call = self._schedule(self.contact_b, 2)
        self._schedule(self.lead, 4)
        self.assertEqual(self._planned(self.customer_b), self.today + timedelta(days=2))
        call.with_user(self.user_sales_1).unlink()
        self.assertEqual(self._planned(self.customer_b), self.today + timedelta(days=4))
        # an activity moved by the salesperson
        self.lead.activity_ids.with_user(self.user_sales_1).date_deadline = self.today + timedelta(days=1)
        self.assertEqual(self._planned(self.customer_b), self.today + timedelta(days=1))

    def test_meeting_moved_and_deleted(self):
        meeting = self._meeting(5)
        self.assertEqual(self._planned(self.customer_b), self.today + timedelta(days=5))
        start = datetime.combine(self.today + timedelta(days=10), time(9, 0))
        meeting.write({"start": start, "stop": start + timedelta(hours=1)})
        self.assertEqual(self._planned(self.customer_b), self.today + timedelta(days=10))
        # the customer's contact person no longer attends
        meeting.partner_ids = [Command.unlink(self.contact_b.id)]
        self.assertIsNone(self._planned(self.customer_b))
        meeting.partner_ids = [Command.link(self.contact_b.id)]
        self.assertEqual(self._planned(self.customer_b), self.today + timedelta(days=10))
        meeting.unlink()
        self.assertIsNone(self._planned(self.customer_b))

    def test_lead_lost_or_moved_to_another_customer(self):
        self._schedule(self.lead, 3)
        self.assertEqual(self._planned(self.customer_b), self.today + timedelta(days=3))
        # lost: Odoo deletes the activities of an archived record
        self.lead.with_user(self.user_sales_1).action_set_lost()
        self.assertIsNone(self._planned(self.customer_b))
        self.lead.with_user(self.user_sales_1).action_unarchive()
        self._schedule(self.lead, 3)
        self.assertEqual(self._planned(self.customer_b), self.today + timedelta(days=3))
        self.lead.with_user(self.user_sales_1).partner_id = self.customer
        self.assertIsNone(self._planned(self.customer_b))
        self.assertEqual(self._planned(self.customer), self.today + timedelta(days=3))
        # a deleted opportunity takes its activities along
        self.lead.unlink()
        self.assertIsNone(self._planned(self.customer))

    def test_read_in_the_same_transaction(self):
        """Before the commit, a read of the rows refreshes the marked customers first."""
        care_b = self.Care.with_user(self.user_sales_1).search([("partner_id", "=", self.customer_b.id)])
        self.assertFalse(care_b.next_planned_date)
        self._schedule(self.lead, 6)
        self.assertEqual(care_b.next_planned_date, self.today + timedelta(days=6))
        self.lead.activity_ids.with_user(self.user_sales_1).action_feedback(feedback="erledigt")
        self.assertFalse(care_b.next_planned_date)
        self.assertEqual(self.customer_b.with_user(self.user_sales_1).vertrieb_contacts_90d, 2)
