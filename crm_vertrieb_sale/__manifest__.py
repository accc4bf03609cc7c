# Copyright 2026 crm_vertrieb contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "CRM Vertrieb - Sales Bridge",
    "summary": "Link invoices created from the quotations of an opportunity to that opportunity",
    "version": "18.0.1.1.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-vertrieb/crm_vertrieb",
    "author": "crm_vertrieb contributors",
    "license": "LGPL-3",
    "depends": ["sale_crm", "crm_vertrieb"],
    "auto_install": True,
    "installable": True,
    "data": [],
}
