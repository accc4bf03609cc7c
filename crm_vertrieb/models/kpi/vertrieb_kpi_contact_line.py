import hashlib
import logging
import time

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import create_index, drop_index, index_exists

from ..base.column_fill import indexes_built_after
from .mail_activity_type import CONTACT_TYPES

_logger = logging.getLogger(__name__)

LEDGER_VERSION_PARAM = "crm_vertrieb.kpi_contact_ledger_version"
MEETINGS_SYNCED_PARAM = "crm_vertrieb.kpi_contact_meetings_synced_at"
_PG_TZ_NAMES = {}  # database name -> time zone names PostgreSQL knows (an array literal)

# columns written by the sync, in this order (the comparison of a fresh row with a stored one
# uses all of them: a row that did not change is neither deleted nor inserted again)
LEDGER_COLUMNS = (
    "source",
    "contact_type",
    "activity_type_id",
    "date_done",
    "date",
    "user_id",
    "team_id",
    "lead_id",
    "partner_id",
    "res_model",
    "res_id",
    "company_id",
    "message_id",
    "attendee_id",
)


# what a counted message (done activity, e-mail) puts in its ledger row besides source, type and
# time: the salesperson's local day, the lead or partner and the company
_MESSAGE_COLUMNS = SQL(
    """                   (m.date AT TIME ZONE 'UTC' AT TIME ZONE s.tz)::date AS date, s.user_id, s.team_id,
                   CASE WHEN m.model = 'crm.lead' THEN m.res_id END AS lead_id,
                   CASE WHEN m.model = 'res.partner' THEN m.res_id ELSE l.partner_id END AS partner_id,
                   m.model AS res_model, m.res_id, COALESCE(l.company_id, s.company_id) AS company_id,
                   m.id AS message_id, NULL::integer AS attendee_id"""
)


class VertriebKpiContactLine(models.Model):
    """Ledger of the customer contacts counted for the activity rate (Schlagzahl): one narrow,
    stored row per counted contact, so that the reports read a few columns of a small table
    instead of the wide chatter tables.

    The rows are produced by the counting rules (see readme/USAGE.md, "Counting rules") from three
    sources, always with the same set-based queries:

    * done activities: ``mail.message`` rows with ``mail_activity_type_id`` of a type mapped to a
      contact type, on a lead or a partner, attributed to the author (who marked it done);
    * held meetings: ended, active ``calendar.event`` linked to a lead or a customer, one row per
      salesperson attending (accepted, or organiser unless declined);
    * emails: non-internal ``mail.message`` (email / comment) authored by a salesperson on a lead
      or a partner, sent to at least one recipient that is not an internal user.

    ``date`` is the local date of the salesperson (their time zone, else their company's, else
    UTC): a call at 00:30 in Berlin counts on that day and week, not on the previous one in UTC.

    :meth:`_vertrieb_sync` reconciles the rows of given sources (messages, meetings, leads,
    salespeople, activity types) with what the rules produce now; the hooks on the sources call
    it, an hourly cron picks up meetings that have just ended, a nightly cron reconciles
    everything. Deleting a message or an attendee deletes its row (foreign keys on cascade).
    """

    _name = "vertrieb.kpi.contact.line"
    _description = "Customer Contact Ledger"
    _log_access = False
    _order = "date_done desc, id desc"
    _rec_name = "contact_type"

    source = fields.Selection(
        [("activity", "Done Activity"), ("calendar", "Meeting"), ("email", "Email")], required=True, readonly=True
    )
    contact_type = fields.Selection(CONTACT_TYPES, required=True, readonly=True)
    date_done = fields.Datetime("Done On", required=True, readonly=True)
    date = fields.Date(required=True, readonly=True, help="Local date of the salesperson (their time zone).")
    res_model = fields.Char("Document Model", readonly=True)
    res_id = fields.Many2oneReference("Document", model_field="res_model", readonly=True)
    # references whose deletion must reach the ledger at once: foreign keys (on cascade for the
    # sources, so that a deleted message or attendee takes its contact with it)
    user_id = fields.Many2one("res.users", string="Salesperson", required=True, ondelete="cascade", readonly=True)
    lead_id = fields.Many2one(
        "crm.lead", string="Lead/Opportunity", ondelete="cascade", index="btree_not_null", readonly=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", ondelete="set null", index="btree_not_null", readonly=True
    )
    message_id = fields.Many2one("mail.message", ondelete="cascade", index="btree_not_null", readonly=True)
    attendee_id = fields.Many2one("calendar.attendee", ondelete="cascade", index="btree_not_null", readonly=True)
    # rarely deleted references: plain ids (a foreign key check per row would double the time of a
    # full build); their unlink hooks resync the ledger (teams, activity types), the nightly
    # reconciliation catches the rest. The report exposes them as many2one fields.
    activity_type_id = fields.Integer("Activity Type", readonly=True)
    team_id = fields.Integer("Sales Team", readonly=True)
    company_id = fields.Integer("Company", readonly=True)

    def init(self):
        cr = self.env.cr
        # a salesperson's weeks (cockpit trend) and a week or month over all salespeople (managers):
        # the columns the counts filter on ride along, so both are index-only scans
        for name, key, include in (
            ("user_date", "user_id, date", "company_id, source, contact_type"),
            ("date", "date", "user_id, company_id, source, contact_type"),
        ):
            index = f"vertrieb_kpi_contact_line_{name}_cover_index"
            if not index_exists(cr, index):
                drop_index(cr, f"vertrieb_kpi_contact_line_{name}_index", self._table)
                cr.execute(
                    SQL(
                        "CREATE INDEX %s ON vertrieb_kpi_contact_line (%s) INCLUDE (%s)",
                        SQL.identifier(index),
                        SQL(key),
                        SQL(include),
                    )
                )
        # the leads with an offer (conversion report): a few rows of a large table
        create_index(
            cr,
            "vertrieb_kpi_contact_line_offer_index",
            self._table,
            ["lead_id"],
            where="contact_type = 'offer' AND lead_id IS NOT NULL",
        )
        # one row per source row: a message (done activity or email) or a meeting attendee. Two
        # concurrent syncs of the same sources cannot both insert it (the second one waits for the
        # first and then skips the row, or gets a serialization failure that Odoo retries)
        for column in ("message_id", "attendee_id"):
            index = f"vertrieb_kpi_contact_line_{column}_unique"
            if index_exists(cr, index):
                continue
            # rows a concurrent sync of an earlier version left twice: keep the first
            cr.execute(
                SQL(
                    "DELETE FROM vertrieb_kpi_contact_line a USING vertrieb_kpi_contact_line b "
                    "WHERE a.%(col)s = b.%(col)s AND a.id > b.id",
                    col=SQL.identifier(column),
                )
            )
            cr.execute(
                SQL(
                    "CREATE UNIQUE INDEX %(index)s ON vertrieb_kpi_contact_line (%(col)s) WHERE %(col)s IS NOT NULL",
                    index=SQL.identifier(index),
                    col=SQL.identifier(column),
                )
            )
        # the email rule reads few of the many chatter messages: a partial index keeps the sync from
        # scanning the whole table next to the done activities
        create_index(
            cr,
            "mail_message_vertrieb_kpi_email_index",
            "mail_message",
            ["author_id"],
            where="message_type IN ('email', 'comment') AND mail_activity_type_id IS NULL "
            "AND model IN ('crm.lead', 'res.partner')",
        )

    @api.model
    def _vertrieb_ledger_built(self):
        """Whether the ledger was built once (at the install, by ``_vertrieb_sync_if_rules_changed``).
        Until then a partial sync is wasted work: the install builds the whole ledger afterwards."""
        return bool(self.env["ir.config_parameter"].sudo().get_param(LEDGER_VERSION_PARAM))

    @api.model
    def _vertrieb_sync_if_rules_changed(self):
        """Called at every install/update of the module (data file, after the activity types are
        mapped): builds the ledger at install, and reconciles it when an update changed the counting
        rules (their SQL); an update without such a change costs nothing."""
        version = hashlib.sha256(self._vertrieb_sync_query({}).code.encode()).hexdigest()
        Param = self.env["ir.config_parameter"].sudo()
        if Param.get_param(LEDGER_VERSION_PARAM) == version:
            return False
        _logger.info("Building the customer contact ledger (counting rules new or changed)")
        start = time.monotonic()
        with indexes_built_after(self.env.cr, self._table):  # the first build fills an empty table
            deleted, inserted = self._vertrieb_sync()
        _logger.info("Contact ledger: %s rows added, %s removed (%.0fs)", inserted, deleted, time.monotonic() - start)
        Param.set_param(LEDGER_VERSION_PARAM, version)
        Param.set_param(MEETINGS_SYNCED_PARAM, fields.Datetime.now())
        return True

    # ------------------------------------------------------------------------------------------
    # COUNTING RULES (set-based source queries)
    # ------------------------------------------------------------------------------------------

    @api.model
    def _vertrieb_tz_names(self):
        """Time zone names PostgreSQL knows, as one array literal ``{"Africa/Abidjan",...}`` (listing
        them reads the time zone files, ~0.1 s: done once per process and database, not in every
        sync; one literal parses in a fraction of the time of an array of 1,200 parameters, which
        cost a salesperson's save 3 ms)."""
        key = self.env.cr.dbname
        if key not in _PG_TZ_NAMES:
            names = sorted(name for (name,) in self.env.execute_query(SQL("SELECT name FROM pg_timezone_names")))
            # the names are made of letters, digits, "/", "_", "+" and "-": quoting each is enough
            _PG_TZ_NAMES[key] = "{" + ",".join(f'"{name}"' for name in names) + "}"
        return _PG_TZ_NAMES[key]

    @api.model
    def _vertrieb_staff_query(self):
        """Internal users by partner, with their company, (first) sales team and time zone (their
        own, else their company's, else UTC; names PostgreSQL does not know are skipped): joined
        once per source row, so the team and time zone cost no extra join over all contacts."""
        return SQL(
            """
            SELECT DISTINCT ON (u.partner_id) u.partner_id, u.id AS user_id, u.company_id,
                   mb.crm_team_id AS team_id, COALESCE(zu.name, zc.name, 'UTC') AS tz
              FROM res_users u
              JOIN res_partner up ON up.id = u.partner_id
              LEFT JOIN res_company c ON c.id = u.company_id
              LEFT JOIN res_partner cp ON cp.id = c.partner_id
              LEFT JOIN tz_names zu ON zu.name = up.tz
              LEFT JOIN tz_names zc ON zc.name = cp.tz
              LEFT JOIN (SELECT DISTINCT ON (tm.user_id) tm.user_id, tm.crm_team_id
                           FROM crm_team_member tm
                          WHERE tm.active
                          ORDER BY tm.user_id, tm.create_date, tm.id) mb ON mb.user_id = u.id
             WHERE u.share IS NOT TRUE
             ORDER BY u.partner_id, u.id
            """
        )

    @api.model
    def _vertrieb_activity_query(self, scope):
        return SQL(
            """
            SELECT 'activity' AS source, t.vertrieb_contact_type AS contact_type,
                   m.mail_activity_type_id AS activity_type_id, m.date AS date_done,
%(message_columns)s
              FROM mail_message m
              JOIN mail_activity_type t ON t.id = m.mail_activity_type_id
              JOIN staff s ON s.partner_id = m.author_id
              LEFT JOIN crm_lead l ON m.model = 'crm.lead' AND l.id = m.res_id
             WHERE m.mail_activity_type_id IS NOT NULL
               AND m.model IN ('crm.lead', 'res.partner')
               AND t.vertrieb_contact_type IS NOT NULL
               AND (%(scope)s)
               -- a done meeting activity on a lead with a held meeting of the same salesperson on
               -- the same (local) day is the same contact: the meeting counts, the activity not
               AND NOT (t.category = 'meeting' AND m.model = 'crm.lead' AND EXISTS (
                        SELECT 1 FROM calendar_event e
                         WHERE e.opportunity_id = m.res_id AND e.active AND e.user_id = s.user_id
                           AND (e.start AT TIME ZONE 'UTC' AT TIME ZONE s.tz)::date
                             = (m.date AT TIME ZONE 'UTC' AT TIME ZONE s.tz)::date
                           AND e.stop < now() AT TIME ZONE 'UTC'))
            """,
            scope=scope,
            message_columns=_MESSAGE_COLUMNS,
        )

    @api.model
    def _vertrieb_meeting_query(self, scope):
        return SQL(
            """
            SELECT 'calendar' AS source, 'meeting' AS contact_type,
                   NULL::integer AS activity_type_id, e.start AS date_done,
                   CASE WHEN e.allday THEN e.start_date
                        ELSE (e.start AT TIME ZONE 'UTC' AT TIME ZONE s.tz)::date END AS date,
                   s.user_id, s.team_id,
                   l.id AS lead_id,
                   CASE WHEN e.res_model = 'res.partner' THEN e.res_id ELSE l.partner_id END AS partner_id,
                   CASE WHEN l.id IS NOT NULL THEN 'crm.lead' ELSE 'calendar.event' END AS res_model,
                   COALESCE(l.id, e.id) AS res_id, COALESCE(l.company_id, s.company_id) AS company_id,
                   NULL::integer AS message_id, a.id AS attendee_id
              FROM calendar_event e
              JOIN calendar_attendee a ON a.event_id = e.id
              JOIN staff s ON s.partner_id = a.partner_id
              LEFT JOIN crm_lead l ON l.id = COALESCE(
                        e.opportunity_id, CASE WHEN e.res_model = 'crm.lead' THEN e.res_id END)
             WHERE e.active
               AND e.stop < now() AT TIME ZONE 'UTC'
               AND (%(scope)s)
               AND (a.state = 'accepted' OR (a.state IS DISTINCT FROM 'declined' AND e.user_id = s.user_id))
               AND (l.id IS NOT NULL OR e.res_model = 'res.partner' OR EXISTS (
                        SELECT 1 FROM calendar_attendee x
                         WHERE x.event_id = e.id
                           AND NOT EXISTS (SELECT 1 FROM staff s2 WHERE s2.partner_id = x.partner_id)))
            """,
            scope=scope,
        )

    @api.model
    def _vertrieb_email_query(self, scope):
        return SQL(
            """
            SELECT 'email' AS source, 'email' AS contact_type,
                   NULL::integer AS activity_type_id, m.date AS date_done,
%(message_columns)s
              FROM mail_message m
              JOIN staff s ON s.partner_id = m.author_id
              JOIN mail_message_subtype st ON st.id = m.subtype_id
              LEFT JOIN crm_lead l ON m.model = 'crm.lead' AND l.id = m.res_id
             WHERE m.message_type IN ('email', 'comment')
               AND m.mail_activity_type_id IS NULL
               AND m.model IN ('crm.lead', 'res.partner')
               AND (%(scope)s)
               AND st.internal IS NOT TRUE
               AND m.is_internal IS NOT TRUE
               AND (EXISTS (SELECT 1 FROM mail_message_res_partner_rel r
                             WHERE r.mail_message_id = m.id
                               AND NOT EXISTS (SELECT 1 FROM staff s2 WHERE s2.partner_id = r.res_partner_id))
                    OR EXISTS (SELECT 1 FROM mail_notification n
                                WHERE n.mail_message_id = m.id AND n.notification_type = 'email'
                                  AND NOT EXISTS (SELECT 1 FROM staff s2 WHERE s2.partner_id = n.res_partner_id)))
            """,
            scope=scope,
            message_columns=_MESSAGE_COLUMNS,
        )

    # ------------------------------------------------------------------------------------------
    # SYNC
    # ------------------------------------------------------------------------------------------

    @api.model
    def _vertrieb_scopes(self, scope):
        """SQL conditions selecting the sources of ``scope`` in each branch and in the ledger.

        ``scope`` maps ``message_ids``, ``event_ids``, ``lead_ids``, ``user_ids``,
        ``activity_type_ids`` to lists of ids; an empty mapping selects everything."""
        if not scope:
            everything = SQL("TRUE")
            return {"activity": everything, "email": everything, "meeting": everything, "ledger": everything}
        parts = {"activity": [], "email": [], "meeting": [], "ledger": []}
        if ids := scope.get("message_ids"):
            for branch in ("activity", "email"):
                parts[branch].append(SQL("m.id = ANY(%s)", ids))
            parts["ledger"].append(SQL("l.message_id = ANY(%s)", ids))
        if ids := scope.get("event_ids"):
            parts["meeting"].append(SQL("e.id = ANY(%s)", ids))
            parts["ledger"].append(
                SQL("l.attendee_id IN (SELECT ca.id FROM calendar_attendee ca WHERE ca.event_id = ANY(%s))", ids)
            )
        if ids := scope.get("lead_ids"):
            for branch in ("activity", "email"):
                parts[branch].append(SQL("(m.model = 'crm.lead' AND m.res_id = ANY(%s))", ids))
            parts["meeting"].append(
                SQL(
                    "(e.opportunity_id = ANY(%(ids)s) OR (e.res_model = 'crm.lead' AND e.res_id = ANY(%(ids)s)))",
                    ids=ids,
                )
            )
            parts["ledger"].append(SQL("l.lead_id = ANY(%s)", ids))
        if ids := scope.get("user_ids"):
            for branch in ("activity", "email", "meeting"):
                parts[branch].append(SQL("s.user_id = ANY(%s)", ids))
            parts["ledger"].append(SQL("l.user_id = ANY(%s)", ids))
        if ids := scope.get("activity_type_ids"):
            parts["activity"].append(SQL("m.mail_activity_type_id = ANY(%s)", ids))
            parts["ledger"].append(SQL("l.activity_type_id = ANY(%s)", ids))
        return {branch: SQL(" OR ").join(conds) if conds else SQL("FALSE") for branch, conds in parts.items()}

    @api.model
    def _vertrieb_sync_query(self, scope):
        scopes = self._vertrieb_scopes(scope)
        columns = SQL(", ").join(SQL.identifier(col) for col in LEDGER_COLUMNS)
        fresh_row = SQL(", ").join(SQL.identifier("f", col) for col in LEDGER_COLUMNS)
        stored_row = SQL(", ").join(SQL.identifier("l", col) for col in LEDGER_COLUMNS)
        same = SQL("(%s) IS NOT DISTINCT FROM (%s)", fresh_row, stored_row)
        # rows of the scope that the rules no longer produce (or produce differently) are deleted,
        # fresh rows not stored yet are inserted; both read the ledger as it was before
        return SQL(
            """
            WITH tz_names AS MATERIALIZED (SELECT UNNEST(%(tz_names)s::text[]) AS name),
            staff AS MATERIALIZED (%(staff)s),
            fresh AS MATERIALIZED (%(activity)s UNION ALL %(meeting)s UNION ALL %(email)s),
            gone AS (
                DELETE FROM vertrieb_kpi_contact_line l
                 WHERE (%(ledger_scope)s)
                   AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f.message_id = l.message_id AND %(same)s)
                   AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f.attendee_id = l.attendee_id AND %(same)s)
                RETURNING l.id, l.partner_id
            ),
            gone_count AS (SELECT COUNT(*) AS n FROM gone),
            added AS (
                -- reading gone_count first runs the DELETE to its end before the first insert: a
                -- changed row is replaced, not refused by the unique key on its source
                INSERT INTO vertrieb_kpi_contact_line (%(columns)s)
                SELECT %(fresh_row)s FROM fresh f, gone_count
                 WHERE NOT EXISTS (SELECT 1 FROM vertrieb_kpi_contact_line l
                                    WHERE l.message_id = f.message_id AND %(same)s)
                   AND NOT EXISTS (SELECT 1 FROM vertrieb_kpi_contact_line l
                                    WHERE l.attendee_id = f.attendee_id AND %(same)s)
                ON CONFLICT DO NOTHING
                RETURNING id, partner_id
            )
            SELECT (SELECT n FROM gone_count), (SELECT COUNT(*) FROM added),
                   -- the customers whose contacts changed (a partial sync only; a full one changes all)
                   CASE WHEN %(scoped)s THEN ARRAY(
                       SELECT partner_id FROM gone WHERE partner_id IS NOT NULL
                        UNION SELECT partner_id FROM added WHERE partner_id IS NOT NULL) END
            """,
            tz_names=self._vertrieb_tz_names(),
            staff=self._vertrieb_staff_query(),
            activity=self._vertrieb_activity_query(scopes["activity"]),
            meeting=self._vertrieb_meeting_query(scopes["meeting"]),
            email=self._vertrieb_email_query(scopes["email"]),
            ledger_scope=scopes["ledger"],
            same=same,
            columns=columns,
            fresh_row=fresh_row,
            scoped=bool(scope),
        )

    @api.model
    def _vertrieb_sync(self, message_ids=None, event_ids=None, lead_ids=None, user_ids=None, activity_type_ids=None):
        """Reconcile the ledger rows of the given sources with the counting rules: one statement
        deleting the rows the rules no longer produce and inserting the new ones (unchanged rows are
        not touched). Without arguments: all sources (full reconciliation).
        Returns ``(deleted, inserted)``."""
        scope = {
            key: list(ids)
            for key, ids in (
                ("message_ids", message_ids),
                ("event_ids", event_ids),
                ("lead_ids", lead_ids),
                ("user_ids", user_ids),
                ("activity_type_ids", activity_type_ids),
            )
            if ids is not None
        }
        if scope and not any(scope.values()):
            return 0, 0
        scope = {key: [i for i in ids if isinstance(i, int)] for key, ids in scope.items()}
        for model in (
            "mail.message",
            "mail.notification",
            "mail.activity.type",
            "mail.message.subtype",
            "calendar.event",
            "calendar.attendee",
            "crm.lead",
            "crm.team.member",
            "res.users",
            "res.partner",
        ):
            self.env[model].flush_model()
        if not scope:
            # a full build or reconciliation is one long query: compiling it (JIT) costs seconds
            self.env.execute_query(SQL("SET LOCAL jit = off"))
        [(deleted, inserted, partner_ids)] = self.env.execute_query(self._vertrieb_sync_query(scope))
        if deleted or inserted:
            self.invalidate_model()
            self.env["vertrieb.kpi.contact"].invalidate_model()
            self._vertrieb_synced(None if not scope else partner_ids)
        return deleted, inserted

    @api.model
    def _vertrieb_counted_message_ids(self, message_ids):
        """The ids among ``message_ids`` of the messages that have a ledger row."""
        return {
            message_id
            for (message_id,) in self.env.execute_query(
                SQL("SELECT message_id FROM vertrieb_kpi_contact_line WHERE message_id = ANY(%s)", list(message_ids))
            )
        }

    @api.model
    def _vertrieb_synced(self, partner_ids):
        """Called after a sync that changed the ledger, with the ids of the partners whose rows
        were deleted or inserted (``None`` after a full sync: any partner may have changed).
        An entry point for the features that keep figures in step with the ledger."""

    @api.model
    def _vertrieb_sync_full(self, batch_size=10, commit=False):
        """Nightly reconciliation of the whole ledger, salesperson batch by salesperson batch
        (progress reported to the cron, committed per batch when ``commit``); rows of users that
        are no salespeople (anymore) are removed. Returns ``(deleted, inserted)``."""
        self.env["res.users"].flush_model()
        user_ids = [
            uid
            for (uid,) in self.env.execute_query(
                SQL(
                    "SELECT id FROM res_users WHERE share IS NOT TRUE"
                    " UNION SELECT DISTINCT user_id FROM vertrieb_kpi_contact_line ORDER BY 1"
                )
            )
        ]
        deleted = inserted = 0
        for start in range(0, len(user_ids), batch_size):
            batch_deleted, batch_inserted = self._vertrieb_sync(user_ids=user_ids[start : start + batch_size])
            deleted += batch_deleted
            inserted += batch_inserted
            done = min(start + batch_size, len(user_ids))
            self.env["ir.cron"]._notify_progress(done=done, remaining=len(user_ids) - done)
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        _logger.info("Customer contact ledger reconciled: %s rows deleted, %s inserted", deleted, inserted)
        return deleted, inserted

    @api.model
    def _cron_vertrieb_sync_full(self):
        self._vertrieb_sync_full(commit=True)

    @api.model
    def _cron_vertrieb_sync_meetings(self):
        """Hourly: meetings count once they have ended; sync those that ended since the last run
        (and the leads they are on: a held meeting replaces a done meeting activity that day)."""
        Param = self.env["ir.config_parameter"].sudo()
        now = fields.Datetime.now()
        since = fields.Datetime.to_datetime(Param.get_param(MEETINGS_SYNCED_PARAM)) or fields.Datetime.subtract(
            now, days=1
        )
        self.env["calendar.event"].flush_model(["stop", "opportunity_id", "res_model", "res_id"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT id, COALESCE(opportunity_id, CASE WHEN res_model = 'crm.lead' THEN res_id END)
                  FROM calendar_event
                 WHERE stop >= %s AND stop < %s
                """,
                since,
                now,
            )
        )
        if rows:
            self._vertrieb_sync(
                event_ids=[event_id for event_id, _lead in rows], lead_ids=[lead for _e, lead in rows if lead]
            )
        Param.set_param(MEETINGS_SYNCED_PARAM, now)
        return len(rows)
