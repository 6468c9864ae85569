"""Login, logout, password change and language switch."""
from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..clock import utcnow
from ..errors import Invalid
from ..routing import local_path
from . import bp, services
from .forms import LanguageForm, LoginForm, PasswordForm


def safe_next(target):
    """Return ``target`` if it is a path on this site, else the home page."""
    return local_path(target) or url_for("dashboard.home")


def start_session(staff):
    """Begin a fresh session for ``staff`` (no fixation: the old session is dropped)."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    login_user(staff, remember=False)
    now = utcnow().isoformat()
    session["login_at"] = now
    session["seen_at"] = now
    session.permanent = True


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the login form and log in with good credentials."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.home"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            staff = services.authenticate(form.username.data, form.password.data,
                                          request.remote_addr)
        except services.LoginRefused as error:
            form.password.errors.append(error.message)
        else:
            start_session(staff)
            return redirect(safe_next(form.next.data))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Log out and forget the session."""
    services.record_logout(current_user)
    logout_user()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Let a staff member change their own password; other sessions end."""
    form = PasswordForm()
    if form.validate_on_submit():
        staff = current_user._get_current_object()
        try:
            services.change_password(staff, form.current.data, form.new.data)
        except Invalid as error:
            form.current.errors.append(error.message)
        else:
            start_session(staff)
            flash(_("Your password has been changed; other sessions have ended."), "success")
            return redirect(url_for("dashboard.home"))
    return render_template("auth/password.html", form=form)


@bp.route("/language", methods=["POST"])
def language():
    """Remember the chosen interface language and go back to the page."""
    form = LanguageForm()
    if form.validate_on_submit():
        session["lang"] = form.lang.data
    return redirect(safe_next(request.form.get("back")))
