"""Demo data that depends on the day of installation: called from the demo files only.

The demo tells the story of a German sales team (``demo/``): its company with a chart of accounts
and German public holidays, twelve weeks of customer contacts (calls, visits, meetings, e-mails,
offers; some that do not count), targets with green, yellow and red achievements and leads whose
step history spreads over weeks. Every method runs once per database (demo files are loaded with
``noupdate``; a second call changes nothing).
"""

import random
from datetime import datetime, time, timedelta

import pytz
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.modules.module import get_manifest
from odoo.tools import SQL, convert_file, date_utils

from ...tools.holidays_de import german_holidays

DEMO_WEEKS = 12
# the demo file that creates the demo company (and calls _vertrieb_demo_adopt)
DEMO_COMPANY_FILE = "demo/base/res_company_demo.xml"
BERLIN = pytz.timezone("Europe/Berlin")
# salesperson (XML id) -> (usual contacts per week, contacts this week, weekly target, month/quarter light)
DEMO_PACE = {
    "user_salesperson_1": (12, 11, 10, "green"),
    "user_salesperson_2": (9, 8, 10, "yellow"),
    "user_salesperson_3": (6, 4, 10, "red"),
    "user_sales_manager": (3, 2, 0, None),
}
# target = actual * factor: above green, between yellow and green, below yellow (default thresholds)
_LIGHT_FACTOR = {"green": 0.9, "yellow": 1.12, "red": 2.0}
_CALLS = [
    "Telefonat: Bedarf für den Wartungsvertrag besprochen",
    "Rückruf zu Lieferzeiten und Verfügbarkeit",
    "Telefonat mit dem Einkauf: Rahmenkonditionen",
    "Nachfassen zum Angebot, Entscheidung nächste Woche",
    "Terminvereinbarung für den Besuch vor Ort",
    "Telefonat: Referenzkunden genannt",
]
_VISITS = [
    "Besuch vor Ort: Maschinenpark besichtigt",
    "Präsentation beim Geschäftsführer",
    "Jahresgespräch mit dem Einkauf",
]
_OFFERS = ["Angebot versendet", "Überarbeitetes Angebot mit Staffelpreisen versendet"]
_EMAILS = [
    ("Ihre Anfrage", "vielen Dank für Ihre Anfrage. Anbei finden Sie unsere Unterlagen."),
    ("Terminbestätigung", "hiermit bestätige ich unseren Termin. Ich freue mich auf das Gespräch."),
    ("Zusammenfassung unseres Gesprächs", "wie besprochen sende ich Ihnen die Zusammenfassung."),
    ("Preisliste 2027", "anbei die aktuelle Preisliste mit den vereinbarten Konditionen."),
]
_NOTES = ["Interne Notiz: Kunde vergleicht mit zwei Wettbewerbern.", "Interne Notiz: Budget erst im Q3 frei."]


def _berlin_to_utc(local):
    """UTC (naive, as stored) of a naive local time in Berlin."""
    return BERLIN.localize(local).astimezone(pytz.UTC).replace(tzinfo=None)


class VertriebDemo(models.AbstractModel):
    _name = "vertrieb.demo"
    _description = "Sales Steering: Demo Data"

    # ------------------------------------------------------------------------------------------
    # LANGUAGE
    # ------------------------------------------------------------------------------------------

    @api.model
    def _vertrieb_demo_translations(self):
        """The module's terms in the installed languages before the demo creates its records: Odoo
        loads a module's translations only after its demo data, and the activities and notes the
        demo causes are written in their readers' language (German for the demo team), which
        includes names of the module's data (next actions, steps)."""
        langs = [code for code, _name in self.env["res.lang"].get_installed() if code != "en_US"]
        if langs:
            module = self.env["ir.module.module"].sudo().search([("name", "=", "crm_vertrieb")])
            module._update_translations(filter_lang=langs)

    # ------------------------------------------------------------------------------------------
    # COMPANY
    # ------------------------------------------------------------------------------------------

    @api.model
    def _vertrieb_demo_setup_company(self, company_id):
        """Chart of accounts (SKR03 when l10n_de is installed, else the generic one) and the German
        public holidays of this year and the next on the company's working-time calendar. Runs at
        every installation and update (Odoo skips the demo's functions on an update, but a company
        that is new in an update needs its chart before its invoices): only what is missing."""
        company = self.env["res.company"].browse(company_id)
        if not company.chart_template:
            l10n_de = self.env["ir.module.module"].sudo().search([("name", "=", "l10n_de")])
            template = "de_skr03" if l10n_de.state == "installed" else "generic_coa"
            self.env["account.chart.template"].try_loading(template, company, install_demo=False)
            # the generic chart brings US dollars: the company works in euros (no entries exist yet)
            euro = self.env.ref("base.EUR")
            if company.currency_id != euro:
                company.currency_id = euro
        calendar = company.resource_calendar_id
        if not calendar:
            return
        if calendar.tz != "Europe/Berlin":
            calendar.tz = "Europe/Berlin"
        Leave = self.env["resource.calendar.leaves"].sudo()
        known = set(Leave.search([("calendar_id", "=", calendar.id), ("resource_id", "=", False)]).mapped("name"))
        year = fields.Date.context_today(self).year
        vals_list = []
        for day, name in german_holidays(year, "BW") + german_holidays(year + 1, "BW"):
            label = f"{name} {day.year}"
            if label in known:
                continue
            start = _berlin_to_utc(datetime.combine(day, time.min))
            vals_list.append(
                {
                    "name": label,
                    "calendar_id": calendar.id,
                    "company_id": company.id,
                    "date_from": start,
                    "date_to": start + timedelta(days=1, seconds=-1),
                    "time_type": "leave",
                }
            )
        Leave.create(vals_list)

    @api.model
    def _vertrieb_demo_adopt(self, company_id):
        """A database whose demo was installed before the demo company existed (18.0.1.0.0: the
        demo team, its customers and invoices in the main company) gets, at its update, the demo as
        a fresh installation loads it. Odoo skips the demo's functions and existing records on an
        update, so the new records of the demo company would meet the old ones of the main company.
        The old demo's invoices and payment (posted in the main company; an entry cannot change its
        company) and its consents (a withdrawn one cannot be granted again) are removed, then the
        demo files are loaded as at installation: the demo's people, customers, leads and complaints
        move into the demo company with their current texts, the invoices and consents are created
        there, and the contacts, targets and step history follow.
        Does nothing once the demo team works in the demo company (a fresh installation, any
        later update)."""
        company = self.env["res.company"].browse(company_id)
        manager = self.env.ref("crm_vertrieb.user_sales_manager", raise_if_not_found=False)
        if not manager or company in manager.company_ids:
            return False
        moves = self._vertrieb_demo_records("account.move").filtered(lambda move: move.company_id != company)
        payments = moves._get_reconciled_payments().with_context(force_delete=True)
        payments.filtered(lambda payment: payment.state != "draft").action_draft()
        payments.unlink()
        moves = moves.with_context(force_delete=True)
        moves.filtered(lambda move: move.state != "draft").button_draft()
        moves.unlink()
        # made again: the payment wizard of the old invoice, and the consents (their state
        # follows the evidence: a withdrawn consent cannot be granted again by the demo file)
        self._vertrieb_demo_records("account.payment.register").unlink()
        if "vertrieb.privacy.consent" in self.env:
            self._vertrieb_demo_records("vertrieb.privacy.consent").filtered(
                lambda consent: consent.company_id != company
            ).unlink()
        # the old complaints move into the demo company with their references: its numbering
        # continues after them (references are unique per company)
        if "vertrieb.complaint" in self.env:
            moved = self._vertrieb_demo_records("vertrieb.complaint").filtered(lambda c: c.company_id != company)
            last = max(moved.mapped("name"), default="")
            for _complaint in moved:  # one number per moved complaint at most
                if self.env["vertrieb.complaint"]._next_reference(company) >= last:
                    break
        # the demo team may work in the demo company before its teams and records move there
        self._vertrieb_demo_records("res.users").write({"company_ids": [Command.link(company.id)]})
        self._vertrieb_demo_translations()
        idref = {}
        for filename in get_manifest("crm_vertrieb")["demo"]:
            if filename != DEMO_COMPANY_FILE:
                convert_file(self.env, "crm_vertrieb", filename, idref, mode="init", noupdate=True, kind="demo")
        return True

    @api.model
    def _vertrieb_demo_records(self, model):
        """The existing records of ``model`` that have an XML id of this module (as superuser)."""
        data = self.env["ir.model.data"].sudo().search([("module", "=", "crm_vertrieb"), ("model", "=", model)])
        return self.env[model].sudo().browse(data.mapped("res_id")).exists()

    # ------------------------------------------------------------------------------------------
    # CUSTOMER CONTACTS AND TARGETS
    # ------------------------------------------------------------------------------------------

    @api.model
    def _vertrieb_demo_contacts(self, company_id):
        """Twelve weeks of customer contacts of the demo salespeople, up to this moment, and their
        week, month and quarter targets."""
        Param = self.env["ir.config_parameter"].sudo()
        if Param.get_param("crm_vertrieb.demo_contacts_done"):
            return
        company = self.env["res.company"].browse(company_id)
        rng = random.Random(16)
        now_utc = fields.Datetime.now()
        now = pytz.UTC.localize(now_utc).astimezone(BERLIN).replace(tzinfo=None)
        today = now.date()
        holidays = {day for day, _name in german_holidays(today.year, "BW") + german_holidays(today.year - 1, "BW")}
        week_start = date_utils.start_of(today, "week")

        def moments(week, count):
            return self._vertrieb_demo_moments(rng, week_start - timedelta(weeks=week), count, now, holidays)

        messages, events, users = [], [], self.env["res.users"]
        for xmlid, (usual, this_week, _target, _light) in DEMO_PACE.items():
            user = self.env.ref(f"crm_vertrieb.{xmlid}", raise_if_not_found=False)
            if not user:
                continue
            users |= user
            leads = self.env["crm.lead"].search([("user_id", "=", user.id), ("company_id", "=", company.id)])
            partners = self.env["res.partner"].search([("user_id", "=", user.id), ("is_company", "=", True)])
            targets = [("crm.lead", lead, lead.partner_id) for lead in leads if lead.partner_id]
            targets += [("res.partner", p, p.child_ids[:1] or p) for p in partners]
            if not targets:
                continue
            for week in range(DEMO_WEEKS):
                count = this_week if week == 0 else max(0, usual + rng.randint(-3, 3))
                for index, moment in enumerate(moments(week, count)):
                    kind = rng.choices(["call", "email", "meeting", "visit", "offer"], [50, 25, 8, 10, 7])[0]
                    target = rng.choice(targets)
                    if week == 0 and index == count - 1:
                        # the latest contact (on the day of installation) is an offer: this week and
                        # this month show offers whatever the day, also on the 1st of a month
                        kind, target = "offer", next((t for t in targets if t[0] == "crm.lead"), target)
                    if kind == "visit" and (week == 0 or target[0] != "crm.lead"):
                        kind = "meeting"
                    if kind == "visit":
                        events.append(self._vertrieb_demo_visit(user, target, _berlin_to_utc(moment)))
                    else:
                        messages.append(self._vertrieb_demo_message(user, target, kind, _berlin_to_utc(moment), rng))
                # what the counting rules leave out: internal notes and done to-dos
                if week % 3 == 1:
                    target, moment = rng.choice(targets), _berlin_to_utc(moments(week, 1)[0])
                    messages.append(self._vertrieb_demo_message(user, target, "note", moment, rng))
                    messages.append(self._vertrieb_demo_message(user, target, "todo", moment, rng))
        self.env["mail.message"].sudo().create(messages)
        self.env["calendar.event"].sudo().with_context(
            no_mail_to_attendees=True, mail_create_nolog=True, mail_notrack=True, tracking_disable=True
        ).create(events)
        self.env["vertrieb.kpi.contact.line"].sudo()._vertrieb_sync(user_ids=users.ids)
        self._vertrieb_demo_targets(company, users, week_start, today)
        Param.set_param("crm_vertrieb.demo_contacts_done", fields.Datetime.to_string(now_utc))

    @api.model
    def _vertrieb_demo_moments(self, rng, start, count, now, holidays):
        """``count`` local working times in the week of ``start``; in the current week (``now``
        within it) spread up to now, the latest on the day of ``now`` itself."""
        if start <= now.date() < start + timedelta(weeks=1):
            begin = datetime.combine(start, time(7, 30))
            end = now - timedelta(minutes=5)
            if end <= begin:
                begin = datetime.combine(start, time.min)
            step = max((end - begin) / (count + 1), timedelta(0))
            result = [begin + step * (i + 1) for i in range(count)]
            if result:
                result[-1] = max(datetime.combine(now.date(), time.min), now - timedelta(minutes=30), result[-1])
            return result
        days = [start + timedelta(days=d) for d in range(5) if start + timedelta(days=d) not in holidays]
        return sorted(
            datetime.combine(rng.choice(days), time(rng.randint(8, 16), rng.choice((0, 15, 30, 45))))
            for _i in range(count)
        )

    @api.model
    def _vertrieb_demo_visit(self, user, target, start):
        """Values of a held visit (meeting in the calendar) of ``user`` on a lead."""
        _model, lead, customer = target
        return {
            "name": f"Besuch: {lead.partner_id.name}",
            "start": start,
            "stop": start + timedelta(hours=1, minutes=30),
            "user_id": user.id,
            "opportunity_id": lead.id,
            "res_model_id": self.env["ir.model"]._get_id("crm.lead"),
            "res_id": lead.id,
            "partner_ids": [Command.set([user.partner_id.id, customer.id])],
            "location": lead.partner_id.city or "",
        }

    @api.model
    def _vertrieb_demo_message(self, user, target, kind, date, rng):
        """Values of a chatter message of ``user`` on ``target`` (model, record, customer): a done
        activity (call, meeting, offer, to-do), an e-mail to the customer or an internal note."""
        model, record, customer = target
        vals = {"model": model, "res_id": record.id, "author_id": user.partner_id.id, "date": date}
        if kind == "email":
            subject, text = rng.choice(_EMAILS)
            return dict(
                vals,
                message_type="comment",
                subtype_id=self.env.ref("mail.mt_comment").id,
                subject=subject,
                body=Markup("<p>Guten Tag,</p><p>%s</p><p>Mit freundlichen Grüßen<br/>%s</p>") % (text, user.name),
                partner_ids=[Command.link(customer.id)],
            )
        if kind == "note":
            return dict(
                vals,
                message_type="comment",
                subtype_id=self.env.ref("mail.mt_note").id,
                is_internal=True,
                body=Markup("<p>%s</p>") % rng.choice(_NOTES),
            )
        activity_type, texts = {
            "call": ("mail.mail_activity_data_call", _CALLS),
            "meeting": ("mail.mail_activity_data_meeting", _VISITS),
            "offer": ("crm_vertrieb.mail_activity_type_offer", _OFFERS),
            "todo": ("mail.mail_activity_data_todo", ["Unterlagen für das Angebot zusammengestellt"]),
        }[kind]
        return dict(
            vals,
            message_type="notification",
            subtype_id=self.env.ref("mail.mt_activities").id,
            mail_activity_type_id=self.env.ref(activity_type).id,
            body=Markup("<p>%s</p>") % rng.choice(texts),
        )

    @api.model
    def _vertrieb_demo_targets(self, company, users, week_start, today):
        """A weekly contacts target for each of the twelve weeks, and month and quarter targets
        set against what was reached so far so that the traffic lights show green, yellow and red."""
        # no creation log or tracking in the targets' chatter: set up, not changed by anyone
        Target = self.env["vertrieb.kpi.target"].sudo().with_context(mail_create_nolog=True, tracking_disable=True)
        vals_list = []
        lights = {}
        for user in users:
            xmlid = next(key for key in DEMO_PACE if self.env.ref(f"crm_vertrieb.{key}") == user)
            _usual, _this_week, weekly, light = DEMO_PACE[xmlid]
            if not weekly:
                continue
            for week in range(DEMO_WEEKS):
                vals_list.append(
                    {
                        "company_id": company.id,
                        "user_id": user.id,
                        "kpi": "contacts",
                        "period": "week",
                        "date_from": week_start - timedelta(weeks=week),
                        "target_value": weekly,
                    }
                )
            for period in ("month", "quarter"):
                vals_list.append(
                    {
                        "company_id": company.id,
                        "user_id": user.id,
                        "kpi": "contacts",
                        "period": period,
                        "date_from": date_utils.start_of(today, period),
                        "target_value": 1,
                    }
                )
                lights[(user.id, period)] = light
        targets = Target.create(vals_list)
        for target in targets.filtered(lambda t: t.period != "week"):
            factor = _LIGHT_FACTOR[lights[(target.user_id.id, target.period)]]
            target.target_value = max(1, round(target.actual_value * factor))

    # ------------------------------------------------------------------------------------------
    # INFORMATION QUALITY
    # ------------------------------------------------------------------------------------------

    @api.model
    def _vertrieb_demo_duplicates(self, partner_ids):
        """The duplicate candidates of the demo's near-duplicates, as the nightly scan would list
        them (a pair already decided is kept by the scan)."""
        if "vertrieb.partner.duplicate" not in self.env:
            return
        partners = self.env["res.partner"].sudo().browse(partner_ids).exists()
        self.env["vertrieb.partner.duplicate"].sudo()._vertrieb_scan_partners(partners)

    # ------------------------------------------------------------------------------------------
    # ACQUISITION
    # ------------------------------------------------------------------------------------------

    @api.model
    def _vertrieb_demo_replan(self, lead, steps, entered):
        """The schedule of a demo lead from the day it entered its current step (the plan proposed at
        the installation starts today, so no demo lead would be overdue against it)."""
        if "vertrieb.lead.step.plan" not in self.env:
            return
        Plan = self.env["vertrieb.lead.step.plan"].sudo()
        calendar = (lead.company_id or self.env.company).resource_calendar_id
        schedule = Plan._vertrieb_schedule(calendar, steps, lead.vertrieb_step_id, entered.date())
        Plan.search([("lead_id", "=", lead.id)]).unlink()
        Plan.create([{"lead_id": lead.id, "step_id": step.id, "date_planned": day} for step, day in schedule])

    @api.model
    def _vertrieb_demo_step_history(self, lead_days):
        """Spread the step history of the demo leads over the past weeks: ``lead_days`` maps a lead's
        XML id to the days it has been in its current step (beyond the step's target duration it is
        overdue); the earlier steps took their target duration each."""
        Lead = self.env["crm.lead"].sudo()
        History = self.env["vertrieb.lead.step.history"].sudo()
        steps = self.env["vertrieb.acquisition.step"].sudo().search([], order="sequence, id")
        now = fields.Datetime.now()
        moved = Lead
        for xmlid, days in lead_days.items():
            lead = self.env.ref(xmlid, raise_if_not_found=False)
            if not lead or not lead.vertrieb_step_id:
                continue
            history = History.search([("lead_id", "=", lead.id)])
            # the demo moves its leads past the gates (overridden); a move without override came later
            if len(history.filtered(lambda line: not line.overridden)) > 1:
                continue  # moved since: keep its real history
            override = history.filtered("overridden")[:1]
            earlier = steps.filtered(lambda s, lead=lead: s.sequence < lead.vertrieb_step_id.sequence)
            enter = now - timedelta(days=days)
            vals_list = [
                {
                    "lead_id": lead.id,
                    "step_id": lead.vertrieb_step_id.id,
                    "stage_id": lead.stage_id.id,
                    "date_enter": enter,
                    "user_id": lead.user_id.id,
                    "overridden": bool(override),
                    "override_reason": override.override_reason,
                }
            ]
            for step in reversed(earlier):
                leave, enter = enter, enter - timedelta(days=step.target_days or 7)
                stage = self.env["crm.stage"].search(
                    [("vertrieb_step_id", "=", step.id), ("team_id", "=", lead.team_id.id)], limit=1
                )
                vals_list.append(
                    {
                        "lead_id": lead.id,
                        "step_id": step.id,
                        "stage_id": stage.id,
                        "date_enter": enter,
                        "date_leave": leave,
                        "user_id": lead.user_id.id,
                    }
                )
            history.unlink()
            History.create(vals_list)
            self._vertrieb_demo_replan(lead, steps, now - timedelta(days=days))
            self.env.execute_query(
                SQL(
                    "UPDATE crm_lead SET vertrieb_step_date_enter = %s WHERE id = %s",
                    now - timedelta(days=days),
                    lead.id,
                )
            )
            moved |= lead
        moved.invalidate_recordset(["vertrieb_step_date_enter"])
        moved.modified(["vertrieb_step_date_enter"])
        moved.flush_recordset()
