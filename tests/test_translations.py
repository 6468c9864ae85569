"""The Simplified Chinese catalogue covers every string the code and templates mark."""
import os

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from app import PROJECT_ROOT

CATALOGUE = os.path.join(PROJECT_ROOT, "app", "translations", "zh_Hans_CN", "LC_MESSAGES",
                         "messages.po")


def extracted_ids(tmp_path):
    pot = tmp_path / "messages.pot"
    CommandLineInterface().run([
        "pybabel", "extract", "-F", os.path.join(PROJECT_ROOT, "babel.cfg"),
        "-k", "_l", "-k", "lazy_pgettext:1c,2", "--ignore-dirs", ".* __pycache__",
        "-o", str(pot), "."])
    with open(pot, "rb") as handle:
        return {(message.context, message.id) for message in read_po(handle) if message.id}


def test_every_marked_string_has_a_chinese_translation(tmp_path, monkeypatch):
    monkeypatch.chdir(PROJECT_ROOT)
    with open(CATALOGUE, "rb") as handle:
        catalogue = read_po(handle)
    translated = {(message.context, message.id) for message in catalogue
                  if message.id and not message.fuzzy
                  and all(message.string if isinstance(message.string, tuple)
                          else [message.string])}
    missing = extracted_ids(tmp_path) - translated
    assert not missing, f"run ./scripts/translations and translate: {sorted(missing, key=str)[:10]}"


def test_branch_as_a_kind_and_as_any_unit_read_differently_in_chinese(app):
    from flask_babel import force_locale, gettext

    from app.labels import BRANCH_KIND_LABELS

    with app.test_request_context(), force_locale("zh_CN"):
        assert str(BRANCH_KIND_LABELS["branch"]) == "分行"
        assert gettext("Branch") == "机构"
