# chatter texts in these tests are test data, never shown to users
# pylint: disable=translation-required
from datetime import datetime, time, timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged
from odoo.tools import SQL

from .common import VertriebKpiCommon


@tagged("post_install", "-at_install", "crm_vertrieb_kpi")
class TestKpiLedger(VertriebKpiCommon):
    """The stored contact ledger follows its sources at once and agrees with a full rebuild."""

    def _line(self, **domain):
        return self.env["vertrieb.kpi.contact.line"].search([(key, "=", value) for key, value in domain.items()])

    def _meeting_lines(self, meeting):
        return self.env["vertrieb.kpi.contact.line"].search([("attendee_id", "in", meeting.attendee_ids.ids)])

    def test_hooks_agree_with_full_rebuild(self):
        """After all the changes of the dataset, a full reconciliation has nothing left to do."""
        self.assertEqual(self.env["vertrieb.kpi.contact.line"]._vertrieb_sync(), (0, 0))
        # and a rebuild from empty yields the same counts
        before = self._counts()
        self.env.execute_query(SQL("DELETE FROM vertrieb_kpi_contact_line"))
        self.env["vertrieb.kpi.contact.line"]._vertrieb_sync()
        self.assertEqual(self._counts(), before)

    def test_activity_done_counted_at_once_and_deleted(self):
        message_id = self._done_activity(self.lead_2, self.type_call, self.user_sales_2, self.user_sales_2, 1)
        line = self._line(message_id=message_id)
        self.assertEqual(len(line), 1)
        self.assertEqual((line.user_id, line.contact_type, line.lead_id), (self.user_sales_2, "call", self.lead_2))
        self.assertEqual(self._counts()[("cv_sales2", "call")], 2)
        self.env["mail.message"].browse(message_id).unlink()
        self.assertFalse(line.exists())
        self.assertEqual(self._counts()[("cv_sales2", "call")], 1)

    def test_email_counted_at_once(self):
        email = self.lead_2.with_user(self.user_sales_2).message_post(
            body="Termin bestätigt",
            partner_ids=self.customer.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        line = self._line(message_id=email.id)
        self.assertEqual((line.source, line.user_id), ("email", self.user_sales_2))
        self.assertEqual((line.lead_id, line.date_done), (self.lead_2, email.date))

    def test_email_counted_by_its_notification(self):
        """An email without recipients given with the post counts once the customer following the
        lead is notified by email."""
        follower = self.env["res.partner"].create({"name": "Eva Einkauf", "email": "eva.einkauf@example.com"})
        self.lead_2.message_subscribe(partner_ids=follower.ids)
        email = self.lead_2.with_user(self.user_sales_2).message_post(
            body="Neue Preise", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self.assertFalse(email.partner_ids)
        self.assertIn(follower, email.notification_ids.res_partner_id)
        line = self._line(message_id=email.id)
        self.assertEqual((line.source, line.user_id, line.lead_id), ("email", self.user_sales_2, self.lead_2))

    def test_notifications_of_counted_email_no_second_sync(self):
        """The notifications of an email counted with its post (the customer given as recipient) leave
        the ledger alone: one sync per email, not two."""
        Ledger = self.env.registry["vertrieb.kpi.contact.line"]
        original = Ledger._vertrieb_sync
        synced = []

        def sync(records, **scope):
            synced.append(scope)
            return original(records, **scope)

        self.customer.email = "einkauf@mueller-bau.example.com"
        with patch.object(Ledger, "_vertrieb_sync", sync):
            email = self.lead_2.with_user(self.user_sales_2).message_post(
                body="Angebot anbei",
                partner_ids=self.customer.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertIn(self.customer, email.notification_ids.res_partner_id)
        self.assertEqual(synced, [{"message_ids": email.ids}])
        self.assertEqual(self._line(message_id=email.id).source, "email")

    def test_meeting_cancelled_declined_moved(self):
        self.assertEqual(len(self._meeting_lines(self.meeting)), 1)
        self.meeting.active = False
        self.assertFalse(self._meeting_lines(self.meeting))
        self.meeting.active = True
        self.assertEqual(len(self._meeting_lines(self.meeting)), 1)
        own = self.meeting.attendee_ids.filtered(lambda a: a.partner_id == self.user_sales_1.partner_id)
        own.state = "declined"
        self.assertFalse(self._meeting_lines(self.meeting))
        own.state = "accepted"
        # moved to next month: not held yet, so not counted
        later = datetime.combine(fields.Date.today() + timedelta(days=40), time(9, 0))
        self.meeting.write({"start": later, "stop": later + timedelta(hours=1)})
        self.assertFalse(self._meeting_lines(self.meeting))
        self.meeting.unlink()
        self.assertEqual(self._counts()[("cv_sales1", "meeting")], 1)

    def test_meeting_counts_once_ended(self):
        """The hourly cron counts meetings whose end has passed since its last run."""
        future = self._meeting(self.user_sales_2, 2, [self.customer], from_today=True)
        self.assertFalse(self._meeting_lines(future))
        # time passes: the meeting ended an hour ago
        self.env["calendar.event"].flush_model()
        self.env.execute_query(
            SQL(
                "UPDATE calendar_event SET start = %s, stop = %s WHERE id = %s",
                fields.Datetime.now() - timedelta(hours=2),
                fields.Datetime.now() - timedelta(hours=1),
                future.id,
            )
        )
        future.invalidate_recordset()
        self.env["ir.config_parameter"].sudo().set_param(
            "crm_vertrieb.kpi_contact_meetings_synced_at", fields.Datetime.now() - timedelta(hours=3)
        )
        self.assertGreaterEqual(self.env["vertrieb.kpi.contact.line"]._cron_vertrieb_sync_meetings(), 1)
        lines = self._meeting_lines(future)
        self.assertEqual(lines.user_id, self.user_sales_2)

    def test_local_date_of_the_salesperson(self):
        """23:30 UTC on Sunday is 00:30 on Monday in Berlin: the contact belongs to the next week."""
        self.user_sales_1.tz = "Europe/Berlin"
        message_id = self._done_activity(self.lead_1, self.type_call, self.user_sales_1, self.user_sales_1, 0)
        sunday_late = datetime.combine(self.week_end, time(23, 30))
        self.env["mail.message"].browse(message_id).sudo().write({"date": sunday_late})
        line = self._line(message_id=message_id)
        self.assertEqual(line.date, self.week_end + timedelta(days=1))
        self.assertEqual(line.date_done, sunday_late)
        # the week of the report does not contain it
        self.assertEqual(self._counts()[("cv_sales1", "call")], 2)
        # UTC salesperson: same day as in UTC (the user's time zone change re-dates the rows; a
        # changed row is replaced by a new one)
        self.user_sales_1.tz = "UTC"
        self.assertEqual(self._line(message_id=message_id).date, self.week_end)
        self.assertEqual(self._counts()[("cv_sales1", "call")], 3)

    def test_unknown_time_zone_falls_back(self):
        """A time zone name PostgreSQL does not know falls back to the company's, then UTC."""
        self.env.company.partner_id.tz = "Europe/Berlin"
        self.env.flush_all()
        self.env.execute_query(
            SQL("UPDATE res_partner SET tz = 'Mars/Olympus' WHERE id = %s", self.user_sales_1.partner_id.id)
        )
        self.user_sales_1.partner_id.invalidate_recordset(["tz"])
        message_id = self._done_activity(self.lead_1, self.type_call, self.user_sales_1, self.user_sales_1, 0)
        self.env["mail.message"].browse(message_id).sudo().write(
            {"date": datetime.combine(self.week_end, time(23, 30))}
        )
        self.assertEqual(self._line(message_id=message_id).date, self.week_end + timedelta(days=1))

    def test_lead_customer_and_team_follow(self):
        other = self.env["res.partner"].create({"name": "Neukunde GmbH", "is_company": True})
        self.lead_1.partner_id = other
        lines = self._line(lead_id=self.lead_1.id)
        self.assertTrue(lines)
        self.assertEqual(set(lines.mapped("partner_id")), {other})
        # sales2 moves to team 1 only: their contacts are attributed to team 1
        self.env["crm.team.member"].search([("user_id", "=", self.user_sales_2.id)]).unlink()
        self.env["crm.team.member"].create({"user_id": self.user_sales_2.id, "crm_team_id": self.team_1.id})
        self.assertEqual(set(self._line(user_id=self.user_sales_2.id).mapped("team_id")), {self.team_1.id})

    def test_sync_queries_bounded(self):
        """Syncing one message or twenty costs the same, small number of queries."""
        Line = self.env["vertrieb.kpi.contact.line"]
        messages = self.env["mail.message"].search([("model", "=", "crm.lead"), ("res_id", "=", self.lead_1.id)])
        self.env.flush_all()
        with self.assertQueryCount(1):
            Line._vertrieb_sync(message_ids=messages[:1].ids)
        with self.assertQueryCount(1):
            Line._vertrieb_sync(message_ids=messages.ids, lead_ids=self.lead_1.ids)

    def test_nightly_reconciliation_repairs(self):
        """Rows lost or altered behind the hooks' back are repaired by the nightly run, which
        leaves the correct rows alone."""
        Line = self.env["vertrieb.kpi.contact.line"]
        before = self._counts()
        untouched = Line.search([("user_id", "=", self.user_sales_2.id)])
        self.env.execute_query(
            SQL("DELETE FROM vertrieb_kpi_contact_line WHERE user_id = %s AND source = 'email'", self.user_sales_1.id)
        )
        self.env.execute_query(
            SQL(
                "UPDATE vertrieb_kpi_contact_line SET contact_type = 'offer'"
                " WHERE user_id = %s AND contact_type = 'call'",
                self.user_sales_1.id,
            )
        )
        Line.invalidate_model()
        self.assertEqual(Line._vertrieb_sync_full(batch_size=1), (2, 3))
        self.assertEqual(self._counts(), before)
        self.assertEqual(untouched.exists(), untouched)

    def test_default_mapping_for_databases_without_one(self):
        """A database that had the module before the KPIs never loaded the default mapping: the
        update maps call, meeting and email, but never overrides a mapping someone made."""
        Type = self.env["mail.activity.type"].with_context(active_test=False)
        Param = self.env["ir.config_parameter"].sudo()
        self.assertTrue(Param.get_param("crm_vertrieb.default_contact_types"), "set at install: done once")
        self.assertFalse(Type._vertrieb_map_default_contact_types())
        Param.set_param("crm_vertrieb.default_contact_types", False)
        Type.search([("vertrieb_contact_type", "in", ("call", "meeting", "email"))]).vertrieb_contact_type = False
        self.assertTrue(Type._vertrieb_map_default_contact_types())
        self.assertEqual(self.env.ref("mail.mail_activity_data_call").vertrieb_contact_type, "call")
        self.assertEqual(self.env.ref("mail.mail_activity_data_meeting").vertrieb_contact_type, "meeting")
        self.assertEqual(self.env.ref("mail.mail_activity_data_email").vertrieb_contact_type, "email")
        # removed on purpose later: stays removed
        self.env.ref("mail.mail_activity_data_call").vertrieb_contact_type = False
        self.assertFalse(Type._vertrieb_map_default_contact_types())
        self.assertFalse(self.env.ref("mail.mail_activity_data_call").vertrieb_contact_type)
