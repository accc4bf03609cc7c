from . import test_quality_duplicates
from . import test_quality_merge
from . import test_quality_score
from . import test_quality_tour
from . import test_quality_validators
from . import test_quality_pair_access
from . import test_quality_messages
from . import test_quality_column_fill
