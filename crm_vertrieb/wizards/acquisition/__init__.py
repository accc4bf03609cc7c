from . import vertrieb_acquisition_gate_override
from . import crm_lead_lost
from . import base_partner_merge_automatic_wizard
