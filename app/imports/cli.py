"""Placeholder replaced by the import work."""
import click
from flask.cli import AppGroup

customers_cli = AppGroup("customers", help="Customer book commands.")
