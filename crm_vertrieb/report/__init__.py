from . import complaint
