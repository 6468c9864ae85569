"""Branch administration: the tree, creating a branch or outlet, renaming, closing."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import roles_required
from ..errors import FieldInvalid
from ..forms import apply_field_error
from ..models import Role
from . import bp, services
from .forms import BranchCreateForm, BranchEditForm


@bp.route("/branches")
@roles_required(Role.ADMIN)
def branch_list():
    """Show the branch tree: head office, branches, outlets, with staff and customer counts."""
    return render_template("admin/branch_list.html", tree=services.branch_tree(current_user),
                           counts=services.branch_counts())


@bp.route("/branches/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def branch_create():
    """Create a branch (under the head office) or an outlet (under a branch)."""
    form = BranchCreateForm(services.parent_choices())
    if form.validate_on_submit():
        try:
            branch = services.create_branch(current_user, code=form.code.data,
                                            name=form.name.data, kind=form.kind.data,
                                            parent_id=form.parent_id.data)
        except FieldInvalid as error:
            apply_field_error(form, error)
        else:
            flash(_("%(name)s has been created.", name=branch.name), "success")
            return redirect(url_for("admin.branch_list"))
    return render_template("admin/branch_new.html", form=form)


@bp.route("/branches/<int:branch_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def branch_edit(branch_id):
    """Rename a branch or switch it off (refused while it still has staff or customers)."""
    branch = services.get_branch(current_user, branch_id)
    form = BranchEditForm(obj=branch)
    if form.validate_on_submit():
        try:
            changed = services.update_branch(current_user, branch_id, name=form.name.data,
                                             active=form.active.data)
        except FieldInvalid as error:
            apply_field_error(form, error)
        else:
            flash(_("Changes saved.") if changed else _("Nothing changed."), "success")
            return redirect(url_for("admin.branch_list"))
    return render_template("admin/branch_edit.html", form=form, branch=branch)
