"""Form helpers shared by every blueprint."""
from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

HIDDEN_TYPES = ("HiddenField", "CSRFTokenField")


def first_input(form):
    """Return the name of ``form``'s first visible field (not hidden, not the CSRF token)."""
    return next(field.name for field in form if field.type not in HIDDEN_TYPES)


def apply_field_error(form, error, fallback=None):
    """Show a service's :class:`~app.errors.FieldInvalid` on the form field it names.

    An error naming no field of ``form`` goes on the field named ``fallback``, or, without
    one, above the form (``form.form_errors``).
    """
    name = error.field if error.field and error.field in form else fallback
    if name is None:
        form.form_errors.append(error.message)
    else:
        form[name].errors = list(form[name].errors or []) + [error.message]


def staff_choices(staff_list, blank_label=None):
    """Return select choices for staff members, grouped by branch; inactive ones say so."""
    choices = [SelectChoice("", blank_label)] if blank_label is not None else []
    for staff in sorted(staff_list, key=lambda s: (s.branch.name, s.display_name, s.id)):
        label = (staff.display_name if staff.active
                 else _l("%(name)s (inactive)", name=staff.display_name))
        choices.append(SelectChoice(str(staff.id), label, optgroup=staff.branch.name))
    return choices


def drop_invalid_filters(form):
    """Validate a filter form; empty each field that fails and return a notice per field."""
    form.validate()
    notices = []
    for form_field in form:
        if form_field.errors:
            notices.append(_l("%(field)s: %(error)s (ignored)",
                              field=form_field.label.text or form_field.name,
                              error=form_field.errors[0]))
            form_field.data = None
            form_field.errors = []
    return notices
