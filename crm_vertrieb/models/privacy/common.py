"""What the models of the privacy feature share: whether its guards apply, and the one list of a
partner's personal data (the Art. 18 guard, the anonymisation and the Art. 15 export use it)."""

# the module's own code lifts the guards with this context key (see guard_lifted)
BYPASS_KEY = "vertrieb_privacy_bypass"

# res.partner fields holding a person's data
PERSONAL_FIELDS = frozenset(
    {
        "name",
        "email",
        "phone",
        "mobile",
        "street",
        "street2",
        "zip",
        "city",
        "state_id",
        "country_id",
        "vat",
        "website",
        "function",
        "title",
        "comment",
        "ref",
        "image_1920",
        "category_id",
        "parent_id",
        "lang",
        "user_id",
        "bank_ids",
        "child_ids",
    }
)
# personal fields the anonymisation does not blank out in the partner row: the name is replaced
# by a label, images and bank accounts are deleted as records, and links to other records
# (country, company, salesperson, tags, language) identify nobody once the rest is gone
ANONYMISATION_KEEPS = frozenset(
    {"name", "image_1920", "bank_ids", "child_ids", "parent_id", "country_id", "category_id", "lang", "user_id"}
)
# personal fields left out of the Art. 15 export: binary and one2many (exported on their own)
EXPORT_SKIPS = frozenset({"image_1920", "bank_ids", "child_ids"})


def guard_lifted(env):
    """True where the privacy guards do not apply: the superuser and the module's own code."""
    return env.su or bool(env.context.get(BYPASS_KEY))
