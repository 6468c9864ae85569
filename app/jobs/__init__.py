"""Scheduled jobs: plain functions of a day, idempotent, run by the scheduler or by hand."""
