"""``flask customers import``: load core-banking CSV files from the command line.

Exit status: 0 when every row was good, 1 when some rows were bad (the good ones are still
imported), 2 when a file could not be read or is of an unknown kind.
"""
import sys

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import ngettext

from .csvfile import AUTO, ENCODINGS, KIND_LABELS
from .services import ImportFileError, import_file, read_import_file

customers_cli = AppGroup("customers", help="Customer book commands.")

EXIT_OK, EXIT_BAD_ROWS, EXIT_BAD_FILE = 0, 1, 2


def _summary(result):
    if result.dry_run:
        text = _("%(kind)s file %(file)s (dry run, nothing written): %(rows)s rows, "
                 "%(inserted)s would be inserted, %(updated)s would be updated, "
                 "%(bad)s bad rows.", kind=KIND_LABELS[result.kind], file=result.file_name,
                 rows=result.rows, inserted=result.inserted, updated=result.updated,
                 bad=result.bad_rows)
    else:
        text = _("%(kind)s file %(file)s: %(rows)s rows, %(inserted)s inserted, "
                 "%(updated)s updated, %(bad)s bad rows.", kind=KIND_LABELS[result.kind],
                 file=result.file_name, rows=result.rows, inserted=result.inserted,
                 updated=result.updated, bad=result.bad_rows)
    if result.tier_upgrades:
        text += " " + ngettext("%(num)s customer moved up a tier.",
                               "%(num)s customers moved up a tier.", result.tier_upgrades)
    return text


def _problem(error):
    if error.column:
        return _("line %(line)s, column %(column)s: %(message)s", line=error.line,
                 column=error.column, message=error.message)
    return _("line %(line)s: %(message)s", line=error.line, message=error.message)


def _import_one(path, dry_run, planned, encoding):
    """Import one file with a progress bar on stderr; return its exit status."""
    try:
        parsed = read_import_file(path, encoding=encoding)
    except ImportFileError as error:
        click.echo(_("%(file)s: %(message)s", file=path, message=error.message), err=True)
        return EXIT_BAD_FILE
    with click.progressbar(length=parsed.total, label=parsed.file_name, file=sys.stderr) as bar:
        result = import_file(parsed, dry_run=dry_run, planned=planned,
                             progress=lambda done, _total: bar.update(done - bar.pos))
    click.echo(_summary(result))
    for error in result.errors:
        click.echo(_problem(error))
    return EXIT_BAD_ROWS if result.errors else EXIT_OK


@customers_cli.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--dry-run", is_flag=True,
              help="Check every row and report what would change, writing nothing.")
@click.option("--encoding", type=click.Choice(ENCODINGS), default=AUTO, show_default=True,
              help="Encoding of the files; auto takes UTF-8 (BOM or not), else GB18030.")
def import_command(files, dry_run, encoding):
    """Import customers or holdings CSV FILES from core banking, in the order given.

    The kind of each file is told by its header. Give the customers file before the
    holdings file when both are new, also with --dry-run.
    """
    planned = {}
    status = EXIT_OK
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        for path in files:
            status = max(status, _import_one(path, dry_run, planned, encoding))
    sys.exit(status)
