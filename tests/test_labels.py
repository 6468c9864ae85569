"""The one labels registry and the role groups reach templates, in the reader's language."""
from flask import render_template_string
from flask_babel import force_locale

from app.access import ROLE_GROUPS
from app.labels import LABELS, label_choices
from app.models import RequestStatus, Role, Staff


def test_every_registered_table_looks_codes_up_in_templates_and_falls_back_to_the_code(app):
    with app.test_request_context(), force_locale("zh_CN"):
        for name, table in LABELS.items():
            code = next(iter(table))
            shown = render_template_string("{{ %s(code) }}" % name, code=code)
            assert shown == str(table[code]), name
            assert render_template_string("{{ %s('no-such-code') }}" % name) == "no-such-code"
        assert render_template_string("{{ role_label('admin') }}") == "总行"
        reopen = render_template_string(
            "{{ sr_transition_label(a, b) }}", a=RequestStatus.RESOLVED,
            b=RequestStatus.IN_PROGRESS)
        assert reopen == "重新处理"


def test_label_choices_put_the_blank_first_and_label_each_code(app):
    with app.test_request_context(), force_locale("zh_CN"):
        choices = label_choices(LABELS["role_label"], Role.ALL, blank="-")
        assert [c.value for c in choices] == [""] + list(Role.ALL)
        assert str(choices[-1].label) == "总行"


def test_templates_ask_the_role_groups_through_has_role(app):
    template = "{{ who.has_role(*MANAGER_ROLES) }} {{ who.has_role(Role.MAINTAINER) }}"
    with app.test_request_context():
        for role in Role.ALL:
            shown = render_template_string(template, who=Staff(role=role))
            assert shown == f"{role in ROLE_GROUPS['MANAGER_ROLES']} {role == Role.MAINTAINER}"
