"""Import customers and holdings from core-banking CSV files; the upload page's import runs.

``importing`` reads and writes a file chunk by chunk with the importers of ``customers``
and ``holdings`` (what they share is in ``base``); ``runs`` keeps uploads and processes
them. The names the views and the command use are gathered here.
"""
from ..csvfile import ImportFileError, RowError, read_import_file
from .base import ImportResult
from .base import _Importer as RowImporter  # the base another feature's importer extends
from .importing import import_csv, import_file, register_importer
from .runs import create_run, get_run, recent_runs, run_import

__all__ = ["ImportFileError", "ImportResult", "RowError", "create_run", "get_run",
           "import_csv", "import_file", "read_import_file", "recent_runs", "register_importer",
           "RowImporter", "run_import"]
