from . import test_complaint_access
from . import test_complaint_credit_note
from . import test_complaint_mail
from . import test_complaint_gateway
from . import test_complaint_model
from . import test_complaint_sla
from . import test_complaint_tour
from . import test_complaint_trust
