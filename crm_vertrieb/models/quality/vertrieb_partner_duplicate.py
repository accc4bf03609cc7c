import logging

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.sql import column_exists

from ...tools.duplicate_scoring import (
    DUPLICATE_THRESHOLD,
    EXACT_KEY_FIELDS,
    KEYS,
    MAX_BLOCK_SIZE,
    MAX_WORD_BLOCK_SIZE,
    NAME_SEARCH_THRESHOLD,
    REASON_FIELDS,
    score_pair,
)

_logger = logging.getLogger(__name__)

# pg_trgm's similarity operator "%" (uses the trigram index); SQL() code without arguments keeps "%%"
TRGM_MATCH = SQL("%%")
# candidates the ORM-side duplicate check of one partner looks at
CANDIDATE_LIMIT = 50
# rows the indexed candidate query reads before scoring (the best-scored are kept)
CANDIDATE_ROWS = 500
# rows per INSERT/UPDATE statement of the pair upsert, partners per score refresh, pairs per
# cluster update: bounded statements and memory on any database size
UPSERT_BATCH = 5000
REFRESH_BATCH = 2000
CLUSTER_BATCH = 10000
_PARTNER_COLUMNS = SQL(", ").join(SQL.identifier("p", fname) for fname in KEYS)


class VertriebPartnerDuplicate(models.Model):
    _name = "vertrieb.partner.duplicate"
    _description = "Duplicate Candidate"
    _inherit = ["mail.thread"]
    _order = "score desc, id desc"
    _rec_name = "partner_a_id"
    _check_company_auto = True

    partner_a_id = fields.Many2one(
        "res.partner", string="Contact", required=True, ondelete="cascade", index=True, readonly=True
    )
    partner_b_id = fields.Many2one(
        "res.partner", string="Possible Duplicate", required=True, ondelete="cascade", index=True, readonly=True
    )
    cluster_id = fields.Many2one(
        "res.partner",
        string="Cluster",
        ondelete="set null",
        index="btree_not_null",
        readonly=True,
        help="All contacts connected by open candidate pairs form a cluster named after its oldest contact.",
    )
    company_id = fields.Many2one("res.company", string="Company", index=True, readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Salesperson", related="partner_a_id.user_id", store=True, index="btree_not_null"
    )
    # what the record rules ask of both contacts (their salesperson, company, whether they are
    # shared), stored on the pair: the rules test columns of the few pairs, not subqueries over
    # every contact (a salesperson's count of pairs to check read all 100,000 contacts twice)
    user_b_id = fields.Many2one(
        "res.users", string="Salesperson (Duplicate)", related="partner_b_id.user_id", store=True
    )
    partner_a_company_id = fields.Many2one(
        "res.company", string="Company of the Contact", related="partner_a_id.company_id", store=True
    )
    partner_b_company_id = fields.Many2one(
        "res.company", string="Company of the Duplicate", related="partner_b_id.company_id", store=True
    )
    partner_a_share = fields.Boolean(string="Contact Is Shared", related="partner_a_id.partner_share", store=True)
    partner_b_share = fields.Boolean(string="Duplicate Is Shared", related="partner_b_id.partner_share", store=True)
    score = fields.Float(digits=(5, 1), readonly=True, aggregator="max")
    state = fields.Selection(
        [("open", "To Check"), ("no_duplicate", "No Duplicate")],
        string="Status",
        default="open",
        required=True,
        tracking=True,
        index=True,
    )
    reason_vat = fields.Boolean(string="Same VAT Number", readonly=True)
    reason_email = fields.Boolean(string="Same E-mail", readonly=True)
    reason_phone = fields.Boolean(string="Same Phone", readonly=True)
    reason_website = fields.Boolean(string="Same Website", readonly=True)
    reason_name = fields.Boolean(string="Similar Name", readonly=True)
    reason_phonetic = fields.Boolean(string="Name Sounds Alike", readonly=True)
    reason_address = fields.Boolean(string="Same Place", readonly=True)
    reasons = fields.Char(compute="_compute_reasons")
    marked_by_id = fields.Many2one("res.users", string="Checked By", readonly=True)
    marked_date = fields.Datetime(string="Checked On", readonly=True)
    # read as the user, never as superuser: the pair shows nothing its reader may not read
    partner_a_city = fields.Char(related="partner_a_id.city", string="City", compute_sudo=False)
    partner_b_city = fields.Char(related="partner_b_id.city", string="City (Duplicate)", compute_sudo=False)
    partner_a_email = fields.Char(related="partner_a_id.email", string="E-mail", compute_sudo=False)
    partner_b_email = fields.Char(related="partner_b_id.email", string="E-mail (Duplicate)", compute_sudo=False)

    _sql_constraints = [
        ("pair_unique", "UNIQUE(partner_a_id, partner_b_id)", "This pair of contacts is already recorded."),
        ("pair_distinct", "CHECK(partner_a_id <> partner_b_id)", "A contact cannot be its own duplicate."),
    ]

    @api.model
    def _vertrieb_merge_partners(self, src_partners, dst_partner):
        """Before Odoo merges contacts: a pair among the merged contacts is settled by the merge
        (removed); a pair of a merged contact with a third one moves to the survivor, unless the
        survivor already has a pair with that contact: then one remains, marked "no duplicate"
        when either was (the decision is remembered)."""
        merged = src_partners | dst_partner
        pairs = self.search(["|", ("partner_a_id", "in", src_partners.ids), ("partner_b_id", "in", src_partners.ids)])
        inner = pairs.filtered(lambda pair: pair.partner_a_id in merged and pair.partner_b_id in merged)
        inner.unlink()
        by_other = {}
        for pair in self.search(["|", ("partner_a_id", "=", dst_partner.id), ("partner_b_id", "=", dst_partner.id)]):
            by_other[(pair.partner_b_id if pair.partner_a_id == dst_partner else pair.partner_a_id).id] = pair
        for pair in pairs - inner:
            other = pair.partner_b_id if pair.partner_a_id in src_partners else pair.partner_a_id
            kept = by_other.get(other.id)
            if not kept:
                first, second = sorted((dst_partner.id, other.id))
                pair.write({"partner_a_id": first, "partner_b_id": second})
                by_other[other.id] = pair
                continue
            if pair.state == "no_duplicate" and kept.state != "no_duplicate":
                kept.write(
                    {"state": "no_duplicate", "marked_by_id": pair.marked_by_id.id, "marked_date": pair.marked_date}
                )
            pair.unlink()

    @api.depends_context("lang")
    @api.depends(*REASON_FIELDS)
    def _compute_reasons(self):
        for pair in self:
            pair.reasons = ", ".join(
                pair._fields[fname].get_description(self.env)["string"] for fname in REASON_FIELDS if pair[fname]
            )

    def init(self):
        """Indexes of the candidate search within a block: a GIN index on (ZIP area, name
        trigrams); the e-mail domain and the phonetic key with what the search compares in
        their blocks, so that a block is read by an index-only scan."""
        super().init()
        cr = self.env.cr
        if not column_exists(cr, "res_partner", "vertrieb_zip_area"):
            return
        # until 18.0.1.5: plain indexes of the two columns (the covering ones serve their lookups)
        for column in ("vertrieb_email_domain", "vertrieb_phonetic_key"):
            cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(f"res_partner__{column}_index")))
        for index, column, included in (
            ("res_partner_vertrieb_domain_block_index", "vertrieb_email_domain", ["vertrieb_name_key", "id"]),
            (
                "res_partner_vertrieb_phonetic_block_index",
                "vertrieb_phonetic_key",
                ["vertrieb_zip_area", "vertrieb_email_domain", "id"],
            ),
        ):
            cr.execute(
                SQL(
                    "CREATE INDEX IF NOT EXISTS %s ON res_partner (%s) INCLUDE (%s) WHERE %s IS NOT NULL",
                    SQL.identifier(index),
                    SQL.identifier(column),
                    SQL(", ").join(SQL.identifier(name) for name in included),
                    SQL.identifier(column),
                )
            )
        cr.execute(SQL("SELECT 1 FROM pg_extension WHERE extname = 'btree_gin'"))
        if not cr.fetchone():
            try:  # installed databases updated from a version without it (new ones: pre_init_hook)
                # no flush: during a module update other models' tables may not exist yet, and a
                # flush would compute their pending stored fields against them
                with cr.savepoint(flush=False):
                    cr.execute(SQL("CREATE EXTENSION IF NOT EXISTS btree_gin"))
            except psycopg2.Error as exc:
                _logger.info("btree_gin not available (%s): duplicate search without its block index", exc)
                return
        cr.execute(
            SQL(
                """CREATE INDEX IF NOT EXISTS res_partner_vertrieb_zip_name_trgm_index
                   ON res_partner USING gin (vertrieb_zip_area, vertrieb_name_key gin_trgm_ops)
                   WHERE vertrieb_zip_area IS NOT NULL"""
            )
        )

    # ------------------------------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        pairs = super().create(vals_list)
        (pairs.partner_a_id | pairs.partner_b_id)._vertrieb_quality_recompute()
        return pairs

    def write(self, vals):
        res = super().write(vals)
        if "state" in vals:
            (self.partner_a_id | self.partner_b_id)._vertrieb_quality_recompute()
        return res

    # ------------------------------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------------------------------

    def action_mark_no_duplicate(self):
        """Remember that these contacts are different; later scans keep this decision."""
        self.write({"state": "no_duplicate", "marked_by_id": self.env.uid, "marked_date": fields.Datetime.now()})
        return True

    def action_reopen(self):
        self.write({"state": "open", "marked_by_id": False, "marked_date": False})
        return True

    def action_merge(self):
        """Open Odoo's own merge wizard (base.partner.merge) pre-filled with the pair."""
        self.ensure_one()
        partners = (self.partner_a_id | self.partner_b_id).exists()
        if len(partners) < 2:
            raise UserError(self.env._("One of the two contacts no longer exists; nothing to merge."))
        if not self.env["base.partner.merge.automatic.wizard"].has_access("create"):
            raise UserError(self.env._("Merging contacts needs the right to manage contacts; ask your administrator."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Merge Contacts"),
            "res_model": "base.partner.merge.automatic.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"active_model": "res.partner", "active_ids": partners.ids, "active_id": partners[0].id},
        }

    def action_open_partners(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Contacts"),
            "res_model": "res.partner",
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": [("id", "in", (self.partner_a_id | self.partner_b_id).ids)],
        }

    # ------------------------------------------------------------------------------------------
    # BUSINESS: candidate search
    # ------------------------------------------------------------------------------------------

    @api.model
    def _vertrieb_candidate_queries(self, keys):
        """Queries of the ids of the candidates (their union is the candidate set), each read by
        one index: similar names within the ZIP area (the GIN index on ZIP area and name
        trigrams), within the company e-mail domain and the same phonetic key (index-only scans
        of covering indexes: only the candidates found are read from the table), exact signals."""
        name = keys.get("vertrieb_name_key") or None
        zip_area = keys.get("vertrieb_zip_area") or None
        domain = keys.get("vertrieb_email_domain") or None
        phonetic = keys.get("vertrieb_phonetic_key") or None
        similar = SQL("similarity(p.vertrieb_name_key, %s) >= %s::float8", name, NAME_SEARCH_THRESHOLD)
        conditions = []
        if zip_area:
            # similar names within the block: ZIP area or company e-mail domain; other places
            # score below the threshold anyway
            if name:
                in_block = SQL("p.vertrieb_zip_area = %s AND p.vertrieb_name_key %s %s", zip_area, TRGM_MATCH, name)
                conditions.append(in_block)
                if domain:
                    conditions.append(SQL("p.vertrieb_email_domain = %s AND %s", domain, similar))
            if phonetic:
                conditions.append(
                    SQL(
                        """p.vertrieb_phonetic_key = %s AND (p.vertrieb_zip_area = %s
                           OR p.vertrieb_zip_area IS NULL OR p.vertrieb_email_domain = %s)""",
                        phonetic,
                        zip_area,
                        domain,
                    )
                )
        else:
            if name:
                # no place yet (a name typed into a new contact): the trigram index of the names
                conditions.append(SQL("p.vertrieb_name_key %s %s", TRGM_MATCH, name))
            if phonetic:
                conditions.append(SQL("p.vertrieb_phonetic_key = %s", phonetic))
        for fname in EXACT_KEY_FIELDS:
            if keys.get(fname):
                conditions.append(SQL("%s = %s", SQL.identifier("p", fname), keys[fname]))
        return [SQL("SELECT p.id FROM res_partner p WHERE %s", condition) for condition in conditions]

    @api.model
    def _vertrieb_find_candidates(self, keys, limit=20):
        """Likely duplicates of one partner given by its keys (``res.partner`` key field names,
        ``zip``, ``city``, ``id`` 0 for an unsaved one). One query over the union of indexed
        candidate queries: similar names within the ZIP area or company e-mail domain, the
        phonetic key, exact signals.
        Returns ``[(partner_id, score, flags)]``, best first, only scores >= DUPLICATE_THRESHOLD."""
        self.env["res.partner"].flush_model()
        name = keys.get("vertrieb_name_key") or None
        queries = self._vertrieb_candidate_queries(keys)
        if not queries:
            return []
        # the trigram operator "%" matches from this similarity on (GIN index probe)
        self.env.cr.execute(SQL("SET LOCAL pg_trgm.similarity_threshold = %s", NAME_SEARCH_THRESHOLD))
        rows = self.env.execute_query(
            SQL(
                """SELECT %(cols)s, similarity(p.vertrieb_name_key, %(name)s)
                     FROM res_partner p
                    WHERE p.id IN (%(candidates)s)
                      AND p.active AND p.type = 'contact' AND p.id <> %(id)s
                      AND (p.parent_id IS NULL OR p.parent_id <> %(id)s)
                    LIMIT %(rows)s""",
                cols=_PARTNER_COLUMNS,
                name=name or "",
                id=keys.get("id") or 0,
                candidates=SQL(" UNION ").join(queries),
                rows=CANDIDATE_ROWS,
            )
        )
        own = dict.fromkeys(KEYS, False) | keys
        found = []
        for row in rows:
            other = dict(zip(KEYS, row[:-1], strict=True))
            if own.get("parent_id") and own["parent_id"] == other["id"]:
                continue
            score, flags = score_pair(own, other, row[-1])
            if score >= DUPLICATE_THRESHOLD:
                found.append((other["id"], score, flags))
        found.sort(key=lambda item: -item[1])
        return found[:limit]

    @api.model
    def _vertrieb_scan_partners(self, partners):
        """Candidate search for a few partners (form button, tests); stores the pairs found."""
        pairs = {}
        for partner in partners:
            keys = {fname: partner[fname] for fname in KEYS if fname not in ("id", "parent_id")}
            keys.update(id=partner.id, parent_id=partner.parent_id.id)
            for other_id, score, flags in self._vertrieb_find_candidates(keys, limit=CANDIDATE_LIMIT):
                pairs[tuple(sorted((partner.id, other_id)))] = (score, flags)
        self._vertrieb_store_pairs(pairs, scope_ids=partners.ids)
        return pairs

    @api.model
    def _vertrieb_block_pairs_sql(self):
        """Candidate pairs of the full scan, only within blocks: similar names (``%`` trigram
        operator) within the same ZIP area sharing the phonetic code of at least one word (a typo
        rarely changes every word), or within the same business e-mail domain; same phonetic key;
        or an exact signal (e-mail, phone, VAT, website) in blocks of at most MAX_BLOCK_SIZE partners.
        Comparing all names of a ZIP area instead would be ~35 times more pairs at 100,000 partners."""
        exact_blocks = [
            SQL(
                """SELECT a.id, b.id FROM (
                       SELECT id, %(col)s AS k, count(*) OVER (PARTITION BY %(col)s) AS n
                         FROM dup_scan_partner WHERE %(col)s IS NOT NULL) a
                     JOIN dup_scan_partner b ON b.%(col)s = a.k AND a.id < b.id
                    WHERE a.n <= %(max)s""",
                col=SQL.identifier(fname),
                max=MAX_BLOCK_SIZE,
            )
            for fname in ("vertrieb_phonetic_key", *EXACT_KEY_FIELDS)
        ]
        word_block = SQL(
            """SELECT w.a, w.b FROM (
                   SELECT DISTINCT a.id AS a, b.id AS b
                     FROM (SELECT id, area, code, count(*) OVER (PARTITION BY area, code) AS n
                             FROM dup_scan_word) a
                     JOIN dup_scan_word b ON b.area = a.area AND b.code = a.code AND a.id < b.id
                    WHERE a.n <= %(max)s) w
                 JOIN dup_scan_partner pa ON pa.id = w.a
                 JOIN dup_scan_partner pb ON pb.id = w.b
                WHERE pa.vertrieb_name_key %(match)s pb.vertrieb_name_key""",
            max=MAX_WORD_BLOCK_SIZE,
            match=TRGM_MATCH,
        )
        domain_block = SQL(
            """SELECT a.id, b.id FROM dup_scan_partner a
                 JOIN dup_scan_partner b ON b.vertrieb_email_domain = a.vertrieb_email_domain AND a.id < b.id
                WHERE a.vertrieb_name_key %s b.vertrieb_name_key""",
            TRGM_MATCH,
        )
        return SQL(" UNION ").join([word_block, domain_block, *exact_blocks])

    @api.model
    def _vertrieb_full_scan(self):
        """Scan all active contacts block by block, store the pairs scoring above the threshold,
        drop open pairs no longer found (decisions "no duplicate" are kept), rebuild clusters."""
        self.env["res.partner"].flush_model()
        self.env.cr.execute(SQL("SET LOCAL pg_trgm.similarity_threshold = %s", NAME_SEARCH_THRESHOLD))
        self.env.cr.execute(
            SQL(
                """CREATE TEMPORARY TABLE dup_scan_partner ON COMMIT DROP AS
                   SELECT %(cols)s FROM res_partner p WHERE p.active AND p.type = 'contact'""",
                cols=_PARTNER_COLUMNS,
            )
        )
        for fname in ("id", "vertrieb_zip_area", "vertrieb_email_domain", "vertrieb_phonetic_key"):
            self.env.cr.execute(SQL("CREATE INDEX ON dup_scan_partner (%s)", SQL.identifier(fname)))
        # one row per word of the name (its Kölner Phonetik code) and ZIP area: the fuzzy blocks
        self.env.cr.execute(
            SQL(
                """CREATE TEMPORARY TABLE dup_scan_word ON COMMIT DROP AS
                   SELECT id, vertrieb_zip_area AS area,
                          unnest(string_to_array(vertrieb_phonetic_key, ' ')) AS code
                     FROM dup_scan_partner
                    WHERE vertrieb_zip_area IS NOT NULL AND vertrieb_phonetic_key IS NOT NULL"""
            )
        )
        self.env.cr.execute(SQL("CREATE INDEX ON dup_scan_word (area, code)"))
        self.env.cr.execute(SQL("ANALYZE dup_scan_partner"))
        self.env.cr.execute(SQL("ANALYZE dup_scan_word"))
        rows = self.env.execute_query(
            SQL(
                """SELECT c.a, c.b, similarity(pa.vertrieb_name_key, pb.vertrieb_name_key)
                     FROM (%(blocks)s) c(a, b)
                     JOIN dup_scan_partner pa ON pa.id = c.a
                     JOIN dup_scan_partner pb ON pb.id = c.b
                    WHERE pa.parent_id IS DISTINCT FROM pb.id AND pb.parent_id IS DISTINCT FROM pa.id""",
                blocks=self._vertrieb_block_pairs_sql(),
            )
        )
        involved = {pid for a, b, _sim in rows for pid in (a, b)}
        partner_keys = {}
        if involved:
            for row in self.env.execute_query(
                SQL(
                    "SELECT %s FROM dup_scan_partner p WHERE p.id = ANY(%s)",
                    _PARTNER_COLUMNS,
                    list(involved),
                )
            ):
                partner_keys[row[0]] = dict(zip(KEYS, row, strict=True))
        pairs = {}
        for a, b, sim in rows:
            score, flags = score_pair(partner_keys[a], partner_keys[b], sim)
            if score >= DUPLICATE_THRESHOLD:
                pairs[(a, b)] = (score, flags)
        self.env.cr.execute(SQL("DROP TABLE dup_scan_partner, dup_scan_word"))
        self._vertrieb_store_pairs(pairs, scope_ids=None)
        return pairs

    @api.model
    def _vertrieb_store_pairs(self, pairs, scope_ids=None):
        """Upsert ``{(a, b): (score, flags)}``; open pairs of the scope not found again are removed
        (scope: the given partner ids, or everything for the full scan). Then rebuild clusters and
        refresh the quality scores of the partners concerned."""
        flag_names = REASON_FIELDS
        self.flush_model()
        touched = set()
        # stale open pairs
        scope = (
            SQL("TRUE")
            if scope_ids is None
            else SQL("(partner_a_id = ANY(%s) OR partner_b_id = ANY(%s))", list(scope_ids), list(scope_ids))
        )
        keep = [f"{a}-{b}" for a, b in pairs]
        for a, b in self.env.execute_query(
            SQL(
                """DELETE FROM vertrieb_partner_duplicate
                    WHERE state = 'open' AND %s AND NOT (partner_a_id || '-' || partner_b_id = ANY(%s))
                RETURNING partner_a_id, partner_b_id""",
                scope,
                keep,
            )
        ):
            touched.update((a, b))
        # upsert in chunks
        items = list(pairs.items())
        for start in range(0, len(items), UPSERT_BATCH):
            chunk = items[start : start + UPSERT_BATCH]
            values = SQL(", ").join(
                SQL(
                    "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    a,
                    b,
                    score,
                    *(bool(flags.get(f)) for f in flag_names),
                    self.env.uid,
                )
                for (a, b), (score, flags) in chunk
            )
            for a, b in self.env.execute_query(
                SQL(
                    """INSERT INTO vertrieb_partner_duplicate AS d
                           (partner_a_id, partner_b_id, score, reason_vat, reason_email, reason_phone,
                            reason_website, reason_name, reason_phonetic, reason_address,
                            create_uid, write_uid, create_date, write_date, state, company_id, user_id,
                            user_b_id, partner_a_company_id, partner_b_company_id, partner_a_share,
                            partner_b_share)
                       SELECT v.a, v.b, v.score, v.r1, v.r2, v.r3, v.r4, v.r5, v.r6, v.r7, v.uid, v.uid,
                              now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', 'open',
                              COALESCE(pa.company_id, pb.company_id), pa.user_id, pb.user_id,
                              pa.company_id, pb.company_id, pa.partner_share, pb.partner_share
                         FROM (VALUES %s) v(a, b, score, r1, r2, r3, r4, r5, r6, r7, uid)
                         JOIN res_partner pa ON pa.id = v.a
                         JOIN res_partner pb ON pb.id = v.b
                  ON CONFLICT (partner_a_id, partner_b_id) DO UPDATE
                          SET score = EXCLUDED.score, reason_vat = EXCLUDED.reason_vat,
                              reason_email = EXCLUDED.reason_email, reason_phone = EXCLUDED.reason_phone,
                              reason_website = EXCLUDED.reason_website, reason_name = EXCLUDED.reason_name,
                              reason_phonetic = EXCLUDED.reason_phonetic,
                              reason_address = EXCLUDED.reason_address
                        WHERE d.state = 'open' AND d.score IS DISTINCT FROM EXCLUDED.score
                    RETURNING d.partner_a_id, d.partner_b_id""",
                    values,
                )
            ):
                touched.update((a, b))
        self._vertrieb_rebuild_clusters()
        self.invalidate_model()
        self.env["res.partner"].invalidate_model(["vertrieb_quality_problems"])
        if touched:
            # the uniqueness dimension changed: refresh the stored scores of these partners now
            Partner = self.env["res.partner"].with_context(active_test=False)
            touched_ids, cache = sorted(touched), {}
            for start in range(0, len(touched_ids), REFRESH_BATCH):
                Partner.browse(touched_ids[start : start + REFRESH_BATCH])._vertrieb_quality_refresh(cache)
        return touched

    @api.model
    def _vertrieb_rebuild_clusters(self):
        """Connected components of the open pairs (union-find); cluster = its smallest partner id."""
        rows = self.env.execute_query(
            SQL(
                "SELECT id, partner_a_id, partner_b_id, cluster_id FROM vertrieb_partner_duplicate WHERE state = 'open'"
            )
        )
        parent = {}

        def find(x):
            root = x
            while parent.get(root, root) != root:
                root = parent[root]
            while parent.get(x, x) != root:
                parent[x], x = root, parent[x]
            return root

        for _id, a, b, _c in rows:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
        changes = [(pair_id, find(a)) for pair_id, a, _b, cluster in rows if cluster != find(a)]
        for start in range(0, len(changes), CLUSTER_BATCH):
            chunk = changes[start : start + CLUSTER_BATCH]
            self.env.execute_query(
                SQL(
                    """UPDATE vertrieb_partner_duplicate d SET cluster_id = v.c
                         FROM (VALUES %s) v(id, c) WHERE d.id = v.id""",
                    SQL(", ").join(SQL("(%s, %s)", pair_id, cluster) for pair_id, cluster in chunk),
                )
            )
        self.env.execute_query(
            SQL(
                """UPDATE vertrieb_partner_duplicate SET cluster_id = NULL
                    WHERE state <> 'open' AND cluster_id IS NOT NULL"""
            )
        )

    @api.model
    def _cron_vertrieb_duplicate_scan(self):
        pairs = self.sudo()._vertrieb_full_scan()
        _logger.info("Duplicate scan: %s candidate pairs", len(pairs))
        self.env["ir.cron"]._notify_progress(done=1, remaining=0)
