"""The upload page's import runs: keep the file, queue a run, process it, list the recent ones."""
import os
import uuid

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, true, update

from ...access import load_scoped, visible_branch_ids
from ...clock import utcnow
from ...extensions import db
from ...models import ImportRun, ImportStatus
from ..csvfile import AUTO, UTF8, ImportFileError, decode_import_bytes, read_import_file
from .importing import _import

MAX_STORED_ERRORS = 1000
RECENT_RUNS = 20


def upload_folder():
    """Return the folder where uploaded files wait for their run."""
    return os.path.join(current_app.instance_path, "imports")


def _display_name(file_name):
    name = os.path.basename((file_name or "").replace("\\", "/")).strip()
    return name[-255:] or "upload.csv"


def create_run(actor, stream, file_name, dry_run, encoding=AUTO):
    """Check an uploaded file, keep it under a generated name and queue an ImportRun for it.

    Raises ImportFileError (nothing kept) when the file is empty, not CSV text in
    ``encoding`` (detected for "auto": UTF-8, else GB18030) or of an unknown kind.
    """
    data = stream.read()
    parsed = read_import_file(data, file_name=_display_name(file_name), encoding=encoding)
    if parsed.encoding != UTF8:  # kept as UTF-8, so the run reads it without being told
        data = decode_import_bytes(data, parsed.encoding)[0].encode("utf-8")
    folder = upload_folder()
    os.makedirs(folder, exist_ok=True)
    stored_name = f"{uuid.uuid4().hex}.csv"
    with open(os.path.join(folder, stored_name), "wb") as out:
        out.write(data)
    run = ImportRun(staff_id=actor.id, branch_id=actor.branch_id, file_name=parsed.file_name,
                    stored_name=stored_name, kind=parsed.kind, dry_run=bool(dry_run),
                    status=ImportStatus.QUEUED, total_rows=parsed.total, errors=[])
    db.session.add(run)
    db.session.commit()
    return run


def _run_scope(actor):
    ids = visible_branch_ids(actor)
    return true() if ids is None else ImportRun.branch_id.in_(ids)


def get_run(actor, run_id):
    """Return the run if ``actor`` may see it (started in their subtree), else NotFound."""
    return load_scoped(actor, ImportRun, run_id, _run_scope(actor))


def recent_runs(actor, limit=RECENT_RUNS):
    """Return the latest runs ``actor`` may see, newest first."""
    return list(db.session.scalars(
        select(ImportRun).where(_run_scope(actor))
        .order_by(ImportRun.created_at.desc(), ImportRun.id.desc()).limit(limit)))


def _claim(run_id):
    """Move a queued run to running; tell whether this caller got it."""
    claimed = db.session.execute(
        update(ImportRun).where(ImportRun.id == run_id, ImportRun.status == ImportStatus.QUEUED)
        .values(status=ImportStatus.RUNNING, started_at=utcnow())
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return claimed == 1


def _finish(run, status, result=None, failure=None):
    run.status = status
    run.finished_at = utcnow()
    run.failure = failure
    if result is not None:
        run.processed_rows = result.rows
        run.inserted, run.updated = result.inserted, result.updated
        run.error_count, run.bad_rows = len(result.errors), result.bad_rows
        run.errors = [error.as_dict() for error in result.errors[:MAX_STORED_ERRORS]]
    db.session.commit()


def _process(run, path):
    parsed = read_import_file(path, file_name=run.file_name, encoding=UTF8)
    run.kind, run.total_rows = parsed.kind, parsed.total

    def progress(done, _total):
        run.processed_rows = done

    result = _import(parsed, run.staff, run.dry_run, progress, None, run.id)
    _finish(run, ImportStatus.DONE, result)


def run_import(actor, run_id):
    """Process a queued run, committing its progress after each chunk; return the run.

    Idempotent: a run that is not queued (already running or finished) is returned as it is.
    Rows are checked within the scope of the staff member who uploaded the file.
    """
    run = get_run(actor, run_id)
    if not _claim(run.id):
        db.session.refresh(run)
        return run
    path = os.path.join(upload_folder(), run.stored_name)
    try:
        _process(run, path)
    except ImportFileError as error:
        db.session.rollback()
        _finish(run, ImportStatus.FAILED, failure=str(error.message)[:255])
    except Exception:  # noqa: BLE001 - the run must end as failed, never stay running
        db.session.rollback()
        current_app.logger.exception("Import run %s failed", run.id)
        _finish(run, ImportStatus.FAILED, failure=_(
            "The import stopped because of an unexpected error. Rows of chunks already "
            "processed are kept; importing the file again is safe."))
    finally:
        if os.path.exists(path):
            os.remove(path)
    return run
