"""Placeholder replaced by the demo-data work."""
import click


@click.command("seed-demo")
def seed_demo():
    """Load demo data."""
