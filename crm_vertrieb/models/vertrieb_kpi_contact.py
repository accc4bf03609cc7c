from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import create_index

from .mail_activity_type import CONTACT_TYPES


class VertriebKpiContact(models.Model):
    """Customer contacts counted for the activity rate (Schlagzahl), one row per contact.

    Read-only SQL view over three sources (see readme/USAGE.md, "Counting rules"):

    * done activities: ``mail.message`` rows with ``mail_activity_type_id`` of a type mapped to a
      contact type, on a lead or a partner, attributed to the author (who marked it done);
    * held meetings: past, active ``calendar.event`` linked to a lead or a customer, one row per
      salesperson attending (accepted, or organiser unless declined);
    * emails: non-internal ``mail.message`` (email / comment) authored by a salesperson on a lead
      or a partner, sent to at least one recipient that is not an internal user.

    Targets of the "contacts" KPIs are added as rows with ``source = 'target'`` carrying only the
    ``target_value`` measure, so that pivots show the count against the target.
    """

    _name = "vertrieb.kpi.contact"
    _inherit = "vertrieb.kpi.report.mixin"
    _description = "Customer Contact (Activity Rate)"
    _auto = False
    _order = "date_done desc, id desc"
    _rec_name = "contact_type"
    _depends = {
        "mail.message": [
            "author_id",
            "date",
            "model",
            "res_id",
            "message_type",
            "subtype_id",
            "is_internal",
            "mail_activity_type_id",
            "partner_ids",
            "notification_ids",
        ],
        "mail.notification": ["mail_message_id", "res_partner_id", "notification_type"],
        "mail.activity.type": ["vertrieb_contact_type", "category"],
        "mail.message.subtype": ["internal"],
        "calendar.event": ["start", "stop", "active", "user_id", "opportunity_id", "res_model", "res_id"],
        "calendar.attendee": ["event_id", "partner_id", "state"],
        "crm.lead": ["partner_id", "company_id"],
        "crm.team.member": ["user_id", "crm_team_id", "active"],
        "res.users": ["partner_id", "share", "company_id"],
        "vertrieb.kpi.target": ["kpi", "user_id", "team_id", "date_from", "target_value", "company_id", "active"],
    }

    source = fields.Selection(
        [("activity", "Done Activity"), ("calendar", "Meeting"), ("email", "Email"), ("target", "Target")],
        readonly=True,
    )
    contact_type = fields.Selection(CONTACT_TYPES, readonly=True)
    activity_type_id = fields.Many2one("mail.activity.type", readonly=True)
    date_done = fields.Datetime("Done On", readonly=True)
    date = fields.Date(readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    lead_id = fields.Many2one("crm.lead", string="Lead/Opportunity", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    res_model = fields.Char("Document Model", readonly=True)
    res_id = fields.Many2oneReference("Document", model_field="res_model", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    contact_count = fields.Integer("Contacts", readonly=True, aggregator="sum")
    target_value = fields.Float("Target", readonly=True, aggregator="sum")

    def _staff_query(self):
        """Internal users by partner, with their company and (first) sales team: joined once per
        source row, so the team costs no extra join over all contacts."""
        return SQL(
            """
            SELECT DISTINCT ON (u.partner_id) u.partner_id, u.id AS user_id, u.company_id, mb.crm_team_id AS team_id
              FROM res_users u
              LEFT JOIN (SELECT DISTINCT ON (tm.user_id) tm.user_id, tm.crm_team_id
                           FROM crm_team_member tm
                          WHERE tm.active
                          ORDER BY tm.user_id, tm.create_date, tm.id) mb ON mb.user_id = u.id
             WHERE u.share IS NOT TRUE
             ORDER BY u.partner_id, u.id
            """
        )

    def _activity_query(self):
        return SQL(
            """
            SELECT m.id::bigint * 4 AS id, 'activity' AS source, t.vertrieb_contact_type AS contact_type,
                   m.mail_activity_type_id AS activity_type_id, m.date AS date_done,
                   m.date::date AS date, s.user_id, s.team_id,
                   CASE WHEN m.model = 'crm.lead' THEN m.res_id END AS lead_id,
                   CASE WHEN m.model = 'res.partner' THEN m.res_id ELSE l.partner_id END AS partner_id,
                   m.model AS res_model, m.res_id, COALESCE(l.company_id, s.company_id) AS company_id,
                   1 AS contact_count, 0.0 AS target_value
              FROM mail_message m
              JOIN mail_activity_type t ON t.id = m.mail_activity_type_id
              JOIN staff s ON s.partner_id = m.author_id
              LEFT JOIN crm_lead l ON m.model = 'crm.lead' AND l.id = m.res_id
             WHERE m.mail_activity_type_id IS NOT NULL
               AND m.model IN ('crm.lead', 'res.partner')
               AND t.vertrieb_contact_type IS NOT NULL
               AND NOT (t.category = 'meeting' AND m.model = 'crm.lead' AND EXISTS (
                        SELECT 1 FROM calendar_event e
                         WHERE e.opportunity_id = m.res_id AND e.active AND e.user_id = s.user_id
                           AND e.start::date = m.date::date AND e.stop < now() AT TIME ZONE 'UTC'))
            """
        )

    def _meeting_query(self):
        return SQL(
            """
            SELECT a.id::bigint * 4 + 1 AS id, 'calendar' AS source, 'meeting' AS contact_type,
                   NULL::integer AS activity_type_id, e.start AS date_done,
                   e.start::date AS date, s.user_id, s.team_id,
                   l.id AS lead_id,
                   CASE WHEN e.res_model = 'res.partner' THEN e.res_id ELSE l.partner_id END AS partner_id,
                   CASE WHEN l.id IS NOT NULL THEN 'crm.lead' ELSE 'calendar.event' END AS res_model,
                   COALESCE(l.id, e.id) AS res_id, COALESCE(l.company_id, s.company_id) AS company_id,
                   1 AS contact_count, 0.0 AS target_value
              FROM calendar_event e
              JOIN calendar_attendee a ON a.event_id = e.id
              JOIN staff s ON s.partner_id = a.partner_id
              LEFT JOIN crm_lead l ON l.id = COALESCE(
                        e.opportunity_id, CASE WHEN e.res_model = 'crm.lead' THEN e.res_id END)
             WHERE e.active
               AND e.stop < now() AT TIME ZONE 'UTC'
               AND (a.state = 'accepted' OR (a.state IS DISTINCT FROM 'declined' AND e.user_id = s.user_id))
               AND (l.id IS NOT NULL OR e.res_model = 'res.partner' OR EXISTS (
                        SELECT 1 FROM calendar_attendee x
                         WHERE x.event_id = e.id
                           AND NOT EXISTS (SELECT 1 FROM staff s2 WHERE s2.partner_id = x.partner_id)))
            """
        )

    def _email_query(self):
        return SQL(
            """
            SELECT m.id::bigint * 4 + 2 AS id, 'email' AS source, 'email' AS contact_type,
                   NULL::integer AS activity_type_id, m.date AS date_done,
                   m.date::date AS date, s.user_id, s.team_id,
                   CASE WHEN m.model = 'crm.lead' THEN m.res_id END AS lead_id,
                   CASE WHEN m.model = 'res.partner' THEN m.res_id ELSE l.partner_id END AS partner_id,
                   m.model AS res_model, m.res_id, COALESCE(l.company_id, s.company_id) AS company_id,
                   1 AS contact_count, 0.0 AS target_value
              FROM mail_message m
              JOIN staff s ON s.partner_id = m.author_id
              JOIN mail_message_subtype st ON st.id = m.subtype_id
              LEFT JOIN crm_lead l ON m.model = 'crm.lead' AND l.id = m.res_id
             WHERE m.message_type IN ('email', 'comment')
               AND m.mail_activity_type_id IS NULL
               AND m.model IN ('crm.lead', 'res.partner')
               AND st.internal IS NOT TRUE
               AND m.is_internal IS NOT TRUE
               AND (EXISTS (SELECT 1 FROM mail_message_res_partner_rel r
                             WHERE r.mail_message_id = m.id
                               AND NOT EXISTS (SELECT 1 FROM staff s2 WHERE s2.partner_id = r.res_partner_id))
                    OR EXISTS (SELECT 1 FROM mail_notification n
                                WHERE n.mail_message_id = m.id AND n.notification_type = 'email'
                                  AND NOT EXISTS (SELECT 1 FROM staff s2 WHERE s2.partner_id = n.res_partner_id)))
            """
        )

    def _target_query(self):
        return SQL(
            """
            SELECT -t.id::bigint AS id, 'target' AS source,
                   CASE t.kpi WHEN 'contacts_call' THEN 'call' WHEN 'contacts_meeting' THEN 'meeting'
                              WHEN 'contacts_email' THEN 'email' WHEN 'offers' THEN 'offer' END AS contact_type,
                   NULL::integer AS activity_type_id, t.date_from::timestamp AS date_done,
                   t.date_from AS date, t.user_id, COALESCE(t.team_id, s.team_id) AS team_id,
                   NULL::integer AS lead_id, NULL::integer AS partner_id, NULL AS res_model, NULL::integer AS res_id,
                   t.company_id, 0 AS contact_count, t.target_value
              FROM vertrieb_kpi_target t
              LEFT JOIN staff s ON s.user_id = t.user_id
             WHERE t.active AND t.kpi IN ('contacts', 'contacts_call', 'contacts_meeting', 'contacts_email', 'offers')
            """
        )

    def _view_query(self):
        return SQL(
            """
            WITH staff AS MATERIALIZED (%(staff)s)
            %(activity)s UNION ALL %(meeting)s UNION ALL %(email)s UNION ALL %(target)s
            """,
            staff=self._staff_query(),
            activity=self._activity_query(),
            meeting=self._meeting_query(),
            email=self._email_query(),
            target=self._target_query(),
        )

    def init(self):
        # the email branch reads few of the many chatter messages: a partial index keeps it from
        # scanning the whole table next to the done activities
        create_index(
            self.env.cr,
            "mail_message_vertrieb_kpi_email_index",
            "mail_message",
            ["author_id"],
            where="message_type IN ('email', 'comment') AND mail_activity_type_id IS NULL "
            "AND model IN ('crm.lead', 'res.partner')",
        )
        return super().init()

    # ------------------------------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------------------------------

    def action_open_document(self):
        """Drill down from a counted contact to the lead, customer or meeting it was made on."""
        self.ensure_one()
        if not self.res_model or not self.res_id:
            return False
        return self._vertrieb_open_form(self.env[self.res_model].browse(self.res_id))

    @api.model
    def _vertrieb_contact_kpis(self):
        """KPI selection value -> contact type (False: all types)."""
        return {
            "contacts": False,
            "contacts_call": "call",
            "contacts_meeting": "meeting",
            "contacts_email": "email",
            "offers": "offer",
        }
