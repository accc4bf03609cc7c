from . import test_care_rhythm
from . import test_care_territory
from . import test_care_tour
