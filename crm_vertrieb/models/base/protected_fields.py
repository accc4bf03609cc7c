"""State and audit fields that only the module's own code writes (SECURITY.md, principle 2).

``readonly`` in a field or view is UI only: a ``write`` over RPC reaches the field anyway. The
features list such fields per model and call :func:`check_module_fields` first thing in their
``create``/``write``. The module's own code writes them with ``sudo()`` (``env.su``), which no
RPC client can set; a context key would not do, the client controls the context.
"""

from odoo.exceptions import AccessError


def check_module_fields(records, vals, field_names):
    """Refuse ``vals`` that set one of ``field_names`` unless the caller is the module's code."""
    if records.env.su:
        return
    forbidden = sorted(set(vals).intersection(field_names))
    if not forbidden:
        return
    env = records.env
    labels = ", ".join(records._fields[name]._description_string(env) for name in forbidden)
    raise AccessError(
        env._(
            "%(model)s: the fields %(fields)s are set by CRM Vertrieb itself and cannot be changed by hand.",
            model=env["ir.model"]._get(records._name).name,
            fields=labels,
        )
    )
