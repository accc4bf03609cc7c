from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install", "crm_vertrieb_privacy")
class TestMailingPurpose(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.purpose = cls.env.ref("crm_vertrieb.privacy_purpose_email_marketing")
        Partner = cls.env["res.partner"]
        cls.granted = Partner.create({"name": "Mit Einwilligung", "email": "ja@example.com"})
        cls.silent = Partner.create({"name": "Ohne Einwilligung", "email": "still@example.com"})
        cls.restricted = Partner.create({"name": "Eingeschränkt", "email": "eingeschraenkt@example.com"})
        cls.withdrawn = Partner.create({"name": "Widerrufen", "email": "nein@example.com"})
        Consent = cls.env["vertrieb.privacy.consent"]
        evidence = {
            "state": "granted",
            "consent_date": fields.Datetime.now(),
            "channel": "web_form",
            "consent_text": "Ja, Newsletter.",
            "purpose_id": cls.purpose.id,
        }
        Consent.create([dict(evidence, partner_id=p.id) for p in (cls.granted, cls.restricted, cls.withdrawn)])
        cls.restricted._vertrieb_privacy_restrict("Art. 18 Antrag")
        Consent.search([("partner_id", "=", cls.withdrawn.id)]).write({"state": "withdrawn"})
        cls.partners = cls.granted | cls.silent | cls.restricted | cls.withdrawn

    def _mailing(self, model, domain):
        return self.env["mailing.mailing"].create(
            {
                "subject": "Frühjahrsaktion",
                "body_html": "<p>Hallo</p>",
                "mailing_model_id": self.env["ir.model"]._get_id(model),
                "mailing_domain": repr(domain),
            }
        )

    def test_partner_recipients_filtered(self):
        mailing = self._mailing("res.partner", [("id", "in", self.partners.ids)])
        self.assertEqual(mailing.vertrieb_purpose_id, self.purpose)
        self.assertEqual(sorted(mailing._get_recipients()), [self.granted.id])
        self.assertEqual(mailing.total, 1)
        # without a purpose the mailing's own computation applies (no exclusion)
        mailing.vertrieb_purpose_id = False
        self.assertEqual(sorted(mailing._get_recipients()), sorted(self.partners.ids))

    def test_lead_recipients_filtered(self):
        leads = self.env["crm.lead"].create(
            [{"name": f"Lead {p.name}", "partner_id": p.id, "email_from": p.email} for p in (self.granted, self.silent)]
        )
        leads |= self.env["crm.lead"].create({"name": "Ohne Kontakt", "email_from": "fremd@example.com"})
        mailing = self._mailing("crm.lead", [("id", "in", leads.ids)])
        self.assertEqual(self.env["crm.lead"].browse(mailing._get_recipients()).partner_id, self.granted)

    def test_mailing_contacts_exclude_objections(self):
        mailing_list = self.env["mailing.list"].create({"name": "Newsletter"})
        contacts = self.env["mailing.contact"].create(
            [
                {"name": p.name, "email": p.email, "list_ids": [(4, mailing_list.id)]}
                for p in (self.granted, self.silent, self.withdrawn, self.restricted)
            ]
        )
        mailing = self._mailing("mailing.list", [])
        mailing.contact_list_ids = mailing_list
        recipients = self.env["mailing.contact"].browse(mailing._get_recipients())
        # a consent-based purpose: list contacts without a granted consent are excluded too
        self.assertEqual(set(recipients.mapped("email")), {"ja@example.com"})
        self.assertEqual(len(contacts), 4)

    def test_mailing_must_name_its_purpose(self):
        mailing = self._mailing("res.partner", [("id", "in", self.partners.ids)])
        mailing.vertrieb_purpose_id = False
        with self.assertRaisesRegex(ValidationError, "must name its processing purpose"):
            mailing.action_put_in_queue()
        mailing.vertrieb_purpose_id = self.purpose
        mailing.action_put_in_queue()
        self.assertEqual(mailing.state, "in_queue")

    def test_sending_skips_restricted(self):
        """Art. 18: the restricted contact gets no email of the mailing."""
        mailing = self._mailing("res.partner", [("id", "in", self.partners.ids)])
        mailing.action_send_mail()
        mails = self.env["mail.mail"].sudo().search([("mailing_id", "=", mailing.id), ("state", "!=", "cancel")])
        self.assertNotIn(self.restricted, mails.recipient_ids)

    def test_erasure_list_contacts_and_traces(self):
        """Inventory line "mailing traces and list contacts": the person's list contacts go, the traces
        keep the statistics without the address."""
        mailing_list = self.env["mailing.list"].create({"name": "Newsletter"})
        contact = self.env["mailing.contact"].create(
            {"name": "Mit Einwilligung", "email": self.granted.email, "list_ids": [(4, mailing_list.id)]}
        )
        other = self.env["mailing.contact"].create(
            {"name": "Jemand", "email": "jemand@example.com", "list_ids": [(4, mailing_list.id)]}
        )
        mailing = self._mailing("res.partner", [("id", "in", self.granted.ids)])
        trace = self.env["mailing.trace"].create(
            {
                "trace_type": "mail",
                "model": "res.partner",
                "res_id": self.granted.id,
                "email": self.granted.email,
                "mass_mailing_id": mailing.id,
                "trace_status": "open",
            }
        )
        dpo = new_test_user(self.env, "cv_dpo_mailing", groups="base.group_user,crm_vertrieb.group_dpo")
        self.granted.with_user(dpo)._vertrieb_privacy_erase("Art. 17")
        self.assertFalse(contact.exists())
        self.assertTrue(other.exists())
        self.assertTrue(trace.exists(), "the mailing statistics keep the trace")
        self.assertEqual(trace.trace_status, "open")
        self.assertFalse(trace.email)
