from . import acquisition
from . import kpi
from . import complaint
from . import quality
from . import privacy
from . import care
