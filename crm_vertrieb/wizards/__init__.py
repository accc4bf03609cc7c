from . import vertrieb_complaint_credit_note
