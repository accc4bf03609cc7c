from . import vertrieb_complaint_credit_note
from . import crm_lead_to_opportunity
from . import vertrieb_privacy_export_wizard
from . import vertrieb_privacy_erasure_wizard
from . import vertrieb_privacy_restrict_wizard
from . import vertrieb_acquisition_gate_override
from . import base_partner_merge_automatic_wizard
from . import account_move_reversal
