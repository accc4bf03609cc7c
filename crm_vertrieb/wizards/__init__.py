from . import vertrieb_complaint_credit_note
from . import crm_lead_to_opportunity
