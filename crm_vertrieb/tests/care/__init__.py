from . import test_care_german_errors
from . import test_care_lead_partner
from . import test_care_rhythm
from . import test_care_territory
from . import test_care_tour
from . import test_care_column_fill
from . import test_care_save
from . import test_care_planned
