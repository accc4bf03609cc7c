from . import test_i18n
from . import test_sales_channel
from . import test_tour
from . import test_quality_validators
from . import test_quality_duplicates
from . import test_quality_score
from . import test_quality_tour
