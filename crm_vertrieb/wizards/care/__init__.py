from . import vertrieb_care_visit_plan
