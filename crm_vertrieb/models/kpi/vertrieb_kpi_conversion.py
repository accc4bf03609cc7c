from odoo import api, fields, models
from odoo.tools import SQL


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

    def _view_query(self):
        return SQL(
            """
            WITH stage_moves AS (
                SELECT m.res_id AS lead_id, v.old_value_integer AS old_stage, v.new_value_integer AS new_stage,
                       m.date, v.id AS tracking_id
                  FROM mail_tracking_value v
                  JOIN mail_message m ON m.id = v.mail_message_id
                  JOIN ir_model_fields f ON f.id = v.field_id
                 WHERE m.model = 'crm.lead' AND f.model = 'crm.lead' AND f.name = 'stage_id'
            ),
            first_moves AS (
                SELECT DISTINCT ON (sm.lead_id) sm.lead_id, sm.old_stage
                  FROM stage_moves sm
                 ORDER BY sm.lead_id, sm.date, sm.tracking_id
            ),
            entries AS (
                -- initial stage at creation: the old value of the first stage change, else the current stage
                -- (one join, not a subquery per lead: that one scanned the stage changes once per lead)
                SELECT l.id AS lead_id, COALESCE(fm.old_stage, l.stage_id) AS stage_id,
                       l.create_date AS entered, 0 AS tracking_id
                  FROM crm_lead l
                  LEFT JOIN first_moves fm ON fm.lead_id = l.id
                 WHERE l.stage_id IS NOT NULL
                UNION ALL
                SELECT sm.lead_id, sm.new_stage, sm.date, sm.tracking_id FROM stage_moves sm
            ),
            spans AS (
                SELECT e.lead_id, e.stage_id, e.entered,
                       LEAD(e.entered) OVER (PARTITION BY e.lead_id ORDER BY e.entered, e.tracking_id) AS left_at
                  FROM entries e
            ),
            lead_info AS (
                SELECT l.id, l.team_id, l.user_id, l.vertrieb_channel_id, l.partner_id, l.company_id,
                       l.create_date, l.active, l.probability, l.date_closed, l.write_date,
                       CASE WHEN l.active AND cs.is_won THEN 'won'
                            WHEN NOT l.active AND COALESCE(l.probability, 0) = 0 THEN 'lost'
                            ELSE 'open' END AS outcome
                  FROM crm_lead l
                  LEFT JOIN crm_stage cs ON cs.id = l.stage_id
                 WHERE l.stage_id IS NOT NULL
            ),
            durations AS (
                SELECT sp.lead_id, sp.stage_id,
                       SUM(EXTRACT(EPOCH FROM (COALESCE(
                           sp.left_at,
                           CASE WHEN li.outcome = 'open' THEN now() AT TIME ZONE 'UTC'
                                ELSE COALESCE(li.date_closed, li.write_date) END) - sp.entered)) / 86400.0
                       ) AS days
                  FROM spans sp
                  JOIN lead_info li ON li.id = sp.lead_id
                 GROUP BY sp.lead_id, sp.stage_id
            ),
            reached AS (
                -- furthest stage (by sequence, id) each lead has been in
                SELECT DISTINCT ON (d.lead_id) d.lead_id, s.sequence, s.id AS stage_id
                  FROM durations d
                  JOIN crm_stage s ON s.id = d.stage_id
                 ORDER BY d.lead_id, s.sequence DESC, s.id DESC
            ),
            offered AS (
                SELECT DISTINCT c.lead_id FROM vertrieb_kpi_contact_line c
                 WHERE c.contact_type = 'offer' AND c.lead_id IS NOT NULL
            ),
            pipeline AS (
                SELECT li.id AS lead_id, s.id AS stage_id, s.sequence, s.is_won,
                       ROW_NUMBER() OVER (PARTITION BY li.id ORDER BY s.sequence, s.id) AS position,
                       COUNT(*) OVER (PARTITION BY li.id) AS stage_count
                  FROM lead_info li
                  JOIN crm_stage s ON s.team_id IS NULL OR s.team_id = li.team_id
            )
            SELECT p.lead_id::bigint * 100000 + p.stage_id AS id,
                   p.lead_id, p.stage_id, p.sequence AS stage_sequence, p.position = 1 AS is_first_stage,
                   li.user_id, li.team_id, li.vertrieb_channel_id AS channel_id, li.partner_id, li.company_id,
                   li.create_date::date AS date,
                   (r.sequence, r.stage_id) > (p.sequence, p.stage_id) AS reached_next,
                   li.outcome,
                   CASE WHEN p.position = p.stage_count THEN NULL
                        WHEN (r.sequence, r.stage_id) > (p.sequence, p.stage_id) THEN 100.0
                        ELSE 0.0 END AS conversion_rate,
                   CASE li.outcome WHEN 'won' THEN 100.0 WHEN 'lost' THEN 0.0 END AS hit_rate,
                   CASE WHEN p.is_won THEN NULL ELSE d.days END AS days_in_stage,
                   o.lead_id IS NOT NULL AS has_offer,
                   CASE WHEN p.position = 1 AND o.lead_id IS NOT NULL THEN 1 ELSE 0 END AS offer_count,
                   CASE WHEN p.position = 1 AND o.lead_id IS NOT NULL AND li.outcome = 'won' THEN 1 ELSE 0 END
                       AS contract_count,
                   CASE WHEN p.position = 1 AND o.lead_id IS NOT NULL THEN
                        CASE li.outcome WHEN 'won' THEN 100.0 WHEN 'lost' THEN 0.0 END END AS offer_contract_rate
              FROM pipeline p
              JOIN lead_info li ON li.id = p.lead_id
              JOIN reached r ON r.lead_id = p.lead_id
              LEFT JOIN durations d ON d.lead_id = p.lead_id AND d.stage_id = p.stage_id
              LEFT JOIN offered o ON o.lead_id = p.lead_id
             WHERE (p.sequence, p.stage_id) <= (r.sequence, r.stage_id)
            """
        )

    @api.model
    def _vertrieb_stage_rates(self):
        """Average ``conversion_rate`` and ``hit_rate`` per stage, and the average ``hit_rate`` of
        the first-stage rows, under the reader's record rules: the same figures as
        ``_read_group([], ["stage_id"], ["conversion_rate:avg", "hit_rate:avg"])`` on the view,
        without building the view's rows (one per lead and passed stage, with durations).

        Set-based: one aggregate over the leads by (team, furthest stage reached, outcome), a few
        hundred groups even for millions of leads; the pipeline walk is done on those groups.
        Returns ``({stage_id: (conversion or None, hit_rate or None)}, first_stage_hit or None)``.
        """
        self.check_access("read")
        rule_domain = self.env["ir.rule"]._compute_domain(self._name, "read")
        # the view's user_id / team_id / company_id are the lead's: its rules apply to crm_lead as is
        leads = (
            self.env["crm.lead"]
            .sudo()
            .with_context(active_test=False)
            ._search([*rule_domain, ("stage_id", "!=", False)])
        )
        stage_field = self.env["ir.model.fields"]._get("crm.lead", "stage_id").id
        for model in ("crm.lead", "crm.stage", "mail.message", "mail.tracking.value"):
            self.env[model].flush_model()
        # one scan of the leads; the stage changes only for the furthest stage each lead was in
        groups = self.env.execute_query(
            SQL(
                """
                SELECT crm_lead.team_id, reached.sequence, reached.id,
                       CASE WHEN crm_lead.active AND cs.is_won THEN 'won'
                            WHEN NOT crm_lead.active AND COALESCE(crm_lead.probability, 0) = 0 THEN 'lost'
                            ELSE 'open' END,
                       COUNT(*)
                  FROM %(from)s
                  LEFT JOIN crm_stage cs ON cs.id = crm_lead.stage_id
                  LEFT JOIN (
                       SELECT DISTINCT ON (m.res_id) m.res_id AS lead_id, st.sequence, st.id
                         FROM mail_tracking_value v
                         JOIN mail_message m ON m.id = v.mail_message_id AND m.model = 'crm.lead'
                         JOIN crm_stage st ON st.id IN (v.old_value_integer, v.new_value_integer)
                        WHERE v.field_id = %(field)s
                        ORDER BY m.res_id, st.sequence DESC, st.id DESC
                  ) tracked ON tracked.lead_id = crm_lead.id
                 CROSS JOIN LATERAL (
                       SELECT CASE WHEN tracked.id IS NULL OR (cs.sequence, cs.id) >= (tracked.sequence, tracked.id)
                                   THEN cs.sequence ELSE tracked.sequence END AS sequence,
                              CASE WHEN tracked.id IS NULL OR (cs.sequence, cs.id) >= (tracked.sequence, tracked.id)
                                   THEN cs.id ELSE tracked.id END AS id
                  ) reached
                 WHERE %(where)s AND reached.id IS NOT NULL
                 GROUP BY 1, 2, 3, 4
                """,
                field=stage_field,
                where=leads.where_clause or SQL("TRUE"),
                **{"from": leads.from_clause},
            )
        )
        stages = self.env["crm.stage"].sudo().search_fetch([], ["sequence", "team_id"])
        pipelines = {}
        sums = {}  # stage id -> [conversion sum, conversion rows, hit sum, hit rows]
        first = [0.0, 0]
        for team_id, sequence, stage_id, outcome, count in groups:
            if team_id not in pipelines:
                pipelines[team_id] = sorted(
                    (s.sequence, s.id) for s in stages if not s.team_id or s.team_id.id == team_id
                )
            pipeline = pipelines[team_id]
            reached = (sequence, stage_id)
            for position, key in enumerate(pipeline):
                if key > reached:
                    break
                acc = sums.setdefault(key[1], [0.0, 0, 0.0, 0])
                if position < len(pipeline) - 1:
                    acc[0] += 100.0 * count if reached > key else 0.0
                    acc[1] += count
                if outcome != "open":
                    won = 100.0 * count if outcome == "won" else 0.0
                    acc[2] += won
                    acc[3] += count
                    if position == 0:
                        first[0] += won
                        first[1] += count
        rates = {
            stage_id: (acc[0] / acc[1] if acc[1] else None, acc[2] / acc[3] if acc[3] else None)
            for stage_id, acc in sums.items()
        }
        return rates, first[0] / first[1] if first[1] else None

    def action_open_document(self):
        self.ensure_one()
        return self._vertrieb_open_form(self.lead_id)
