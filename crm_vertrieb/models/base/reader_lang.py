"""The language of what the module writes into records for someone to read.

Activity summaries and notes, chatter notes: the module's code writes them into records, once, and
the record's responsible person reads them (the assignee of an activity, the salesperson of a lead,
the handler of a complaint). They are written in that person's language, not in the language of
whoever triggered the code: an administrator working in English, a cron, an accountant registering
a payment, the demo data while it loads. Odoo does the same for the assignment mail of an activity.
"""


def reader_env(env, *readers):
    """``env`` in the language of the first of ``readers`` (users) whose language is installed,
    else ``env`` unchanged. ``env._(...)`` then translates into it, and records read through it
    (``record.with_env(...)``) show their translated fields in it."""
    for reader in readers:
        lang = reader.sudo().lang if reader else False
        if lang and env["res.lang"]._get_code(lang):
            return env if env.lang == lang else env(context=dict(env.context, lang=lang))
    return env
