from . import acquisition
from . import complaint
