from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged

from .common import CompetitorDealsCommon


@tagged("post_install", "-at_install", "crm_vertrieb_acquisition")
class TestAcquisitionCompetitor(CompetitorDealsCommon):
    def test_hit_rate_and_lost_revenue_per_competitor(self):
        won = self._deal("Gewonnen", 10000, self.alpha | self.beta, main=self.alpha)
        won.action_set_won()
        lost_alpha = self._deal("Verloren an Alpha", 5000, self.alpha)
        self._lose(lost_alpha, self.alpha)
        # lost to a competitor not listed before: it counts for it all the same
        lost_unlisted = self._deal("Verloren, Alpha nicht erfasst", 3000, self.beta)
        self._lose(lost_unlisted, self.alpha)
        self._deal("Offen", 7000, self.alpha)
        self.assertEqual(lost_alpha.lost_reason_id, self.reason)
        self.assertEqual(lost_alpha.vertrieb_lost_to_id, self.alpha)
        self.env.flush_all()
        Report = self.env["vertrieb.competitor.report"].with_user(self.user_sales_1)
        groups = Report.read_group(
            [("outcome", "in", ("won", "lost"))],
            ["won_count:sum", "lost_count:sum", "lost_to_count:sum", "hit_rate:avg", "lost_revenue:sum"],
            ["competitor_id"],
        )
        figures = {
            group["competitor_id"][0]: (
                group["won_count"],
                group["lost_count"],
                group["lost_to_count"],
                round(group["hit_rate"], 2),
                group["lost_revenue"],
            )
            for group in groups
        }
        # Alpha: won 1, lost 2 (both to Alpha) -> 1 / 3 = 33.33 %, 5,000 + 3,000 lost to it
        self.assertEqual(figures[self.alpha.id], (1, 2, 2, 33.33, 8000))
        # Beta: won 1, lost 1 (to Alpha) -> 50 %, nothing lost to Beta
        self.assertEqual(figures[self.beta.id], (1, 1, 0, 50.0, 0))
        by_reason = Report.read_group([("competitor_id", "=", self.alpha.id)], ["lost_count:sum"], ["lost_reason_id"])
        reasons = [(g["lost_reason_id"] and g["lost_reason_id"][0], g["lost_count"]) for g in by_reason]
        self.assertIn((self.reason.id, 2), reasons)
        self.assertEqual(self.alpha.lead_count, 3)

    def test_lost_to_on_won_lead_refused(self):
        lead = self._deal("Gewonnen", 1000, self.alpha)
        lead.action_set_won()
        with self.assertRefused(ValidationError, "is won: it cannot be lost to Alpha Technik"):
            lead.write({"vertrieb_lost_to_id": self.alpha.id})
        self.assertFalse(lead.vertrieb_lost_to_id)

    def test_main_competitor_must_be_listed(self):
        with self.assertRefused(ValidationError, "must be one of its competitors"):
            self._deal("Hauptwettbewerber fehlt", 1000, self.beta, main=self.alpha)

    def test_competitor_reports_follow_lead_access(self):
        mine = self._deal("Meins", 1000, self.alpha)
        other = self._deal("Fremd", 1000, self.alpha)
        other.user_id = self.user_sales_2
        self.env.flush_all()
        rows = self.env["vertrieb.competitor.report"].with_user(self.user_sales_1).search([])
        self.assertIn(mine, rows.lead_id)
        self.assertNotIn(other, rows.lead_id)

    def test_competitor_notes_naming_a_person_are_erased(self):
        """Competitor notes are about companies; one that names a person anyway is covered by the
        erasure (Art. 17): the name and the address become "[…]", the market information stays."""
        person = self.env["res.partner"].create({"name": "Karl Konkurrenz", "email": "karl.k@example.com"})
        self.alpha.write(
            {
                "strengths": "Günstig; Herr karl konkurrenz (karl.k@example.com) kennt alle Einkäufer.",
                "weaknesses": "Lange Lieferzeiten",
                "segments": "Baumaschinen",
            }
        )
        self.beta.strengths = "Starker Service"
        dpo = new_test_user(
            self.env, "cv_acq_dpo", groups="base.group_user,crm_vertrieb.group_dpo,base.group_partner_manager"
        )
        person.with_user(dpo)._vertrieb_privacy_erase("Antrag nach Art. 17")
        self.assertEqual(self.alpha.strengths, "Günstig; Herr […] ([…]) kennt alle Einkäufer.")
        self.assertEqual(self.alpha.weaknesses, "Lange Lieferzeiten")
        self.assertEqual(self.alpha.segments, "Baumaschinen")
        self.assertEqual(self.beta.strengths, "Starker Service")
