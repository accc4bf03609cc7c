from . import vertrieb_complaint_credit_note
from . import account_move_reversal
