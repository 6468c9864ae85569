"""Head-office administration: staff, branches, tier thresholds, value-added services.

Every function takes the acting admin explicitly, checks the business rules, writes the
audit event in the same transaction as the change and commits. Rule violations raise
:class:`~app.errors.FieldInvalid` (naming the form field at fault when there is one).
One module per topic; this package lists what the views call.
"""
from .branches import (CODE_TAKEN, PARENT_KIND, branch_counts, branch_tree,  # noqa: F401
                       create_branch, get_branch, parent_choices, update_branch)
from .common import changed_fields  # noqa: F401
from .settings import (SERVICE_CODE_TAKEN, create_service, get_service,  # noqa: F401
                       save_thresholds, services_by_tier, set_service_active, update_service)
from .staff import (USERNAME_TAKEN, branch_options, create_staff, customer_count,  # noqa: F401
                    deactivate_staff, list_staff, reactivate_staff, reset_password,
                    staff_details, update_staff)
