# chatter texts in these tests are test data, never shown to users
# pylint: disable=translation-required
from datetime import datetime, time, timedelta

from odoo import Command, fields
from odoo.tests import new_test_user
from odoo.tools import date_utils

from ..common import VertriebCommon


class VertriebKpiCommon(VertriebCommon):
    """A small hand-counted dataset for the activity-rate KPIs.

    All contacts lie in the week ``cls.week_start`` (a Monday, two weeks ago):

    ============  ===========================================================  ==========
    salesperson   contact                                                      counts as
    ============  ===========================================================  ==========
    sales1        call done on lead_1 (Monday)                                 call
    sales1        offer done on lead_1 (Tuesday)                               offer
    sales1        call done on the customer (partner, Wednesday)               call
    sales1        to-do done on lead_1 (type not mapped)                       —
    manager       call on lead_1 (assigned to sales1) marked done by manager   call (manager)
    sales2        call on lead_2                                               call
    sales1        meeting on lead_1, held Thursday, customer attends           meeting
    sales1        cancelled (archived) meeting on lead_1                       —
    sales1        meeting in the future                                        —
    sales1/2      meeting on lead_1, organiser sales1, declined by sales2      meeting (sales1 only)
    sales1        email to the customer on lead_1 (Friday)                     email
    sales1        internal note on lead_1                                      —
    sales1        message on lead_1 to an internal user only                   —
    ============  ===========================================================  ==========

    sales1: 6 contacts (2 calls, 1 offer, 2 meetings, 1 email); sales2: 1 call.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.week_start = date_utils.start_of(fields.Date.today() - timedelta(days=14), "week")
        cls.week_end = cls.week_start + timedelta(days=6)
        cls.user_leader_2 = new_test_user(
            cls.env, "cv_leader2", groups="sales_team.group_sale_salesman", name="Jens Teamleiter"
        )
        cls.team_2.user_id = cls.user_leader_2
        cls.lead_1 = cls.env["crm.lead"].create(
            {
                "name": "Hallenneubau Müller",
                "type": "opportunity",
                "partner_id": cls.customer.id,
                "user_id": cls.user_sales_1.id,
                "team_id": cls.team_1.id,
            }
        )
        cls.type_call = cls.env.ref("mail.mail_activity_data_call")
        cls.type_todo = cls.env.ref("mail.mail_activity_data_todo")
        cls.type_offer = cls.env.ref("crm_vertrieb.mail_activity_type_offer")
        cls.type_meeting = cls.env.ref("mail.mail_activity_data_meeting")

        cls._done_activity(cls.lead_1, cls.type_call, cls.user_sales_1, cls.user_sales_1, 0)
        cls._done_activity(cls.lead_1, cls.type_offer, cls.user_sales_1, cls.user_sales_1, 1)
        cls._done_activity(cls.customer, cls.type_call, cls.user_sales_1, cls.user_sales_1, 2)
        cls._done_activity(cls.lead_1, cls.type_todo, cls.user_sales_1, cls.user_sales_1, 2)
        # assigned to sales1, but marked done by the manager: counts for the manager
        cls._done_activity(cls.lead_1, cls.type_call, cls.user_sales_1, cls.user_manager, 3)
        cls.lead_2 = cls.env["crm.lead"].create(
            {"name": "Lager Nord", "type": "opportunity", "user_id": cls.user_sales_2.id, "team_id": cls.team_2.id}
        )
        cls._done_activity(cls.lead_2, cls.type_call, cls.user_sales_2, cls.user_sales_2, 3)

        cls.meeting = cls._meeting(cls.user_sales_1, 3, [cls.customer])
        cancelled = cls._meeting(cls.user_sales_1, 3, [cls.customer])
        cancelled.active = False
        cls._meeting(cls.user_sales_1, 30, [cls.customer], from_today=True)
        declined = cls._meeting(cls.user_sales_1, 4, [cls.customer, cls.user_sales_2.partner_id])
        declined.attendee_ids.filtered(lambda a: a.partner_id == cls.user_sales_1.partner_id).state = "accepted"
        declined.attendee_ids.filtered(lambda a: a.partner_id == cls.user_sales_2.partner_id).state = "declined"

        lead_s1 = cls.lead_1.with_user(cls.user_sales_1)
        email = lead_s1.message_post(
            body="Angebot anbei", partner_ids=cls.customer.ids, message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        note = lead_s1.message_post(body="Intern: Kunde zögert", message_type="comment", subtype_xmlid="mail.mt_note")
        internal = lead_s1.message_post(
            body="Kannst du übernehmen?",
            partner_ids=cls.user_sales_2.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        cls._set_date(email | note | internal, 4)

    @classmethod
    def _at(cls, day, hour=10):
        return datetime.combine(cls.week_start + timedelta(days=day), time(hour, 0))

    @classmethod
    def _set_date(cls, messages, day):
        messages.sudo().write({"date": cls._at(day)})

    @classmethod
    def _done_activity(cls, record, activity_type, assignee, done_by, day):
        activity = cls.env["mail.activity"].create(
            {
                "res_model_id": cls.env["ir.model"]._get_id(record._name),
                "res_id": record.id,
                "activity_type_id": activity_type.id,
                "user_id": assignee.id,
                "date_deadline": cls.week_start + timedelta(days=day),
            }
        )
        message_id = activity.with_user(done_by).action_feedback(feedback="erledigt")
        cls._set_date(cls.env["mail.message"].browse(message_id), day)
        return message_id

    @classmethod
    def _meeting(cls, organiser, day, partners, from_today=False):
        start = datetime.combine(fields.Date.today() + timedelta(days=day), time(10, 0)) if from_today else cls._at(day)
        return (
            cls.env["calendar.event"]
            .with_context(mail_notrack=True, no_mail_to_attendees=True)
            .create(
                {
                    "name": "Termin vor Ort",
                    "start": start,
                    "stop": start + timedelta(hours=1),
                    "user_id": organiser.id,
                    "opportunity_id": cls.lead_1.id,
                    "partner_ids": [Command.set([organiser.partner_id.id] + [p.id for p in partners])],
                }
            )
        )

    def _counts(self, model_env=None, domain=None):
        Contact = (model_env or self.env)["vertrieb.kpi.contact"]
        groups = Contact._read_group(
            [
                ("source", "!=", "target"),
                ("date", ">=", self.week_start),
                ("date", "<=", self.week_end),
                ("user_id", "in", (self.user_sales_1 | self.user_sales_2).ids),
            ]
            + (domain or []),
            ["user_id", "contact_type"],
            ["contact_count:sum"],
        )
        return {(user.login, ctype): count for user, ctype, count in groups}
