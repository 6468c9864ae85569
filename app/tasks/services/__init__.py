"""The services of the tasks blueprint, one module per topic.

``queue`` (the maintainer's queue: completing, snoozing), ``contacts`` (logging a contact,
a customer's activity), ``team`` (the supervisor's team view, reassignment), ``handover``
(portfolio handover) and ``rules`` (head office's follow-up rule settings). The queue's and
the contacts' names, which the views use most, are gathered here.
"""
from .contacts import (CustomerActivity, activity_for, customer_activity,
                       log_contact, may_log_contacts)
from ..engine import NOTE_MAX, SUMMARY_MAX
from .queue import (SNOOZE_MAX_DAYS, QueueRow, TaskConflict,
                    TaskQueue, actionable, check_current, complete_task,
                    count_actionable, default_snooze_day, find_task, pending_task, planned_on,
                    queue_row, snooze_bounds, snooze_task, task_queue)

__all__ = ["CustomerActivity", "NOTE_MAX", "QueueRow", "SNOOZE_MAX_DAYS",
           "SUMMARY_MAX", "TaskConflict", "TaskQueue", "activity_for",
           "actionable", "check_current", "complete_task",
           "count_actionable", "customer_activity", "default_snooze_day", "find_task",
           "log_contact", "may_log_contacts", "pending_task", "planned_on",
           "queue_row", "snooze_bounds", "snooze_task", "task_queue"]
