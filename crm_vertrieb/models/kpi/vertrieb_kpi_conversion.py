import logging
import time

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_index, drop_index, table_exists

from ..base.column_fill import indexes_built_after
from ..base.stored_rows import create_statement_triggers

_logger = logging.getLogger(__name__)

ROW_TABLE = "vertrieb_kpi_conversion_row"
ROW_COLUMNS = [
    "id",
    "lead_id",
    "stage_id",
    "stage_sequence",
    "is_first_stage",
    "user_id",
    "team_id",
    "channel_id",
    "partner_id",
    "company_id",
    "date",
    "reached_next",
    "outcome",
    "conversion_rate",
    "hit_rate",
    "is_won_stage",
    "days_done",
    "open_since",
    "has_offer",
]
# the leads (or teams, or all) whose stored rows must be rebuilt in this transaction
PENDING = "vertrieb.kpi.conversion.pending"


class VertriebKpiConversion(models.Model):
    """Conversion along the pipeline steps: one row per lead and per stage of its team's pipeline
    that the lead reached (stages are ordered by sequence; a lead that reached a later stage has
    passed all earlier ones, also skipped ones).

    * ``conversion_rate`` (average): 100 when the lead reached the next stage, 0 when not, empty
      for the last stage of the pipeline: its average is the share of leads reaching the next step.
    * ``hit_rate`` (average): 100 when the lead was won, 0 when lost, empty while open:
      won / (won + lost) of the leads that reached the stage.
    * ``days_in_stage`` (average): time spent in the stage, from the stage tracking of the lead
      (``mail.tracking.value`` on ``stage_id``, as Odoo's ``mail.tracking.duration.mixin`` reads it).
    * offers to contracts: a lead "got an offer" when an offer was counted on it as a customer
      contact (a done activity of a type mapped to "Offer"); on the lead's first-stage row only (so
      that each lead counts once): ``offer_count`` 1 for such a lead, ``contract_count`` 1 when it
      was also won, ``offer_contract_rate`` (average) 100 won, 0 lost, empty while open.
    """

    _name = "vertrieb.kpi.conversion"
    _inherit = "vertrieb.kpi.report.mixin"
    _description = "Pipeline Conversion per Step"
    _auto = False
    _order = "lead_id desc, stage_sequence"
    _rec_name = "stage_id"
    _depends = {
        "crm.lead": [
            "stage_id",
            "team_id",
            "user_id",
            "vertrieb_channel_id",
            "partner_id",
            "company_id",
            "active",
            "probability",
            "date_closed",
        ],
        "crm.stage": ["sequence", "team_id", "is_won"],
        "mail.tracking.value": ["field_id", "old_value_integer", "new_value_integer", "mail_message_id"],
        "mail.message": ["model", "res_id", "date"],
        "vertrieb.kpi.contact.line": ["contact_type", "lead_id"],
    }

    # the pivot and graph by stage, salesperson, team, sales channel, outcome, offer made read the
    # sums per stage (not by the lead, customer or creation date)
    _vertrieb_summary = "vertrieb.kpi.conversion.stage"
    _vertrieb_summary_keys = frozenset(
        {"stage_id", "is_first_stage", "user_id", "team_id", "company_id", "channel_id", "outcome", "has_offer"}
    )
    _vertrieb_summary_aggregates = {
        "__count": "row_count:sum",
        "conversion_rate:avg": "conversion_rate:avg",
        "hit_rate:avg": "hit_rate:avg",
        "days_in_stage:avg": "days_in_stage:avg",
        "offer_count:sum": "offer_count:sum",
        "contract_count:sum": "contract_count:sum",
        "offer_contract_rate:avg": "offer_contract_rate:avg",
    }

    lead_id = fields.Many2one("crm.lead", string="Lead/Opportunity", readonly=True)
    stage_id = fields.Many2one("crm.stage", string="Stage", readonly=True)
    stage_sequence = fields.Integer(readonly=True, aggregator=False)
    is_first_stage = fields.Boolean("First Stage of the Pipeline", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    channel_id = fields.Many2one("vertrieb.sales.channel", string="Sales Channel", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    date = fields.Date("Created On", readonly=True)
    reached_next = fields.Boolean("Reached Next Stage", readonly=True)
    outcome = fields.Selection([("open", "Open"), ("won", "Won"), ("lost", "Lost")], readonly=True)
    conversion_rate = fields.Float("Conversion (%)", readonly=True, aggregator="avg")
    hit_rate = fields.Float("Hit Rate (%)", readonly=True, aggregator="avg")
    days_in_stage = fields.Float("Days in Stage", readonly=True, aggregator="avg", digits=(16, 1))
    has_offer = fields.Boolean("Offer Made", readonly=True)
    offer_count = fields.Integer("Offers", readonly=True, aggregator="sum")
    contract_count = fields.Integer("Contracts", readonly=True, aggregator="sum")
    offer_contract_rate = fields.Float("Offers to Contracts (%)", readonly=True, aggregator="avg")

    # ------------------------------------------------------------------
    # Stored rows kept in step
    # ------------------------------------------------------------------
    # The rows (one per lead and stage reached) are stored in ``vertrieb_kpi_conversion_row`` and
    # kept in step with the leads, their stage changes and the pipelines (like the contact ledger):
    # building them walks every lead's stage history (seconds for 300,000 leads), reading them is a
    # plain scan. The view on top adds what changes by itself: the days in the current stage of an
    # open lead (until now). Whether an offer was made on the lead (``has_offer``) follows the
    # contact ledger: triggers on the ledger set it after every statement that adds or removes an
    # offer (see ``_vertrieb_ensure_offer_triggers``).

    def init(self):
        cr = self.env.cr
        created = not table_exists(cr, ROW_TABLE)
        if not created and not column_exists(cr, ROW_TABLE, "has_offer"):
            # 18.0.1.6.0: the offers were joined from the ledger when read; filled below
            cr.execute(
                SQL("ALTER TABLE %s ADD COLUMN has_offer boolean NOT NULL DEFAULT FALSE", SQL.identifier(ROW_TABLE))
            )
        if created:
            # lead and stage: the rows go with them; the customer: a contact merge moves it (Odoo
            # moves every foreign key to res_partner), an erasure clears it. Salesperson, team and
            # channel are plain ids (a check per row would slow the build; the hooks keep them).
            cr.execute(
                SQL(
                    """
                    CREATE TABLE %(table)s (
                        id bigint PRIMARY KEY,
                        lead_id integer NOT NULL REFERENCES crm_lead (id) ON DELETE CASCADE,
                        stage_id integer NOT NULL REFERENCES crm_stage (id) ON DELETE CASCADE,
                        stage_sequence integer,
                        is_first_stage boolean,
                        user_id integer,
                        team_id integer,
                        channel_id integer,
                        partner_id integer REFERENCES res_partner (id) ON DELETE SET NULL,
                        company_id integer,
                        date date,
                        reached_next boolean,
                        outcome varchar,
                        conversion_rate double precision,
                        hit_rate double precision,
                        is_won_stage boolean,
                        days_done double precision,
                        open_since timestamp,
                        has_offer boolean NOT NULL DEFAULT FALSE
                    )
                    """,
                    table=SQL.identifier(ROW_TABLE),
                )
            )
            for column in ("lead_id", "stage_id", "user_id", "team_id", "partner_id"):
                create_index(cr, f"{ROW_TABLE}_{column}_index", ROW_TABLE, [column])
        # the cockpit reads the sums per stage (vertrieb.kpi.conversion.stage): the indexes of
        # 18.0.1.3.0 and 18.0.1.4.0 for its hit rate are not needed any more
        for index in ("first_outcome_index", "outcome_cover_index"):
            drop_index(cr, f"{ROW_TABLE}_{index}", ROW_TABLE)
        res = super().init()
        # after every model's table exists (the ledger's among them)
        self.pool.post_init(self._vertrieb_ensure_offer_triggers)
        if created:
            # after every model's table exists: the refresh flushes the leads, whose pending
            # computes may read tables of features initialised later (care's territories)
            self.pool.post_init(self._vertrieb_conversion_build)
        return res

    @api.model
    def _vertrieb_ensure_offer_triggers(self):
        """Keep ``has_offer`` of the stored rows in step with the ledger's offers: after every
        statement that inserts, deletes, updates or truncates ledger rows, the rows of the leads
        whose offers it touched are set (a foreign key's cascade and a rebuild included). The
        function is written anew every time, the triggers when missing; the flags are set from
        the ledger when the triggers were missing (a new column, a ledger built anew)."""
        cr = self.env.cr
        ledger = self.env["vertrieb.kpi.contact.line"]._table
        has_offer = SQL(
            "EXISTS (SELECT 1 FROM %s c WHERE c.lead_id = r.lead_id AND c.contact_type = 'offer')",
            SQL.identifier(ledger),
        )
        cr.execute(
            SQL(
                """
                CREATE OR REPLACE FUNCTION vertrieb_kpi_conversion_row_offers() RETURNS trigger
                LANGUAGE plpgsql AS $body$
                BEGIN
                    IF TG_OP = 'TRUNCATE' THEN
                        UPDATE %(rows)s SET has_offer = FALSE WHERE has_offer;
                    ELSIF TG_OP = 'INSERT' THEN
                        UPDATE %(rows)s r SET has_offer = TRUE
                         WHERE NOT r.has_offer AND r.lead_id IN (%(new)s);
                    ELSIF TG_OP = 'DELETE' THEN
                        UPDATE %(rows)s r SET has_offer = FALSE
                         WHERE r.has_offer AND r.lead_id IN (%(old)s) AND NOT %(has_offer)s;
                    ELSE
                        UPDATE %(rows)s r SET has_offer = %(has_offer)s
                         WHERE r.lead_id IN (%(old)s UNION %(new)s) AND r.has_offer <> %(has_offer)s;
                    END IF;
                    RETURN NULL;
                END
                $body$
                """,
                rows=SQL.identifier(ROW_TABLE),
                has_offer=has_offer,
                new=SQL("SELECT lead_id FROM new_rows WHERE contact_type = 'offer'"),
                old=SQL("SELECT lead_id FROM old_rows WHERE contact_type = 'offer'"),
            )
        )
        cr.execute(
            SQL(
                "SELECT COUNT(*) FROM pg_trigger WHERE tgrelid = to_regclass(%s) AND tgname LIKE %s",
                ledger,
                "vertrieb_kpi_conversion_offers_%",
            )
        )
        if cr.fetchone()[0] == 4:
            return False
        create_statement_triggers(cr, "vertrieb_kpi_conversion_offers", ledger, "vertrieb_kpi_conversion_row_offers")
        # two joins (an EXISTS per row or an IN that outgrows work_mem would be a subplan per row)
        cr.execute(
            SQL(
                """
                UPDATE %(rows)s r SET has_offer = TRUE
                  FROM (SELECT DISTINCT lead_id FROM %(ledger)s WHERE contact_type = 'offer') o
                 WHERE r.lead_id = o.lead_id AND NOT r.has_offer;
                UPDATE %(rows)s r SET has_offer = FALSE WHERE r.has_offer AND NOT %(has_offer)s;
                """,
                rows=SQL.identifier(ROW_TABLE),
                ledger=SQL.identifier(ledger),
                has_offer=has_offer,
            )
        )
        return True

    @api.model
    def _vertrieb_conversion_build(self):
        """The rows of every lead, once, when the table is created (install or update)."""
        _logger.info("Building the conversion report's rows of the existing leads")
        start = time.monotonic()
        with indexes_built_after(self.env.cr, ROW_TABLE):
            _deleted, inserted = self._vertrieb_conversion_refresh()
        _logger.info("Conversion report: %s rows (%.0fs)", inserted, time.monotonic() - start)

    def _view_query(self):
        return SQL(
            """
            SELECT r.id, r.lead_id, r.stage_id, r.stage_sequence, r.is_first_stage, r.user_id, r.team_id,
                   r.channel_id, r.partner_id, r.company_id, r.date, r.reached_next, r.outcome,
                   r.conversion_rate, r.hit_rate,
                   -- float arithmetic (date_part, not EXTRACT's numeric): a third of the pivot's time
                   CASE WHEN NOT r.is_won_stage THEN
                        CASE WHEN r.open_since IS NULL THEN r.days_done
                             ELSE r.days_done + date_part('epoch', now() AT TIME ZONE 'UTC' - r.open_since) / 86400
                        END END AS days_in_stage,
                   r.has_offer,
                   CASE WHEN r.is_first_stage AND r.has_offer THEN 1 ELSE 0 END AS offer_count,
                   CASE WHEN r.is_first_stage AND r.has_offer AND r.outcome = 'won' THEN 1 ELSE 0 END
                       AS contract_count,
                   CASE WHEN r.is_first_stage AND r.has_offer THEN
                        CASE r.outcome WHEN 'won' THEN 100::float8 WHEN 'lost' THEN 0::float8 END END
                       AS offer_contract_rate
              FROM %(table)s r
            """,
            table=SQL.identifier(ROW_TABLE),
        )

    @api.model
    def _vertrieb_conversion_rows_query(self, lead_ids=None, team_ids=None):
        """The stored rows of the leads given (by ids, by team, or all when neither is given): one
        row per lead and stage of its team's pipeline reached, as the report shows them."""
        if lead_ids is not None:
            leads_where = SQL("l.id = ANY(%s)", list(lead_ids))
            moves_where = SQL("m.res_id = ANY(%s)", list(lead_ids))
        elif team_ids is not None:
            leads_where = SQL("l.team_id = ANY(%s)", list(team_ids))
            moves_where = SQL("m.res_id IN (SELECT id FROM scope)")
        else:
            leads_where = moves_where = SQL("TRUE")
        return SQL(
            """
            WITH scope AS MATERIALIZED (
                SELECT l.id, l.stage_id, l.team_id, l.user_id, l.vertrieb_channel_id, l.partner_id, l.company_id,
                       l.create_date, l.date_closed, l.write_date,
                       CASE WHEN l.active AND cs.is_won THEN 'won'
                            WHEN NOT l.active AND COALESCE(l.probability, 0) = 0 THEN 'lost'
                            ELSE 'open' END AS outcome
                  FROM crm_lead l
                  LEFT JOIN crm_stage cs ON cs.id = l.stage_id
                 WHERE l.stage_id IS NOT NULL AND %(leads_where)s
            ),
            stage_moves AS MATERIALIZED (
                SELECT m.res_id AS lead_id, v.old_value_integer AS old_stage, v.new_value_integer AS new_stage,
                       m.date, v.id AS tracking_id
                  FROM mail_message m
                  JOIN mail_tracking_value v ON v.mail_message_id = m.id
                  JOIN ir_model_fields f ON f.id = v.field_id AND f.model = 'crm.lead' AND f.name = 'stage_id'
                 WHERE m.model = 'crm.lead' AND %(moves_where)s
            ),
            first_moves AS (
                SELECT DISTINCT ON (sm.lead_id) sm.lead_id, sm.old_stage
                  FROM stage_moves sm
                 ORDER BY sm.lead_id, sm.date, sm.tracking_id
            ),
            entries AS (
                -- initial stage at creation: the old value of the first stage change, else the current stage
                SELECT s.id AS lead_id, COALESCE(fm.old_stage, s.stage_id) AS stage_id,
                       s.create_date AS entered, 0 AS tracking_id
                  FROM scope s
                  LEFT JOIN first_moves fm ON fm.lead_id = s.id
                UNION ALL
                SELECT sm.lead_id, sm.new_stage, sm.date, sm.tracking_id FROM stage_moves sm
            ),
            spans AS (
                SELECT e.lead_id, e.stage_id, e.entered,
                       LEAD(e.entered) OVER (PARTITION BY e.lead_id ORDER BY e.entered, e.tracking_id) AS left_at
                  FROM entries e
            ),
            durations AS (
                -- days of the finished spans; the span an open lead is still in counts until now (view)
                SELECT sp.lead_id, sp.stage_id,
                       SUM(CASE WHEN sp.left_at IS NULL AND s.outcome = 'open' THEN 0
                                ELSE EXTRACT(EPOCH FROM (COALESCE(sp.left_at, s.date_closed, s.write_date)
                                                         - sp.entered)) / 86400.0 END) AS days_done,
                       MAX(CASE WHEN sp.left_at IS NULL AND s.outcome = 'open' THEN sp.entered END) AS open_since
                  FROM spans sp
                  JOIN scope s ON s.id = sp.lead_id
                 GROUP BY sp.lead_id, sp.stage_id
            ),
            reached AS (
                -- furthest stage (by sequence, id) each lead has been in
                SELECT DISTINCT ON (d.lead_id) d.lead_id, st.sequence, st.id AS stage_id
                  FROM durations d
                  JOIN crm_stage st ON st.id = d.stage_id
                 ORDER BY d.lead_id, st.sequence DESC, st.id DESC
            ),
            offers AS (
                SELECT DISTINCT c.lead_id FROM vertrieb_kpi_contact_line c
                 WHERE c.contact_type = 'offer' AND c.lead_id IN (SELECT id FROM scope)
            ),
            pipeline AS (
                SELECT s.id AS lead_id, st.id AS stage_id, st.sequence, st.is_won,
                       ROW_NUMBER() OVER (PARTITION BY s.id ORDER BY st.sequence, st.id) AS position,
                       COUNT(*) OVER (PARTITION BY s.id) AS stage_count
                  FROM scope s
                  JOIN crm_stage st ON st.team_id IS NULL OR st.team_id = s.team_id
            )
            SELECT p.lead_id::bigint * 100000 + p.stage_id, p.lead_id, p.stage_id, p.sequence, p.position = 1,
                   s.user_id, s.team_id, s.vertrieb_channel_id, s.partner_id, s.company_id, s.create_date::date,
                   (r.sequence, r.stage_id) > (p.sequence, p.stage_id),
                   s.outcome,
                   (CASE WHEN p.position = p.stage_count THEN NULL
                         WHEN (r.sequence, r.stage_id) > (p.sequence, p.stage_id) THEN 100
                         ELSE 0 END)::double precision,
                   (CASE s.outcome WHEN 'won' THEN 100 WHEN 'lost' THEN 0 END)::double precision,
                   COALESCE(p.is_won, FALSE), d.days_done::double precision, d.open_since,
                   o.lead_id IS NOT NULL
              FROM pipeline p
              JOIN scope s ON s.id = p.lead_id
              JOIN reached r ON r.lead_id = p.lead_id
              LEFT JOIN durations d ON d.lead_id = p.lead_id AND d.stage_id = p.stage_id
              LEFT JOIN offers o ON o.lead_id = p.lead_id
             WHERE (p.sequence, p.stage_id) <= (r.sequence, r.stage_id)
            """,
            leads_where=leads_where,
            moves_where=moves_where,
        )

    @api.model
    def _vertrieb_conversion_refresh(self, lead_ids=None, team_ids=None):
        """Rebuild the stored rows of the leads given (by ids, by team, or all): rows that changed
        are replaced, unchanged rows are left alone. Returns ``(deleted, inserted)``."""
        if (lead_ids is not None and not lead_ids) or (team_ids is not None and not team_ids):
            return 0, 0
        for model in ("crm.lead", "crm.stage", "crm.team", "mail.message", "mail.tracking.value"):
            self.env[model].flush_model()
        if lead_ids is not None:
            stored = SQL("t.lead_id = ANY(%s)", list(lead_ids))
        elif team_ids is not None:
            # rows of leads that left the team go too (their new team is refreshed with them); one
            # IN of a UNION, not "… OR lead_id IN (…)": under an OR the subquery is a subplan that
            # PostgreSQL scans again for every row once it outgrows work_mem
            stored = SQL(
                """t.lead_id IN (SELECT lead_id FROM %(table)s WHERE team_id = ANY(%(teams)s)
                                UNION SELECT id FROM crm_lead WHERE team_id = ANY(%(teams)s))""",
                table=SQL.identifier(ROW_TABLE),
                teams=list(team_ids),
            )
        else:
            stored = SQL("TRUE")
            # one long query: compiling it (JIT) would cost seconds
            self.env.execute_query(SQL("SET LOCAL jit = off"))
        columns = SQL(", ").join(SQL.identifier(col) for col in ROW_COLUMNS)
        fresh_row = SQL(", ").join(SQL.identifier("f", col) for col in ROW_COLUMNS)
        stored_row = SQL(", ").join(SQL.identifier("t", col) for col in ROW_COLUMNS)
        # rows of the scope the leads no longer produce (or produce differently) are deleted, fresh
        # rows not stored yet are inserted; unchanged rows stay (a full rebuild rewrites nothing)
        [(deleted, inserted)] = self.env.execute_query(
            SQL(
                """
                WITH fresh (%(columns)s) AS MATERIALIZED (%(rows)s),
                gone AS (
                    DELETE FROM %(table)s t
                     WHERE %(stored)s
                       AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f.id = t.id AND %(same)s)
                    RETURNING t.id
                ),
                gone_count AS (SELECT COUNT(*) AS n FROM gone),
                added AS (
                    -- reading gone_count first runs the DELETE to its end: a changed row is replaced
                    INSERT INTO %(table)s (%(columns)s)
                    SELECT %(fresh_row)s FROM fresh f, gone_count
                     WHERE NOT EXISTS (SELECT 1 FROM %(table)s t WHERE t.id = f.id AND %(same)s)
                    RETURNING id
                )
                SELECT (SELECT n FROM gone_count), (SELECT COUNT(*) FROM added)
                """,
                columns=columns,
                rows=self._vertrieb_conversion_rows_query(lead_ids=lead_ids, team_ids=team_ids),
                table=SQL.identifier(ROW_TABLE),
                stored=stored,
                fresh_row=fresh_row,
                same=SQL("(%s) IS NOT DISTINCT FROM (%s)", fresh_row, stored_row),
            )
        )
        if deleted or inserted:
            self.invalidate_model()
        return deleted, inserted

    @api.model
    def _vertrieb_conversion_touch(self, lead_ids=(), team_ids=(), everything=False):
        """Mark leads (by ids, by team, or all) whose rows must be rebuilt; they are rebuilt before
        the report is read and at the latest when the transaction commits (after the stage
        tracking, which Odoo writes then)."""
        data = self.env.cr.precommit.data
        pending = data.get(PENDING)
        if pending is None:
            pending = data[PENDING] = {"leads": set(), "teams": set(), "all": False}
            env = self.env
            self.env.cr.precommit.add(lambda: env[self._name].sudo()._vertrieb_conversion_apply())
        pending["leads"].update(i for i in lead_ids if isinstance(i, int))
        pending["teams"].update(i for i in team_ids if isinstance(i, int))
        pending["all"] = pending["all"] or everything

    @api.model
    def _vertrieb_conversion_apply(self):
        """Rebuild the rows marked by ``_vertrieb_conversion_touch`` in this transaction."""
        pending = self.env.cr.precommit.data.pop(PENDING, None)
        if not pending:
            return
        if pending["all"]:
            self._vertrieb_conversion_refresh()
            return
        if pending["teams"]:
            self._vertrieb_conversion_refresh(team_ids=sorted(pending["teams"]))
        if pending["leads"]:
            self._vertrieb_conversion_refresh(lead_ids=sorted(pending["leads"]))

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        # the rows of leads changed in this transaction are rebuilt before they are read
        if self.env.cr.precommit.data.get(PENDING):
            self.sudo()._vertrieb_conversion_apply()
        return super()._search(domain, offset=offset, limit=limit, order=order)

    def action_open_document(self):
        self.ensure_one()
        return self._vertrieb_open_form(self.lead_id)
