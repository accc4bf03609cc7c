# Copyright 2026 crm_vertrieb contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "CRM Vertrieb - Mass Mailing",
    "summary": "Purpose limitation for mass mailings: only recipients with a granted marketing purpose",
    "version": "18.0.1.1.0",
    "category": "Marketing/Email Marketing",
    "website": "https://github.com/crm-vertrieb/crm_vertrieb",
    "author": "crm_vertrieb contributors",
    "license": "LGPL-3",
    "installable": True,
    "auto_install": True,
    "depends": ["mass_mailing", "crm_vertrieb"],
    "data": [
        "views/mailing_mailing_views.xml",
    ],
}
