"""``flask customers rekey``: re-encrypt every resident ID number under PORTAL_DATA_KEY."""
import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale
from flask_babel import gettext as _

from ..encryption import DataKeyError, parse_key
from .services_rekey import rekey_id_numbers


@click.command("rekey")
@click.option("--old-key", envvar="PORTAL_DATA_KEY_OLD", metavar="BASE64",
              help="The key the ID numbers were written with (default: $PORTAL_DATA_KEY_OLD).")
@click.option("--batch", type=click.IntRange(1, 100_000), default=5000, show_default=True,
              help="Rows re-encrypted and committed at a time.")
@with_appcontext
def rekey(old_key, batch):
    """Re-encrypt ID numbers under the new PORTAL_DATA_KEY; safe to stop and run again."""
    with force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "en")):
        done = []

        def progress(count):
            done.append(count)
            click.echo(_("%(num)s ID numbers re-encrypted so far.", num=sum(done)), err=True)

        try:
            new_key = parse_key(current_app.config.get("DATA_KEY"))
            old = (parse_key(old_key, "The old key (--old-key or PORTAL_DATA_KEY_OLD)")
                   if old_key else None)
            result = rekey_id_numbers(new_key, old, batch=batch, progress=progress)
        except DataKeyError as error:
            raise click.ClickException(str(error))
        click.echo(_("Re-encrypted %(rekeyed)s ID numbers under key %(key_id)s; %(already)s "
                     "were already under it.", rekeyed=result.rekeyed, key_id=result.key_id,
                     already=result.already))
