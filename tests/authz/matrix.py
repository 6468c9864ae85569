"""The authorization matrix: every route of the portal, who may use it, how it is scoped.

One line per endpoint of ``app.url_map``::

    "blueprint.endpoint": Access("GET POST", ROLES, SCOPE, data={...}),

- ``"GET POST"``: the rule's methods (HEAD and OPTIONS left out), space-separated;
- ``ROLES``: who may use it — one of the role groups below (``PUBLIC`` also lets anonymous
  visitors in; anyone else not listed gets 403 or 404, and anonymous visitors of a route
  that is not public are sent to the login page);
- ``SCOPE`` (optional): how to pick, for each role, a record it may open (in scope) and one it
  may not (out of scope → 404): one of the scopes below, named after the URL argument (or
  query/form parameter) that carries the record's id;
- ``data`` (optional): form fields sent with a POST besides the CSRF token, so that the
  request gets past the form's own checks to the scope check (values naming a key of the
  bank's ids, e.g. ``"maint_a"``, become that id).

A new route is one new line here; ``test_every_route_is_in_the_matrix`` fails until it is.
"""
from dataclasses import dataclass, field

from app.models import Role
from app.routing import MAX_ID

from .world import ANONYMOUS

ADMIN, SUPERVISOR, TRAINER, MAINTAINER = Role.ADMIN, Role.SUPERVISOR, Role.TRAINER, Role.MAINTAINER
ADMIN_ONLY = (ADMIN,)
MANAGERS = (SUPERVISOR, ADMIN)
CUSTOMER_ROLES = (MAINTAINER, SUPERVISOR, ADMIN)
MAINTAINERS = (MAINTAINER,)
CONTACT_ROLES = (MAINTAINER, SUPERVISOR)
STAFF = (MAINTAINER, TRAINER, SUPERVISOR, ADMIN)
PUBLIC = STAFF + (ANONYMOUS,)
DEFAULT = "*"


@dataclass(frozen=True)
class Scope:
    """How to name a record in scope and one out of scope for each role.

    ``inside`` and ``outside`` map a role (or ``DEFAULT``) to a key of the bank's ids (or to
    the value itself when ``literal``). A role without an out-of-scope record (head office
    sees every branch) gets ``missing``, a record that does not exist: still a 404.
    """

    arg: str
    inside: dict
    outside: dict = field(default_factory=dict)
    missing: object = MAX_ID
    literal: bool = False

    def record(self, ids, role, in_scope):
        """Return the id (or value) of the record for ``role``, in scope or out of it."""
        choices = self.inside if in_scope else self.outside
        key = choices.get(role, choices.get(DEFAULT))
        if key is None:
            return self.missing
        return key if self.literal else ids[key]


def _three(prefix):
    """Scope of records that come in threes: ``_a`` (maint_a), ``_a2`` (branch A), ``_b``."""
    return {"inside": {SUPERVISOR: f"{prefix}_a2", DEFAULT: f"{prefix}_a"},
            "outside": {SUPERVISOR: f"{prefix}_b", MAINTAINER: f"{prefix}_a2",
                        TRAINER: f"{prefix}_b"}}


CUSTOMER = Scope("customer_id", **_three("customer"))
TASK = Scope("task_id", **_three("task"))
REQUEST = Scope("request_id", **_three("request"))
STAFF_MEMBER = Scope("staff_id", {DEFAULT: "maint_a"},
                     {SUPERVISOR: "maint_b", MAINTAINER: "maint_a2", TRAINER: "maint_b"})
BRANCH = Scope("branch_id", {DEFAULT: "outlet_a"},
               {SUPERVISOR: "branch_b", MAINTAINER: "branch_b", TRAINER: "branch_b"})
SERVICE = Scope("service_id", {DEFAULT: "service"})
NOTIFICATION = Scope("notification_id", {
    ADMIN: "notification_admin", SUPERVISOR: "notification_supervisor_a",
    TRAINER: "notification_trainer_a", DEFAULT: "notification_maint_a"},
    {DEFAULT: "notification_maint_b"})
IMPORT_RUN = Scope("run_id", {DEFAULT: "import_supervisor_a"},
                   {SUPERVISOR: "import_supervisor_b", MAINTAINER: "import_supervisor_b",
                    TRAINER: "import_supervisor_b"})
CALENDAR_DAY = Scope("day_id", {DEFAULT: "calendar_day"})
RULE_KIND = Scope("kind", {DEFAULT: "birthday"}, missing="no_such_kind", literal=True)
SESSION = Scope("session_id", {DEFAULT: "session_a"},
                {SUPERVISOR: "session_b", MAINTAINER: "session_b", TRAINER: "session_b"})
CERTIFICATION = Scope("certification_id", {DEFAULT: "certification_a"},
                      {SUPERVISOR: "certification_b", TRAINER: "certification_b",
                       MAINTAINER: "certification_b"})
COURSE = Scope("course_id", {DEFAULT: "course"})
TRAINING_VIEWERS = (TRAINER, SUPERVISOR, ADMIN)
TRAINING_MANAGERS = (TRAINER, ADMIN)
STATIC_FILE = Scope("filename", {DEFAULT: "css/portal.css"}, missing="no-such-file.css",
                    literal=True)


@dataclass(frozen=True)
class Access:
    """One route's line of the matrix: methods, roles allowed, scope, form data for a POST."""

    methods: str
    roles: tuple
    scope: Scope = None
    data: dict = field(default_factory=dict)

    @property
    def method_set(self):
        """Return the methods as a set."""
        return set(self.methods.split())


MATRIX = {
    "static": Access("GET", PUBLIC, STATIC_FILE),
    "dashboard.home": Access("GET", STAFF),
    "dashboard.healthz": Access("GET", PUBLIC),
    "dashboard.livez": Access("GET", PUBLIC),
    # auth
    "auth.login": Access("GET POST", PUBLIC),
    "auth.logout": Access("POST", STAFF),
    "auth.language": Access("POST", PUBLIC),
    "auth.change_password": Access("GET POST", STAFF),
    # admin
    "admin.branch_list": Access("GET", ADMIN_ONLY),
    "admin.branch_create": Access("GET POST", ADMIN_ONLY),
    "admin.branch_edit": Access("GET POST", ADMIN_ONLY, BRANCH),
    "admin.calendar": Access("GET", ADMIN_ONLY),
    "admin.calendar_add": Access("POST", ADMIN_ONLY),
    "admin.calendar_edit": Access("GET POST", ADMIN_ONLY, CALENDAR_DAY),
    "admin.calendar_remove": Access("POST", ADMIN_ONLY, CALENDAR_DAY),
    "admin.reveal_watch_settings": Access("GET POST", ADMIN_ONLY),
    "admin.rules": Access("GET", ADMIN_ONLY),
    "admin.rule_save": Access("POST", ADMIN_ONLY, RULE_KIND),
    "admin.service_list": Access("GET", ADMIN_ONLY),
    "admin.service_create": Access("GET POST", ADMIN_ONLY),
    "admin.service_edit": Access("GET POST", ADMIN_ONLY, SERVICE),
    "admin.service_deactivate": Access("POST", ADMIN_ONLY, SERVICE),
    "admin.service_reactivate": Access("POST", ADMIN_ONLY, SERVICE),
    "admin.sla_settings": Access("GET POST", ADMIN_ONLY),
    "admin.staff_list": Access("GET", ADMIN_ONLY),
    "admin.staff_create": Access("GET POST", ADMIN_ONLY),
    "admin.staff_edit": Access("GET POST", ADMIN_ONLY, STAFF_MEMBER),
    "admin.staff_deactivate": Access("POST", ADMIN_ONLY, STAFF_MEMBER),
    "admin.staff_reactivate": Access("POST", ADMIN_ONLY, STAFF_MEMBER),
    "admin.staff_password": Access("POST", ADMIN_ONLY, STAFF_MEMBER),
    "admin.tiers": Access("GET POST", ADMIN_ONLY),
    # audit trail
    "auditlog.index": Access("GET", MANAGERS),
    # customers
    "customers.index": Access("GET", CUSTOMER_ROLES),
    "customers.detail": Access("GET", CUSTOMER_ROLES, CUSTOMER),
    "customers.reveal": Access("POST", CUSTOMER_ROLES, CUSTOMER, data={"field": "mobile"}),
    "customers.reassign": Access("POST", MANAGERS),
    # imports
    "imports.upload": Access("GET POST", MANAGERS),
    "imports.run_page": Access("GET", MANAGERS, IMPORT_RUN),
    "imports.progress": Access("GET", MANAGERS, IMPORT_RUN),
    "imports.start": Access("POST", MANAGERS, IMPORT_RUN),
    # notifications
    "notifications.index": Access("GET", STAFF),
    "notifications.badge": Access("GET", STAFF),
    "notifications.open_one": Access("POST", STAFF, NOTIFICATION),
    "notifications.read_all": Access("POST", STAFF),
    # service requests
    "service_requests.index": Access("GET", CUSTOMER_ROLES),
    "service_requests.export": Access("GET", CUSTOMER_ROLES),
    "service_requests.new": Access("GET POST", CUSTOMER_ROLES, CUSTOMER),
    "service_requests.detail": Access("GET", CUSTOMER_ROLES, REQUEST),
    "service_requests.assign": Access("POST", CUSTOMER_ROLES, REQUEST),
    "service_requests.comment": Access("POST", CUSTOMER_ROLES, REQUEST),
    "service_requests.change_status": Access("POST", CUSTOMER_ROLES, REQUEST),
    "service_requests.satisfaction": Access("POST", CONTACT_ROLES, REQUEST),
    "service_requests.sla_report": Access("GET", MANAGERS),
    # tasks
    "tasks.queue": Access("GET", MAINTAINERS),
    "tasks.counter": Access("GET", MAINTAINERS),
    "tasks.complete": Access("GET POST", MAINTAINERS, TASK),
    "tasks.snooze": Access("GET POST", MAINTAINERS, TASK),
    "tasks.activity": Access("GET", CUSTOMER_ROLES, CUSTOMER),
    "tasks.log_contact": Access("POST", CONTACT_ROLES, CUSTOMER),
    "tasks.reassign": Access("POST", MANAGERS, TASK,
                             data={"version": 1, "maintainer_id": "maint_a"}),
    "tasks.team": Access("GET", MANAGERS),
    "tasks.member": Access("GET", MANAGERS, STAFF_MEMBER),
    "tasks.handover": Access("GET", MANAGERS),
    "tasks.handover_confirm": Access("POST", MANAGERS),
    # training
    "training.home": Access("GET", STAFF),
    "training.courses": Access("GET", TRAINING_VIEWERS),
    "training.course_new": Access("GET POST", TRAINING_MANAGERS),
    "training.course_edit": Access("GET POST", TRAINING_MANAGERS, COURSE),
    "training.targets": Access("GET POST", ADMIN_ONLY),
    "training.session_new": Access("GET POST", TRAINING_MANAGERS),
    "training.session_page": Access("GET", STAFF, SESSION),
    "training.people_search": Access("GET", TRAINING_MANAGERS, SESSION),
    "training.people_add": Access("POST", (MAINTAINER, TRAINER, ADMIN), SESSION,
                                  data={"staff_id": "maint_a"}),
    "training.mark": Access("POST", TRAINING_MANAGERS, SESSION,
                            data={"staff_id": "maint_a", "status": "present"}),
    "training.all_present": Access("POST", TRAINING_MANAGERS, SESSION),
    "training.score_grid": Access("GET", STAFF, SESSION),
    "training.score_save": Access("POST", TRAINING_MANAGERS, SESSION,
                                  data={"staff_id": "maint_a", "score": "80"}),
    "training.attendance_export": Access("GET", TRAINING_VIEWERS, SESSION),
    "training.my_profile": Access("GET", STAFF),
    "training.staff_profile": Access("GET", STAFF, STAFF_MEMBER),
    "training.team": Access("GET", TRAINING_VIEWERS),
    "training.team_export": Access("GET", TRAINING_VIEWERS),
    "training.scores_export": Access("GET", TRAINING_VIEWERS),
    "training.needs": Access("GET", TRAINING_VIEWERS),
    "training.needs_enrol": Access("POST", TRAINING_MANAGERS,
                                   data={"session_id": "session_a", "staff_id": "maint_a"}),
    "training.certification_list": Access("GET", TRAINING_VIEWERS),
    "training.certification_export": Access("GET", TRAINING_VIEWERS),
    "training.certification_new": Access("GET POST", TRAINING_MANAGERS),
    "training.certification_renew": Access("GET POST", TRAINING_MANAGERS, CERTIFICATION),
    "training.import_page": Access("GET POST", TRAINING_MANAGERS),
}


def routes():
    """Return the (endpoint, method) pairs of the matrix, sorted."""
    return sorted((endpoint, method) for endpoint, access in MATRIX.items()
                  for method in access.method_set)
