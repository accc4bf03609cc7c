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
        "security/kpi_security.xml",
        "data/vertrieb_kpi_data.xml",
        "views/vertrieb_kpi_target_views.xml",
        "views/vertrieb_kpi_contact_views.xml",
        "views/vertrieb_kpi_conversion_views.xml",
        "views/vertrieb_kpi_sales_views.xml",
        "views/vertrieb_kpi_cockpit_views.xml",
        # COMPLAINT: complaints (issue #5)
        "security/complaint_security.xml",
        "data/vertrieb_complaint_data.xml",
        "wizards/vertrieb_complaint_credit_note_views.xml",
        "wizards/account_move_reversal_views.xml",
        "views/vertrieb_complaint_views.xml",
        "views/vertrieb_complaint_config_views.xml",
        "views/product_template_views.xml",
        # QUALITY: information quality (issue #6)
        "security/quality_security.xml",
        "data/quality_cron_data.xml",
        "views/vertrieb_partner_duplicate_views.xml",
        "wizards/crm_lead_to_opportunity_views.xml",
        # PRIVACY: data protection by purpose (issue #7)
        "security/privacy_security.xml",
        "data/vertrieb_privacy_data.xml",
        "wizards/vertrieb_privacy_wizard_views.xml",
        "views/vertrieb_privacy_purpose_views.xml",
        "views/vertrieb_privacy_consent_views.xml",
        "views/vertrieb_privacy_audit_views.xml",
        "views/vertrieb_privacy_request_views.xml",
        "views/vertrieb_privacy_retention_rule_views.xml",
        "report/vertrieb_privacy_reports.xml",
        "views/mail_template_views.xml",
        "views/vertrieb_privacy_menus.xml",
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
        "demo/vertrieb_complaint_demo.xml",
        # QUALITY
        # PRIVACY
        "demo/vertrieb_privacy_consent_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "crm_vertrieb/static/src/**/*",
        ],
        "web.assets_tests": [
            "crm_vertrieb/static/tests/tours/*.js",
        ],
    },
}
