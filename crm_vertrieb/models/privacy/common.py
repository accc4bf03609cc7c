"""What the models of the privacy feature share: whether its guards apply, and which fields of a
partner hold a person's data (the Art. 18 guard, the anonymisation and the Art. 15 export use it)."""

from collections import Counter
from contextlib import contextmanager

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


FLAGS_KEY = "_vertrieb_privacy_flags"


@contextmanager
def server_flag(env, key):
    """Mark a server-side code path (e.g. "the consent sync writes the blacklist") for the duration of
    a block. The mark lives on the database cursor, which no client reaches; the context of a call is
    the client's and never carries such a mark."""
    flags = getattr(env.cr, FLAGS_KEY, None)
    if flags is None:
        # on the cursor object itself: every kind of cursor (also the test cursor of browser tests)
        flags = Counter()
        setattr(env.cr, FLAGS_KEY, flags)
    flags[key] += 1
    try:
        yield
    finally:
        flags[key] -= 1


def server_flag_set(env, key):
    """True inside a ``server_flag(env, key)`` block of the same transaction."""
    return getattr(env.cr, FLAGS_KEY, {}).get(key, 0) > 0


def normalised_name(name):
    """A person's name compared for the erasure of leads matched by name only: case and spacing
    ignored."""
    return " ".join((name or "").split()).casefold()


def is_open_move(move):
    """A draft entry, or a posted invoice not fully paid: blocks erasure and anonymisation."""
    return move.state == "draft" or (
        move.state == "posted" and move.is_invoice(True) and move.payment_state in ("not_paid", "partial", "in_payment")
    )
