"""The jobs are the top layer: importing them loads domain services, never a view or a form."""
import subprocess
import sys

JOB_MODULES = ["app.jobs.followups", "app.jobs.retier", "app.jobs.sla", "app.jobs.runner",
               "app.jobs.certifications", "app.jobs.cli"]
LIST_LOADED = ("import importlib, sys; [importlib.import_module(m) for m in sys.argv[1:]]; "
               "print('\\n'.join(sorted(sys.modules)))")


def loaded_modules(*modules):
    """Return the modules a fresh interpreter has loaded after importing ``modules``."""
    result = subprocess.run([sys.executable, "-c", LIST_LOADED, *modules], check=True,
                            capture_output=True, text=True, timeout=120)
    return result.stdout.split()


def presentation(loaded):
    """Return the view and form modules of the app among ``loaded``."""
    return [name for name in loaded if name.startswith("app.")
            and name.rsplit(".", 1)[-1].startswith(("views", "forms"))]


def test_importing_the_jobs_loads_no_views_or_forms():
    loaded = loaded_modules(*JOB_MODULES)
    assert set(JOB_MODULES) <= set(loaded)
    assert "app.tasks.followups" in loaded  # the domain service the job calls
    assert presentation(loaded) == []


def test_the_check_sees_views_when_a_view_is_imported():
    loaded = loaded_modules("app.tasks.views")
    assert {"app.tasks.views", "app.tasks.forms"} <= set(presentation(loaded))
