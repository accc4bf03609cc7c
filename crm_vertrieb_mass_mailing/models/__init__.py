from . import mailing_mailing
from . import vertrieb_privacy_eraser
