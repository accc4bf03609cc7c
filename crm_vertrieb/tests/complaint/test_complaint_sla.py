from datetime import timedelta

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ComplaintCommon

# queries of a complaint officer's new complaint (reference, policy, both deadlines on the
# company calendar through Odoo's plan_hours/plan_days, the acknowledgement to the customer, flush
# and commit hooks)
CREATE_QUERIES = 37


@tagged("post_install", "-at_install", "crm_vertrieb_complaint")
class TestComplaintSla(ComplaintCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Policy = cls.env["vertrieb.complaint.sla.policy"]
        cls.policy_days = Policy.create(
            {
                "name": "Standard",
                "time_unit": "days",
                "ack_time": 1,
                "resolve_time": 3,
                "reminder_hours": 4,
                "sequence": 20,
            }
        )
        cls.policy_hours = Policy.create(
            {
                "name": "Kritischer Defekt",
                "time_unit": "hours",
                "ack_time": 4,
                "resolve_time": 12,
                "reminder_hours": 1,
                "severity": "3",
                "category_id": cls.category_defect.id,
                "sequence": 30,
            }
        )
        # received Friday 2026-03-06, 15:00 Berlin time
        cls.friday = cls.berlin(2026, 3, 6, 15, 0)

    def test_policy_matching(self):
        complaint = self._complaint(date_received=self.friday)
        self.assertEqual(complaint.sla_policy_id, self.policy_days)
        complaint.write({"severity": "3", "category_id": self.category_defect.id})
        self.assertEqual(complaint.sla_policy_id, self.policy_hours)
        complaint.category_id = False
        self.assertEqual(complaint.sla_policy_id, self.policy_days)

    def test_working_days_across_weekend(self):
        complaint = self._complaint(date_received=self.friday)
        # 1 working day after Friday: end of Monday; 3 working days: end of Wednesday
        self.assertEqual(complaint.ack_deadline, self.berlin(2026, 3, 9, 17, 0))
        self.assertEqual(complaint.resolve_deadline, self.berlin(2026, 3, 11, 17, 0))

    def test_working_hours_across_weekend(self):
        complaint = self._complaint(date_received=self.friday, severity="3", category_id=self.category_defect.id)
        # 2 hours on Friday (15-17), the remaining 2 on Monday morning
        self.assertEqual(complaint.ack_deadline, self.berlin(2026, 3, 9, 10, 0))
        # 12 hours: Fri 2 h, Mon 8 h (with lunch break), Tue 2 h
        self.assertEqual(complaint.resolve_deadline, self.berlin(2026, 3, 10, 10, 0))

    def test_holiday_and_batch(self):
        """Complaints created together, each from its own date of receipt and policy, on the
        working time of the calendar without its holiday."""
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Feiertag",
                "calendar_id": self.calendar.id,
                "date_from": self.berlin(2026, 3, 9, 0, 0),
                "date_to": self.berlin(2026, 3, 9, 23, 59),
            }
        )
        days, hours, tuesday = self.Complaint.with_user(self.user_officer).create(
            [
                {"title": "Undichte Pumpe", "partner_id": self.customer.id, "date_received": self.friday},
                {
                    "title": "Pumpe ausgefallen",
                    "partner_id": self.customer.id,
                    "date_received": self.friday,
                    "severity": "3",
                    "category_id": self.category_defect.id,
                },
                {
                    "title": "Dichtung fehlt",
                    "partner_id": self.customer.id,
                    "date_received": self.berlin(2026, 3, 10, 16, 0),
                },
            ]
        )
        # Monday is a holiday: 1 working day after Friday ends on Tuesday, 3 on Thursday
        self.assertEqual(days.ack_deadline, self.berlin(2026, 3, 10, 17, 0))
        self.assertEqual(days.resolve_deadline, self.berlin(2026, 3, 12, 17, 0))
        # 4 hours: Friday 15-17, Tuesday 8-10; 12 hours: Friday 2, Tuesday 8, Wednesday 2
        self.assertEqual(hours.ack_deadline, self.berlin(2026, 3, 10, 10, 0))
        self.assertEqual(hours.resolve_deadline, self.berlin(2026, 3, 11, 10, 0))
        self.assertEqual(tuesday.ack_deadline, self.berlin(2026, 3, 11, 17, 0))
        self.assertEqual(tuesday.resolve_deadline, self.berlin(2026, 3, 13, 17, 0))

    def test_create_queries(self):
        Complaint = self.Complaint.with_user(self.user_officer)

        def create(title):
            complaint = Complaint.create(
                {"title": title, "partner_id": self.contact.id, "complaint_type": "claim", "severity": "3"}
            )
            self.env.flush_all()
            self.env.cr.precommit.run()
            return complaint

        create("Undichte Pumpe")  # caches filled
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=CREATE_QUERIES):
            complaint = create("Dichtung fehlt")
        self.assertEqual(complaint.sla_policy_id, self.policy_days)
        self.assertLess(complaint.ack_deadline, complaint.resolve_deadline)

    def test_status_and_filters(self):
        complaint = self._complaint(date_received=self.friday)
        Complaint = self.Complaint

        def status_at(moment):
            record = complaint.with_context(sla_now=moment)
            found = Complaint.with_context(sla_now=moment).search(
                [("id", "=", complaint.id), ("sla_status", "=", record.sla_status)]
            )
            self.assertEqual(found, complaint, "the filter must agree with the computed status")
            return record.sla_status

        self.assertEqual(status_at(self.berlin(2026, 3, 7, 10, 0)), "on_time")  # Saturday
        self.assertEqual(status_at(self.berlin(2026, 3, 9, 14, 0)), "at_risk")  # Monday, 3 h before
        self.assertEqual(status_at(self.berlin(2026, 3, 9, 17, 30)), "overdue")
        # acknowledged late: the next deadline is the resolution
        complaint.date_acknowledged = self.berlin(2026, 3, 9, 17, 30)
        self.assertFalse(complaint.ack_sla_met)
        self.assertEqual(complaint.sla_deadline, complaint.resolve_deadline)
        self.assertEqual(status_at(self.berlin(2026, 3, 10, 9, 0)), "on_time")
        complaint.date_resolved = self.berlin(2026, 3, 10, 9, 0)
        self.assertTrue(complaint.resolve_sla_met)
        self.assertEqual(status_at(self.berlin(2026, 3, 10, 9, 0)), "missed")
        self.assertEqual(complaint.sla_met_rate, 0.0)
        complaint.date_acknowledged = self.berlin(2026, 3, 9, 9, 0)
        self.assertEqual(status_at(self.berlin(2026, 3, 10, 9, 0)), "met")
        self.assertEqual(complaint.sla_met_rate, 100.0)
        self.assertAlmostEqual(complaint.ack_hours, 66.0)  # Fri 15:00 -> Mon 09:00
        self.assertAlmostEqual(complaint.resolve_hours, 90.0)

    def test_reminder_activity(self):
        now = self.env.cr.now().replace(microsecond=0)
        complaint = self._complaint(date_received=now, user_id=self.user_officer.id)
        # deadline within the reminder window
        complaint.ack_deadline = now + timedelta(hours=2)
        on_time = self._complaint(date_received=now, user_id=self.user_officer.id)
        on_time.ack_deadline = now + timedelta(days=5)
        self.Complaint._cron_sla_reminders()
        self.assertEqual(len(complaint.activity_ids), 1)
        self.assertEqual(complaint.activity_ids.user_id, self.user_officer)
        self.assertFalse(on_time.activity_ids)
        self.Complaint._cron_sla_reminders()
        self.assertEqual(len(complaint.activity_ids), 1, "one reminder per deadline")

    def test_policy_bad_input(self):
        with self.assertRaisesRegex(ValidationError, "greater than zero"):
            self.env["vertrieb.complaint.sla.policy"].create({"name": "Falsch", "ack_time": 0, "resolve_time": 2})
        with self.assertRaisesRegex(ValidationError, "cannot be shorter"):
            self.env["vertrieb.complaint.sla.policy"].create({"name": "Falsch", "ack_time": 5, "resolve_time": 2})
