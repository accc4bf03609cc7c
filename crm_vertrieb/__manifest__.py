# Copyright 2026 crm_vertrieb contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "CRM Vertrieb",
    "summary": "Sales steering for German-speaking B2B sales teams: acquisition process, "
    "activity-rate KPIs, complaints, data quality and GDPR purposes",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-vertrieb/crm_vertrieb",
    "author": "crm_vertrieb contributors",
    "license": "LGPL-3",
    "application": True,
    "installable": True,
    "depends": [
        "crm",
        "account",
        "contacts",
        "mail",
        "calendar",
        "digest",
        "rating",
        "resource",
        "phone_validation",
    ],
    "external_dependencies": {"python": ["phonenumbers"]},
    "pre_init_hook": "pre_init_hook",
    "data": [
        "security/crm_vertrieb_security.xml",
        "security/ir.model.access.csv",
        "data/vertrieb_sales_channel_data.xml",
        "views/crm_vertrieb_menus.xml",
        "views/vertrieb_sales_channel_views.xml",
        # ACQUISITION: acquisition process (issue #3)
        "security/acquisition_security.xml",
        "data/vertrieb_acquisition_step_data.xml",
        "wizards/vertrieb_acquisition_gate_override_views.xml",
        "views/vertrieb_acquisition_step_views.xml",
        # KPI: activity-rate KPIs and customer value (issue #4)
        # COMPLAINT: complaints (issue #5)
        # QUALITY: information quality (issue #6)
        # PRIVACY: data protection by purpose (issue #7)
        # views of inherited models: last, they may use the actions above
        "views/res_partner_views.xml",
        "views/crm_lead_views.xml",
        "views/account_move_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
        "demo/res_partner_demo.xml",
        "demo/crm_lead_demo.xml",
        "demo/account_move_demo.xml",
        # ACQUISITION
        "demo/vertrieb_acquisition_demo.xml",
        # KPI
        # COMPLAINT
        # QUALITY
        # PRIVACY
    ],
    "assets": {
        "web.assets_tests": [
            "crm_vertrieb/static/tests/tours/*.js",
        ],
    },
}
