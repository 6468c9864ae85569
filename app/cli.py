"""The portal's ``flask`` commands; each feature keeps its commands beside its services."""


def register_cli(app):
    """Add every command group to ``app.cli``."""
    from .customers.cli import rekey
    from .demo.cli import seed_demo
    from .imports.cli import customers_cli
    from .jobs.cli import tasks_cli, training_cli
    from .scheduler import scheduler_cli

    app.cli.add_command(seed_demo)
    customers_cli.add_command(rekey)
    app.cli.add_command(customers_cli)
    app.cli.add_command(tasks_cli)
    app.cli.add_command(scheduler_cli)
    app.cli.add_command(training_cli)
