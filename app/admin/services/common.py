"""What the admin services share: applying a form's values to a record, field by field."""


def changed_fields(record, values):
    """Apply ``values`` to ``record``; return ``(before, after)`` dicts of the changed fields."""
    before, after = {}, {}
    for name, value in values.items():
        old = getattr(record, name)
        if old != value:
            before[name], after[name] = old, value
            setattr(record, name, value)
    return before, after
