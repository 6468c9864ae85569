"""Forms of the imports blueprint."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SelectField
from wtforms.fields.choices import SelectChoice

from .csvfile import AUTO, GB18030, UTF8


class UploadForm(FlaskForm):
    """A core-banking CSV file to import, and whether only to check it."""

    file = FileField(_l("CSV file from core banking"), validators=[
        FileRequired(_l("Choose a CSV file to upload.")),
        FileAllowed(["csv"], _l("Only .csv files can be imported."))],
        render_kw={"accept": ".csv,text/csv"})
    encoding = SelectField(_l("Encoding"), default=AUTO, choices=[
        SelectChoice(AUTO, _l("Detect (UTF-8, else GB18030)")), SelectChoice(UTF8, _l("UTF-8")),
        SelectChoice(GB18030, _l("GB18030 / GBK (Chinese core banking)"))])
    dry_run = BooleanField(_l("Dry run: check every row and show what would change, "
                              "without saving anything"))
