"""Form helpers shared by every blueprint."""

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
