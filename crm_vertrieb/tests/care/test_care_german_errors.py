# pylint: disable=translation-required
from contextlib import contextmanager
from datetime import timedelta

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import VertriebCareCommon


@tagged("post_install", "-at_install", "crm_vertrieb_care")
class TestCareGermanErrors(VertriebCareCommon):
    """Every refusal of the care feature, in German for a German-speaking user; nothing is written."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("de_DE")
        cls.env["ir.module.module"].search([("name", "=", "crm_vertrieb")])._update_translations(["de_DE"])
        cls.env["vertrieb.territory"].search([]).active = False  # the demo territories are out of the way
        for user in (cls.user_sales_1, cls.user_manager):
            user.lang = "de_DE"
        cls.env = cls.env(context=dict(cls.env.context, lang="de_DE"))  # the users' language in their requests
        cls.de = cls.env.ref("base.de")
        cls.territory = cls.env["vertrieb.territory"].create(
            {
                "name": "Bayern",
                "range_ids": [Command.create({"country_id": cls.de.id, "zip_from": "80000", "zip_to": "89999"})],
            }
        )

    @contextmanager
    def _refused(self, exception, pattern):
        """``assertRaises`` of Odoo's test case rolls back to a savepoint: what was refused is not in
        the database nor in the cache afterwards; the message is checked on top."""
        with self.assertRaises(exception) as error:
            yield
        self.assertRegex(str(error.exception), pattern)

    def test_territory_errors_in_german(self):
        Territory = self.env["vertrieb.territory"].with_user(self.user_manager)
        Range = self.env["vertrieb.territory.range"].with_user(self.user_manager)
        count = Range.search_count([])
        with self._refused(ValidationError, r"Der PLZ-Bereich endet \(80000\), bevor er beginnt \(89999\)\."):
            Range.create(
                {"territory_id": self.territory.id, "country_id": self.de.id, "zip_from": "89999", "zip_to": "80000"}
            )
        with self._refused(ValidationError, "haben 5 Ziffern: 8000 ist ungültig"):
            Range.create(
                {"territory_id": self.territory.id, "country_id": self.de.id, "zip_from": "8000", "zip_to": "80999"}
            )
        with self._refused(ValidationError, "PLZ-Bereiche gibt es nur für Deutschland, Österreich und die Schweiz"):
            Territory.create(
                {
                    "name": "Frankreich",
                    "range_ids": [
                        Command.create(
                            {"country_id": self.env.ref("base.fr").id, "zip_from": "75000", "zip_to": "75999"}
                        )
                    ],
                }
            )
        with self._refused(
            ValidationError, "Der PLZ-Bereich DE 85000-85999 des Gebiets München überschneidet sich mit dem Bereich"
        ):
            Territory.create(
                {
                    "name": "München",
                    "range_ids": [Command.create({"country_id": self.de.id, "zip_from": "85000", "zip_to": "85999"})],
                }
            )
        self.assertEqual(Range.search_count([]), count, "nothing half-written")
        self.assertFalse(Territory.search([("name", "in", ("Frankreich", "München"))]))

    def test_rhythm_and_settings_errors_in_german(self):
        customer = self.customer_c.with_user(self.user_manager).with_context(lang="de_DE")
        with self._refused(
            ValidationError, "Der Kontaktrhythmus von Fischer Metall GmbH muss mindestens einen Tag betragen"
        ):
            customer.write({"vertrieb_care_interval_custom": True, "vertrieb_care_interval_days": -1})
        self.assertFalse(self.customer_c.vertrieb_care_interval_custom)
        company = self.company.with_context(lang="de_DE")
        with self._refused(ValidationError, "Ein Kontaktrhythmus muss mindestens einen Tag betragen"):
            company.vertrieb_care_interval_a = 0
        with self._refused(ValidationError, "„Kontakt fällig“ pro Tag darf nicht negativ sein"):
            company.vertrieb_care_daily_cap = -1
        with self._refused(ValidationError, "muss zwischen 0 und 100 % liegen"):
            company.vertrieb_churn_drop_share = 120.0
        with self._refused(ValidationError, "die Monate ohne Rechnung müssen positiv sein"):
            company.vertrieb_churn_silent_months = 0

    def test_work_list_and_visit_plan_errors_in_german(self):
        self._set_class(self.customer_b, "b")
        care_b = self._care(self.customer_b)
        self.customer_b.sudo()._vertrieb_privacy_restrict("Bestreitet die Richtigkeit")
        activities = self.customer_b.activity_ids
        with self._refused(UserError, "Datenschutz: Die Kundenbetreuung darf Becker Elektro KG nicht kontaktieren"):
            care_b.with_user(self.user_sales_1).with_context(lang="de_DE").action_plan_call()
        self.assertEqual(self.customer_b.activity_ids, activities, "nothing half-written")
        Plan = self.env["vertrieb.care.visit.plan"].with_user(self.user_sales_1)
        with self._refused(UserError, "Der Besuchsplan endet, bevor er beginnt"):
            Plan.create({"date_from": self.today, "date_to": self.today - timedelta(days=1)})
        with self._refused(UserError, "Mindestens einen Besuch pro Tag planen"):
            Plan.create({"date_from": self.today, "date_to": self.today, "visits_per_day": 0})
        plan = Plan.create({"date_from": self.today, "date_to": self.today})
        with self._refused(UserError, "zuerst die fälligen Kunden laden"):
            plan.action_create_meetings()
