"""Import a core-banking CSV file, chunk by chunk: check each row, write each chunk set-based.

Rows are checked one by one in Python; the database work is set-based, chunk by chunk: one
SELECT for the keys a chunk already has, one bulk INSERT of the new rows, one bulk UPDATE by
primary key of the others, and for holdings one UPDATE recomputing the customers' AUM.
A bad row is reported with its line, column and reason and never stops the good ones.

On SQLite each chunk takes the database's one write lock; between chunks the import pauses
so that the branch's own writes (completing tasks, logging contacts) get their turn.
"""
import time

from ... import audit
from ...extensions import db
from ...sql import analyze
from ...sqlite import let_waiting_writers_in
from ..csvfile import AUTO, CUSTOMERS, Row, read_import_file
from .base import ImportResult
from .customers import _CustomerImporter
from .holdings import _HoldingImporter

CHUNK_SIZE = 2000


IMPORTERS = {CUSTOMERS: _CustomerImporter}


def register_importer(kind, importer_class):
    """Import files of ``kind`` (a kind of ``csvfile.KINDS``) with ``importer_class``.

    Lets a feature (training) reuse this machinery: per-row errors, chunks, dry run, audit.
    The class extends ``RowImporter``.
    """
    IMPORTERS[kind] = importer_class


def _import(parsed, actor, dry_run, progress, planned, run_id):
    """Check and write ``parsed`` chunk by chunk, committing each; audit; the caller commits."""
    importer_class = IMPORTERS.get(parsed.kind, _HoldingImporter)
    importer = importer_class(actor, dry_run, {} if planned is None else planned)
    result = ImportResult(parsed.kind, parsed.file_name, dry_run, rows=parsed.total)
    done = 0
    for start in range(0, parsed.total, CHUNK_SIZE):
        began = time.monotonic()
        chunk = parsed.rows[start:start + CHUNK_SIZE]
        good = []
        for line, cells in chunk:
            row = Row(line, parsed.header, cells)
            values = importer.check(row)
            result.errors.extend(row.errors)
            if values is not None:
                good.append((line, values))
        if good:
            importer.write(good, result)
        done += len(chunk)
        if progress is not None:
            progress(done, parsed.total)
        db.session.commit()
        if done < parsed.total:
            let_waiting_writers_in(time.monotonic() - began)  # nor starve the branch's work
    result.errors.sort(key=lambda error: error.line)
    if not dry_run:
        analyze(db.session, "customer", "holding", "task")
    audit.record(actor, "import.completed", object_type="import_run", object_id=run_id,
                 file=parsed.file_name, kind=parsed.kind, rows=result.rows,
                 inserted=result.inserted, updated=result.updated, bad_rows=result.bad_rows,
                 problems=len(result.errors), tier_upgrades=result.tier_upgrades,
                 dry_run=dry_run)
    return result


def import_file(parsed, *, actor=None, dry_run=False, progress=None, planned=None):
    """Import an already read file (see ``read_import_file``) and return an ImportResult.

    ``actor`` is the staff member importing (None for the command line: every branch);
    ``progress(processed_rows, total_rows)`` is called after each chunk; ``dry_run`` checks
    everything and counts what would be inserted or updated but writes no customer data.
    ``planned`` (a dict shared by several dry runs) lets a holdings dry run accept customers
    that a customers dry run before it would have inserted.
    """
    result = _import(parsed, actor, dry_run, progress, planned, None)
    db.session.commit()
    return result


def import_csv(source, *, actor=None, dry_run=False, progress=None, file_name=None,
               planned=None, encoding=AUTO):
    """Read and import a CSV file (path, binary stream or bytes); see ``import_file``.

    ``encoding``: "auto" (UTF-8, else GB18030), "utf-8" or "gb18030".
    Raises ImportFileError when the file is unreadable or of an unknown kind.
    """
    parsed = read_import_file(source, file_name=file_name, encoding=encoding)
    return import_file(parsed, actor=actor, dry_run=dry_run, progress=progress,
                       planned=planned)
