"""Forms of the imports blueprint."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField


class UploadForm(FlaskForm):
    """A core-banking CSV file to import, and whether only to check it."""

    file = FileField(_l("CSV file from core banking"), validators=[
        FileRequired(_l("Choose a CSV file to upload.")),
        FileAllowed(["csv"], _l("Only .csv files can be imported."))],
        render_kw={"accept": ".csv,text/csv"})
    dry_run = BooleanField(_l("Dry run: check every row and show what would change, "
                              "without saving anything"))
