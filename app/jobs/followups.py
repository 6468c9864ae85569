"""The daily follow-up job: raise the day's tasks, then level every maintainer's workload."""
from ..tasks.followups import generate_followups
from ..tasks.levelling import level_workload


def run_followups(day):
    """Generate the day's follow-up tasks, then level every maintainer's workload."""
    generated = generate_followups(day)
    levelled = level_workload(day)
    return {**generated.as_dict(), "levelled": levelled.levelled, "moved": levelled.moved}
