from datetime import timedelta

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import create_index

from ...tools import partner_keys, validators
from ...tools.duplicate_scoring import KEY_FIELDS
from ..base.column_fill import create_computed_columns, fill_in_batches, write_rows

# quality levels: a score from QUALITY_GOOD_FROM is good, from QUALITY_FAIR_FROM fair, else poor
QUALITY_GOOD_FROM = 80
QUALITY_FAIR_FROM = 50
# rows per UPDATE of the score refresh; partners per batch (and commit) of the nightly cron
SCORE_UPDATE_BATCH = 5000
SCORE_CRON_BATCH = 2000


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Keys of the duplicate detection (stored, indexed; filled by the ORM on create/write)
    vertrieb_name_key = fields.Char(
        string="Name Key",
        compute="_compute_vertrieb_dup_keys",
        store=True,
        index="trigram",
        help="Normalised name (umlauts spelled out, legal forms and punctuation removed) "
        "compared by trigram similarity.",
    )
    # the phonetic key and the e-mail domain are indexed by the covering indexes of the
    # duplicate search (vertrieb.partner.duplicate.init)
    vertrieb_phonetic_key = fields.Char(
        string="Phonetic Key",
        compute="_compute_vertrieb_dup_keys",
        store=True,
        help="Kölner Phonetik codes of the name's words, sorted.",
    )
    vertrieb_email_key = fields.Char(
        string="E-mail Key", compute="_compute_vertrieb_dup_keys", store=True, index="btree_not_null"
    )
    vertrieb_email_domain = fields.Char(string="E-mail Domain", compute="_compute_vertrieb_dup_keys", store=True)
    vertrieb_phone_key = fields.Char(
        string="Phone Key", compute="_compute_vertrieb_dup_keys", store=True, index="btree_not_null"
    )
    vertrieb_vat_key = fields.Char(
        string="VAT Key", compute="_compute_vertrieb_dup_keys", store=True, index="btree_not_null"
    )
    vertrieb_website_domain = fields.Char(
        string="Website Domain", compute="_compute_vertrieb_dup_keys", store=True, index="btree_not_null"
    )
    vertrieb_zip_area = fields.Char(
        string="ZIP Area", compute="_compute_vertrieb_dup_keys", store=True, index="btree_not_null"
    )
    vertrieb_street_key = fields.Char(string="Street Key", compute="_compute_vertrieb_dup_keys", store=True)
    # Quality score
    vertrieb_quality_score = fields.Integer(
        string="Quality Score",
        compute="_compute_vertrieb_quality",
        store=True,
        aggregator="avg",
        help="Information quality 0-100 from completeness, validity, consistency, uniqueness and "
        "timeliness, weighted as configured in the settings.",
    )
    vertrieb_quality_problem_count = fields.Integer(
        string="Quality Problems", compute="_compute_vertrieb_quality", store=True, aggregator="sum"
    )
    vertrieb_quality_level = fields.Selection(
        [("good", "Good"), ("fair", "Fair"), ("poor", "Poor")],
        string="Quality Level",
        compute="_compute_vertrieb_quality",
        store=True,
    )
    vertrieb_quality_parts = fields.Char(
        string="Quality Data Parts",
        compute="_compute_vertrieb_quality",
        store=True,
        help="Technical: completeness, validity and consistency of the data and their problem count, "
        "kept so that the daily recompute only applies uniqueness, timeliness and the weights again.",
    )
    vertrieb_quality_date = fields.Date(
        string="Score Changed On",
        compute="_compute_vertrieb_quality",
        store=True,
        help="When the score last changed, or the data it is computed from. The daily recompute "
        "leaves unchanged scores (and this date) alone.",
    )
    vertrieb_quality_problems = fields.Html(
        string="Quality Problems List", compute="_compute_vertrieb_quality_problems", sanitize=False
    )
    vertrieb_verified_date = fields.Datetime(
        string="Verified On", readonly=True, copy=False, tracking=True, help="When the data was last confirmed."
    )
    vertrieb_verified_by_id = fields.Many2one("res.users", string="Verified By", readonly=True, copy=False)
    vertrieb_duplicate_hint_ids = fields.Many2many(
        "res.partner",
        string="Likely Duplicates",
        compute="_compute_vertrieb_duplicate_hint_ids",
        help="Existing contacts that look like this new one (shown before saving).",
    )

    _VERTRIEB_KEY_FIELDS = KEY_FIELDS
    # what the quality score depends on (ORM recompute on write) and the stored results
    _VERTRIEB_QUALITY_DEPENDS_COLUMNS = (
        "name",
        "is_company",
        "type",
        "parent_id",
        "street",
        "zip",
        "city",
        "country_id",
        "vat",
        "email",
        "phone",
        "mobile",
        "function",
        "vertrieb_verified_date",
    )
    _VERTRIEB_QUALITY_DEPENDS = (*_VERTRIEB_QUALITY_DEPENDS_COLUMNS, "bank_ids.acc_number")
    _VERTRIEB_QUALITY_FIELDS = (
        "vertrieb_quality_parts",
        "vertrieb_quality_score",
        "vertrieb_quality_problem_count",
        "vertrieb_quality_level",
        "vertrieb_quality_date",
    )

    # ------------------------------------------------------------------
    # First fill of the stored keys and scores (install into a database with contacts)
    # ------------------------------------------------------------------
    def _auto_init(self):
        keys = create_computed_columns(self, KEY_FIELDS)
        quality = create_computed_columns(self, self._VERTRIEB_QUALITY_FIELDS)
        res = super()._auto_init()
        if keys or quality:
            # after every table of the module exists, before Odoo indexes the new columns
            self.pool.post_init(self._vertrieb_fill_keys_and_quality, keys=bool(keys), quality=bool(quality))
        return res

    def _vertrieb_fill_keys_and_quality(self, keys=True, quality=True, ids=None):
        """The duplicate keys and quality scores of existing contacts (all, or ``ids``), as the
        ORM computes them, in batches: per batch one narrow SELECT of the contacts' data and one
        UPDATE of all the stored results (the validators' answers cached across batches)."""
        Partner = self.with_context(active_test=False)
        cache = {}
        today = fields.Date.context_today(self)
        fnames = [*(KEY_FIELDS if keys else ()), *(self._VERTRIEB_QUALITY_FIELDS if quality else ())]

        def fill(batch):
            partners = Partner.browse(batch)
            values = {pid: {} for pid in batch}
            if keys:
                for pid, row in partners._vertrieb_keys_from_db().items():
                    values[pid].update(row)
            if quality:
                scores = partners._vertrieb_quality_scores_from_db(partners._vertrieb_open_duplicate_counts(), cache)
                for pid, (score, problems, parts) in scores.items():
                    values[pid].update(
                        vertrieb_quality_parts=parts,
                        vertrieb_quality_score=score,
                        vertrieb_quality_problem_count=len(problems),
                        vertrieb_quality_level=self._vertrieb_quality_level(score),
                        vertrieb_quality_date=today,
                    )
            write_rows(self, fnames, values)

        return fill_in_batches(self, "Duplicate keys and quality scores of existing contacts", fill, ids)

    def _vertrieb_keys_from_db(self):
        """``{id: {key field: value}}``: the duplicate keys of these partners computed from their
        rows read in SQL (``_compute_vertrieb_dup_keys`` without loading the records)."""
        rows = self.env.execute_query(
            SQL(
                """SELECT p.id, p.name, p.email, p.phone, p.mobile, p.vat, p.website, p.zip, p.street, c.code
                     FROM res_partner p
                LEFT JOIN res_country c ON c.id = p.country_id
                    WHERE p.id = ANY(%s)""",
                self.ids,
            )
        )
        return {
            pid: self._vertrieb_keys_from_values(name, email, phone or mobile, vat, website, zip_code, street, code)
            for pid, name, email, phone, mobile, vat, website, zip_code, street, code in rows
        }

    def init(self):
        res = super().init()
        # the cockpit's to-do "customers with poor data" of the reader's salespeople: a few rows of
        # a large table
        create_index(
            self.env.cr,
            "res_partner_vertrieb_quality_poor_index",
            self._table,
            ["user_id"],
            where="vertrieb_quality_level = 'poor'",
        )
        # the record rules of the duplicate list (and the cockpit's count of duplicates to check)
        # ask for the contacts whose salesperson is the reader or nobody: Odoo does not index the
        # salesperson, a salesperson's count read every contact (0.19 s for 100,000 contacts)
        create_index(self.env.cr, "res_partner_vertrieb_user_id_index", self._table, ["user_id"])
        return res

    @api.model
    def _vertrieb_keys_from_values(self, name, email, phone, vat, website, zip_code, street, country_code):
        return {
            "vertrieb_name_key": partner_keys.name_key(name),
            "vertrieb_phonetic_key": partner_keys.phonetic_key(name),
            "vertrieb_email_key": partner_keys.email_key(email),
            "vertrieb_email_domain": partner_keys.email_domain(email),
            "vertrieb_phone_key": partner_keys.phone_key(phone, country_code),
            "vertrieb_vat_key": partner_keys.vat_key(vat),
            "vertrieb_website_domain": partner_keys.website_domain(website),
            "vertrieb_zip_area": partner_keys.zip_area(zip_code, country_code),
            "vertrieb_street_key": partner_keys.street_key(street),
        }

    def _vertrieb_keys(self):
        """The duplicate keys of one partner, from its current (possibly unsaved) values."""
        self.ensure_one()
        return self._vertrieb_keys_from_values(
            self.name,
            self.email,
            self.phone or self.mobile,
            self.vat,
            self.website,
            self.zip,
            self.street,
            self.country_id.code,
        )

    @api.depends("name", "email", "phone", "mobile", "vat", "website", "zip", "street", "country_id")
    def _compute_vertrieb_dup_keys(self):
        for partner in self:
            partner.update(partner._vertrieb_keys())

    @api.depends(*_VERTRIEB_QUALITY_DEPENDS)
    def _compute_vertrieb_quality(self):
        """Score of partners whose data changed (ORM, on create/write); the cron uses the faster
        ``_vertrieb_quality_refresh``. Both evaluate with ``_vertrieb_quality_scores``."""
        results = self._vertrieb_quality_evaluate()
        today = fields.Date.context_today(self)
        for partner in self:
            score, problems, parts = results[partner.id]
            partner.vertrieb_quality_parts = parts
            partner.vertrieb_quality_score = score
            partner.vertrieb_quality_problem_count = len(problems)
            partner.vertrieb_quality_level = self._vertrieb_quality_level(score)
            partner.vertrieb_quality_date = today

    @api.depends_context("lang")
    @api.depends("vertrieb_quality_score")
    def _compute_vertrieb_quality_problems(self):
        results = self._vertrieb_quality_evaluate()
        for partner in self:
            problems = results[partner.id][1]
            partner.vertrieb_quality_problems = (
                Markup("<ul class='mb-0'>%s</ul>") % Markup().join(Markup("<li>%s</li>") % escape(p) for p in problems)
                if problems
                else False
            )

    @api.model
    def _vertrieb_quality_level(self, score):
        return "good" if score >= QUALITY_GOOD_FROM else "fair" if score >= QUALITY_FAIR_FROM else "poor"

    def _vertrieb_open_duplicate_counts(self):
        """Open duplicate candidates per partner id (one grouped query for the whole batch)."""
        ids = [pid for pid in self.ids if isinstance(pid, int)]
        counts = dict.fromkeys(ids, 0)
        if not ids:
            return counts
        self.env["vertrieb.partner.duplicate"].flush_model(["partner_a_id", "partner_b_id", "state"])
        rows = self.env.execute_query(
            SQL(
                """SELECT pid, count(*) FROM (
                       SELECT partner_a_id AS pid FROM vertrieb_partner_duplicate
                        WHERE state = 'open' AND partner_a_id = ANY(%(ids)s)
                       UNION ALL
                       SELECT partner_b_id FROM vertrieb_partner_duplicate
                        WHERE state = 'open' AND partner_b_id = ANY(%(ids)s)) d
                 GROUP BY pid""",
                ids=ids,
            )
        )
        counts.update(rows)
        return counts

    def _vertrieb_quality_facts(self):
        """What the score is computed from, as plain values (also for unsaved records)."""
        return [
            {
                "id": partner.id,
                "name": partner.name,
                "is_company": partner.is_company,
                "type": partner.type,
                "parent_id": partner.parent_id.id,
                "street": partner.street,
                "zip": partner.zip,
                "city": partner.city,
                "country_id": partner.country_id.id,
                "country_code": partner.country_id.code or False,
                "vat": partner.vat,
                "email": partner.email,
                "phone": partner.phone,
                "mobile": partner.mobile,
                "function": partner.function,
                "verified": partner.vertrieb_verified_date,
                "ibans": partner.bank_ids.mapped("acc_number"),
            }
            for partner in self
        ]

    @api.model
    def _vertrieb_quality_settings(self):
        """Weights, verification age, EU countries and the fixed messages, once per evaluation."""
        company = self.env.company
        weights = {
            "completeness": max(company.vertrieb_quality_weight_completeness, 0),
            "validity": max(company.vertrieb_quality_weight_validity, 0),
            "consistency": max(company.vertrieb_quality_weight_consistency, 0),
            "uniqueness": max(company.vertrieb_quality_weight_uniqueness, 0),
            "timeliness": max(company.vertrieb_quality_weight_timeliness, 0),
        }
        max_age = company.vertrieb_quality_verify_days or 365
        europe = self.env.ref("base.europe", raise_if_not_found=False)
        _ = self.env._
        return {
            "weights": weights,
            "total_weight": sum(weights.values()) or 1,
            "max_age": max_age,
            "limit": fields.Datetime.now() - timedelta(days=max_age),
            "eu_codes": set(europe.country_ids.mapped("code")) if europe else set(),
            "missing": {
                "name": _("Name missing"),
                "function": _("Job position missing"),
                "contact": _("E-mail or phone missing"),
                "street": _("Street missing"),
                "zip": _("ZIP code missing"),
                "city": _("City missing"),
                "country": _("Country missing"),
                "vat": _("VAT number missing (needed for B2B customers in the EU)"),
            },
            "never_verified": _("Never verified"),
        }

    @api.model
    def _vertrieb_quality_completeness(self, facts, settings):
        """Share of the fields the partner's role needs that are filled, and what is missing."""
        has_contact = facts["email"] or facts["phone"] or facts["mobile"]
        if facts["type"] == "contact" and facts["parent_id"] and not facts["is_company"]:
            required = [(facts["name"], "name"), (facts["function"], "function"), (has_contact, "contact")]
        else:
            required = [
                (facts["name"] or facts["type"] != "contact", "name"),
                (facts["street"], "street"),
                (facts["zip"], "zip"),
                (facts["city"], "city"),
                (facts["country_id"], "country"),
            ]
            if facts["is_company"] and facts["country_code"] in settings["eu_codes"]:
                required.append((facts["vat"], "vat"))
            if facts["type"] == "contact" and not facts["is_company"]:
                required.append((has_contact, "contact"))
        missing = [what for present, what in required if not present]
        if not missing:
            return 1, []
        return 1 - len(missing) / len(required), [settings["missing"][what] for what in missing]

    @api.model
    def _vertrieb_quality_validity(self, facts, cache):
        """Share of the filled values that are valid, and the reasons of the invalid ones.
        ``cache`` keeps the validators' answers per distinct value (ZIPs, domains, VATs repeat)."""
        code = facts["country_code"]
        env = self.env
        checks = []
        for kind, value, func in (
            ("email", facts["email"], lambda v: validators.check_email(env, v)),
            ("phone", facts["phone"], lambda v: self._vertrieb_phone_facts(v, code, cache)[0]),
            ("phone", facts["mobile"], lambda v: self._vertrieb_phone_facts(v, code, cache)[0]),
            ("vat", facts["vat"], lambda v: self._vertrieb_check_vat(v, facts)),
            *(("iban", acc, lambda v: validators.check_iban(env, v)) for acc in facts["ibans"] if acc),
            ("zip", facts["zip"], lambda v: validators.check_zip(env, v, code)),
        ):
            if not value:
                continue
            key = (kind, value, code, facts["is_company"]) if kind == "vat" else (kind, value, code)
            if key not in cache:
                cache[key] = func(value)
            checks.append(cache[key])
        invalid = [reason for reason in checks if reason]
        return (1 - len(invalid) / len(checks) if checks else 1), invalid

    @api.model
    def _vertrieb_check_vat(self, vat, facts):
        """The reason why a VAT number is invalid, or False. Where ``base_vat`` is installed (with
        l10n_de, for instance) its verdict decides, so the score agrees with the check on entry:
        what it refuses is named once (with the validator's reason), what it accepts is valid -
        also a number without a country prefix on a contact without a country (``XX123``), which
        it cannot judge: the missing country is the one problem named then."""
        reason = validators.check_vat(self.env, vat, facts["country_code"])
        if "vies_vat_to_check" not in self._fields:
            return reason
        if len(vat.strip()) <= 1:
            return False  # base_vat's marker for "no VAT number" ("/")
        country = self.env["res.country"].browse(facts["country_id"] or [])
        if self._run_vat_test(vat, country, facts["is_company"]) is False:
            return reason or self.env._(
                "VAT number invalid: refused by the VAT check of %(country)s", country=country.code or "-"
            )
        return False

    @api.model
    def _vertrieb_phone_facts(self, number, code, cache):
        """``(invalid reason, region of an international number)``, parsed once per number."""
        key = ("phone_facts", number, code)
        if key not in cache:
            cache[key] = validators.check_phone_region(self.env, number, code)
        return cache[key]

    @api.model
    def _vertrieb_quality_consistency(self, facts, cache):
        """Phone prefixes and VAT prefix against the country."""
        code = facts["country_code"]
        if not code:
            return 1, []
        problems, checks = [], 0
        for number in (facts["phone"], facts["mobile"]):
            if not number:
                continue
            region = self._vertrieb_phone_facts(number, code, cache)[1]
            if region:
                checks += 1
                if region != code:
                    problems.append(
                        self.env._(
                            "Phone prefix of %(number)s belongs to %(region)s, the country is %(code)s",
                            number=number[:40],
                            region=region,
                            code=code,
                        )
                    )
        vat_code = validators.vat_country(facts["vat"])
        vat_key = ("vat", facts["vat"], code, facts["is_company"])
        if vat_code and vat_key not in cache:
            cache[vat_key] = self._vertrieb_check_vat(facts["vat"], facts)
        # an invalid number is named once, by the validity check, not again for its prefix
        if vat_code and not cache[vat_key]:
            checks += 1
            if vat_code != code:
                problems.append(
                    self.env._(
                        "VAT number prefix %(prefix)s does not match the country %(code)s",
                        prefix=vat_code,
                        code=code,
                    )
                )
        return (1 - len(problems) / checks if checks else 1), problems

    @api.model
    def _vertrieb_quality_data_parts(self, facts, settings, cache):
        """The dimensions that only change with the partner's data: ``(parts, problems)`` with
        ``parts`` = (completeness, validity, consistency) in 0..1."""
        parts, problems = [], []
        for value, reasons in (
            self._vertrieb_quality_completeness(facts, settings),
            self._vertrieb_quality_validity(facts, cache),
            self._vertrieb_quality_consistency(facts, cache),
        ):
            parts.append(value)
            problems += reasons
        return tuple(parts), problems

    @api.model
    def _vertrieb_quality_combine(self, settings, parts, open_dups, verified):
        """Score 0-100 from the data parts, the open duplicate count and the verification date."""
        weights = settings["weights"]
        fresh = bool(verified and verified >= settings["limit"])
        values = (*parts, 0 if open_dups else 1, 1 if fresh else 0)
        score = sum(
            weights[dimension] * value
            for dimension, value in zip(
                ("completeness", "validity", "consistency", "uniqueness", "timeliness"), values, strict=True
            )
        )
        return round(score / settings["total_weight"] * 100), fresh

    @api.model
    def _vertrieb_quality_parts_string(self, parts, problem_count):
        """Stored form of the data parts (exact float round trip) and their problem count."""
        return ";".join([*(repr(value) for value in parts), str(problem_count)])

    @api.model
    def _vertrieb_quality_scores(self, facts_list, dup_counts, cache=None):
        """Score, German problem list and stored data parts per partner:
        ``{id: (score, [reasons], parts string)}``.

        ``facts_list``: dicts of ``_vertrieb_quality_facts``; ``dup_counts``: open duplicate
        candidates per id; ``cache``: validator answers per distinct value, may be shared by batches.
        """
        settings = self._vertrieb_quality_settings()
        cache = {} if cache is None else cache
        results = {}
        for facts in facts_list:
            parts, problems = self._vertrieb_quality_data_parts(facts, settings, cache)
            parts_string = self._vertrieb_quality_parts_string(parts, len(problems))
            open_dups = dup_counts.get(facts["id"], 0)
            verified = facts["verified"]
            score, fresh = self._vertrieb_quality_combine(settings, parts, open_dups, verified)
            if open_dups:
                problems.append(self.env._("%(count)s possible duplicate(s) not yet checked", count=open_dups))
            if not verified:
                problems.append(settings["never_verified"])
            elif not fresh:
                problems.append(
                    self.env._(
                        "Last verified on %(date)s, more than %(days)s days ago",
                        date=fields.Date.to_string(verified.date()),
                        days=settings["max_age"],
                    )
                )
            results[facts["id"]] = (score, problems, parts_string)
        return results

    def _vertrieb_quality_evaluate(self):
        """Score and problem list per partner of this recordset (see ``_vertrieb_quality_scores``)."""
        return self._vertrieb_quality_scores(self._vertrieb_quality_facts(), self._vertrieb_open_duplicate_counts())

    def _vertrieb_quality_refresh(self, cache=None, full=False):
        """Recompute the stored score of these (saved) partners from the database and write only
        the rows whose score, problem count or level changed, in one UPDATE. Returns that count.

        Faster than the ORM recompute for many partners: one narrow SELECT instead of prefetching
        all partner columns, no UPDATE for unchanged rows (the daily cron mostly finds the same
        score) and no per-value-group UPDATEs. The dimensions that only change with the partner's
        data (completeness, validity, consistency) are stored as ``vertrieb_quality_parts`` when
        the data changes; here they are reused, so only uniqueness, timeliness and the weights are
        applied again. ``full`` (or missing parts) runs the validators, cached per distinct value."""
        ids = [pid for pid in self.ids if isinstance(pid, int)]
        if not ids:
            return 0
        self.flush_model([*self._VERTRIEB_QUALITY_DEPENDS_COLUMNS, *self._VERTRIEB_QUALITY_FIELDS])
        self.env["res.partner.bank"].flush_model(["partner_id", "acc_number", "active"])
        rows = self.env.execute_query(
            SQL(
                """SELECT p.id, p.vertrieb_verified_date, p.vertrieb_quality_parts,
                          p.vertrieb_quality_score, p.vertrieb_quality_problem_count, p.vertrieb_quality_level
                     FROM res_partner p
                    WHERE p.id = ANY(%s)""",
                ids,
            )
        )
        settings = self._vertrieb_quality_settings()
        dup_counts = self._vertrieb_open_duplicate_counts()
        stale = [row[0] for row in rows if full or not row[2]]
        evaluated = self.browse(stale)._vertrieb_quality_scores_from_db(dup_counts, cache) if stale else {}
        changed = []
        for pid, verified, old_parts, *old in rows:
            parts_string = old_parts
            if pid in evaluated:
                score, problems, parts_string = evaluated[pid]
                problem_count = len(problems)
            else:
                *parts, data_problems = parts_string.split(";")
                open_dups = dup_counts.get(pid, 0)
                score, fresh = self._vertrieb_quality_combine(settings, [float(p) for p in parts], open_dups, verified)
                problem_count = int(data_problems) + bool(open_dups) + (not fresh)
            new = (score, problem_count, self._vertrieb_quality_level(score))
            if (*new, parts_string) != (*old, old_parts):
                changed.append((pid, *new, parts_string))
        for start in range(0, len(changed), SCORE_UPDATE_BATCH):
            self.env.execute_query(
                SQL(
                    """UPDATE res_partner p
                          SET vertrieb_quality_score = v.score, vertrieb_quality_problem_count = v.problem_count,
                              vertrieb_quality_level = v.level, vertrieb_quality_parts = v.parts,
                              vertrieb_quality_date = CASE
                                  WHEN (p.vertrieb_quality_score, p.vertrieb_quality_problem_count,
                                        p.vertrieb_quality_level)
                                       IS NOT DISTINCT FROM (v.score, v.problem_count, v.level)
                                  THEN p.vertrieb_quality_date ELSE %s END
                         FROM (VALUES %s) AS v(id, score, problem_count, level, parts)
                        WHERE p.id = v.id""",
                    fields.Date.context_today(self),
                    SQL(", ").join(
                        SQL("(%s, %s, %s, %s, %s)", *values) for values in changed[start : start + SCORE_UPDATE_BATCH]
                    ),
                )
            )
        if changed:
            self.browse([values[0] for values in changed]).invalidate_recordset(
                [*self._VERTRIEB_QUALITY_FIELDS, "vertrieb_quality_problems"]
            )
        return len(changed)

    def _vertrieb_quality_scores_from_db(self, dup_counts, cache=None):
        """``_vertrieb_quality_scores`` of these partners, their facts read in one narrow SELECT."""
        rows = self.env.execute_query(
            SQL(
                """SELECT p.id, p.name, p.is_company, p.type, p.parent_id, p.street, p.zip, p.city,
                          p.country_id, c.code, p.vat, p.email, p.phone, p.mobile, p.function,
                          p.vertrieb_verified_date,
                          ARRAY(SELECT b.acc_number FROM res_partner_bank b
                                 WHERE b.partner_id = p.id AND b.active ORDER BY b.id)
                     FROM res_partner p
                LEFT JOIN res_country c ON c.id = p.country_id
                    WHERE p.id = ANY(%s)""",
                self.ids,
            )
        )
        keys = (
            "id name is_company type parent_id street zip city country_id country_code vat email phone "
            "mobile function verified ibans"
        ).split()
        return self._vertrieb_quality_scores([dict(zip(keys, row, strict=True)) for row in rows], dup_counts, cache)

    def _vertrieb_quality_recompute(self):
        """Recompute the stored score of these partners now (duplicate pairs changed)."""
        self.invalidate_recordset(["vertrieb_quality_problems"])
        return self._vertrieb_quality_refresh()

    @api.model
    def _cron_vertrieb_quality_recompute(self, batch_size=SCORE_CRON_BATCH):
        """Daily pass over all partners in id order, ``batch_size`` per call (the cron runner calls
        again while ``_notify_progress`` reports some remaining and commits in between).

        Scores change without a write on the partner when a verification ages or the settings
        change; only changed rows are written. The pass position (day, last id, remaining count) is
        kept in the system parameter ``crm_vertrieb.quality_cron_position``; a new day starts a new
        pass."""
        params = self.env["ir.config_parameter"].sudo()
        today = fields.Date.to_string(fields.Date.context_today(self))
        position = (params.get_param("crm_vertrieb.quality_cron_position") or "").split(":")
        Partner = self.with_context(active_test=False)
        if len(position) == 3 and position[0] == today and position[1].isdigit() and position[2].isdigit():
            last_id, remaining = int(position[1]), int(position[2])
        else:  # a new pass: count once, then count down (a count per batch costs more than the batch)
            last_id, remaining = 0, Partner.search_count([])
        partners = Partner.search([("id", ">", last_id)], limit=batch_size, order="id")
        if partners:
            partners._vertrieb_quality_refresh()
            last_id = partners[-1].id
        remaining = max(remaining - len(partners), 0) if len(partners) == batch_size else 0
        params.set_param("crm_vertrieb.quality_cron_position", f"{today}:{last_id}:{remaining}")
        self.env["ir.cron"]._notify_progress(done=len(partners), remaining=remaining)
        return len(partners)

    @api.depends("name", "email", "phone", "mobile", "vat", "website", "zip", "street", "country_id")
    def _compute_vertrieb_duplicate_hint_ids(self):
        Pair = self.env["vertrieb.partner.duplicate"]
        for partner in self:
            hints = self.browse()
            if not partner._origin.id and (partner.name or partner.email or partner.vat):
                keys = partner._vertrieb_keys()
                keys.update(
                    zip=partner.zip,
                    city=partner.city,
                    id=0,
                    is_company=partner.is_company,
                    parent_id=partner.parent_id.id,
                )
                found = Pair._vertrieb_find_candidates(keys, limit=5)
                hints = self.browse([pid for pid, _score, _flags in found])
            partner.vertrieb_duplicate_hint_ids = hints

    def action_vertrieb_verify(self):
        """Confirm the data as checked now (timeliness)."""
        self.check_access("write")
        self.write({"vertrieb_verified_date": fields.Datetime.now(), "vertrieb_verified_by_id": self.env.uid})
        return True

    def action_vertrieb_find_duplicates(self):
        """Search and store duplicate candidates of these partners, then show them."""
        self.check_access("read")
        self.env["vertrieb.partner.duplicate"].sudo()._vertrieb_scan_partners(self)
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_vertrieb.vertrieb_partner_duplicate_action")
        action["domain"] = ["|", ("partner_a_id", "in", self.ids), ("partner_b_id", "in", self.ids)]
        action["context"] = {"search_default_open": 1}
        return action
