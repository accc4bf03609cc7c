from . import partner_keys
from . import validators
