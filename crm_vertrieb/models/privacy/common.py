"""What the models of the privacy feature share: whether its guards apply, and which fields of a
partner hold a person's data (the Art. 18 guard, the anonymisation and the Art. 15 export use it)."""

# res.partner fields holding a person's data that are not stored text (links, images, lines):
# the anonymisation handles them explicitly; every stored text field is found from the registry
# (see partner_text_fields), so what other addons add to the partner is covered too
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
# stored text fields of res.partner known not to hold personal data (derived keys are recomputed
# from the cleared fields; these are kept as they are)
NOT_PERSONAL_TEXT_FIELDS = frozenset(
    {
        "vertrieb_restriction_reason",  # written by the module, cleared explicitly
    }
)
# links cleared by the anonymisation besides the text fields
ANONYMISATION_CLEARS_LINKS = ("state_id", "title")
# personal fields left out of the Art. 15 export: binary and one2many (exported on their own)
EXPORT_SKIPS = frozenset({"image_1920", "bank_ids", "child_ids"})
TEXT_TYPES = ("char", "text", "html")


def text_fields(model, keep=()):
    """Names of the stored text fields of ``model`` that hold what a user typed in, whichever addon
    added them: every stored char/text/html column that is not a read-only derived value (those are
    recomputed from the cleared ones) and not in ``keep``. ``name`` is never listed (the callers
    replace it by a label)."""
    names = []
    for name, field in model._fields.items():
        if not field.store or field.type not in TEXT_TYPES or field.company_dependent:
            continue
        if name == "name" or name in keep:
            continue
        if (field.compute or field.related) and field.readonly:
            continue
        names.append(name)
    return sorted(names)


def partner_text_fields(partner_model):
    """The stored text fields of res.partner cleared by the anonymisation (see text_fields)."""
    return text_fields(partner_model, NOT_PERSONAL_TEXT_FIELDS)


def guard_lifted(env):
    """True where the privacy guards do not apply: server code running as superuser (``sudo()``).
    Never a context key: the client controls the context of every call."""
    return env.su
