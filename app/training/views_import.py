"""Scores and attendance imported from the exam system's CSV file (with a dry run)."""
from flask import render_template
from flask_login import current_user

from ..access import TRAINING_MANAGER_ROLES, roles_required
from ..errors import FieldInvalid
from ..imports.csvfile import TRAINING_COLUMNS, ImportFileError
from . import bp
from .forms import ImportForm
from .services.imports import import_training_file


@bp.route("/import", methods=["GET", "POST"])
@roles_required(*TRAINING_MANAGER_ROLES)
def import_page():
    """Upload an exam-system CSV; show what was (or, in a dry run, would be) imported."""
    form, result, status = ImportForm(), None, 200
    if form.validate_on_submit():
        upload = form.file.data
        try:
            result = import_training_file(current_user, upload.stream.read(), upload.filename,
                                          form.dry_run.data)
        except (ImportFileError, FieldInvalid) as error:
            form.file.errors = list(form.file.errors) + [error.message]
            status = 400
    elif form.is_submitted():
        status = 400
    return render_template("training/import.html", form=form, result=result,
                           columns=TRAINING_COLUMNS), status
