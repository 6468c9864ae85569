"""The upload page for core-banking CSV files and the progress of each import run."""
from flask import redirect, render_template, url_for
from flask_login import current_user

from ..access import MANAGER_ROLES, roles_required
from ..htmx import htmx_or_redirect, render_htmx
from . import bp, services
from .csvfile import KIND_LABELS, RowError
from .forms import UploadForm


@bp.app_template_global()
def import_kind_label(kind):
    """Return the translated name of an import file kind."""
    return KIND_LABELS.get(kind, kind)


@bp.app_template_filter()
def import_problems(stored):
    """Turn the problems stored on a run back into RowErrors, translated when shown."""
    return [RowError.from_dict(item) for item in stored or ()]


def _upload_page(form, status=200):
    runs = services.recent_runs(current_user)
    return render_template("imports/upload.html", form=form, runs=runs), status


@bp.route("/", methods=["GET", "POST"])
@roles_required(*MANAGER_ROLES)
def upload():
    """Show the upload form and the recent runs; queue a run for a good upload."""
    form = UploadForm()
    if not form.validate_on_submit():
        return _upload_page(form, 400 if form.is_submitted() else 200)
    try:
        run = services.create_run(current_user, form.file.data.stream, form.file.data.filename,
                                  form.dry_run.data, form.encoding.data)
    except services.ImportFileError as error:
        form.file.errors.append(error.message)
        return _upload_page(form, 400)
    return redirect(url_for("imports.run_page", run_id=run.id), 303)


@bp.route("/<int:run_id>")
@roles_required(*MANAGER_ROLES)
def run_page(run_id):
    """Show one run: its progress while it runs, then its counts and bad rows."""
    run = services.get_run(current_user, run_id)
    return render_template("imports/run.html", run=run)


@bp.route("/<int:run_id>/progress")
@roles_required(*MANAGER_ROLES)
def progress(run_id):
    """Return the run's progress fragment (polled by htmx while the run is under way)."""
    run = services.get_run(current_user, run_id)
    return render_htmx("imports/run.html", "imports/_run_progress.html", run=run)


@bp.route("/<int:run_id>/run", methods=["POST"])
@roles_required(*MANAGER_ROLES)
def start(run_id):
    """Process a queued run (a second call does nothing) and return its final state."""
    run = services.run_import(current_user, run_id)
    return htmx_or_redirect(lambda: render_template("imports/_run_progress.html", run=run),
                            url_for("imports.run_page", run_id=run.id), code=303)
