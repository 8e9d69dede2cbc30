"""Running a management command in-process and keeping what it printed."""

from io import StringIO

from django.core.management import call_command


def command_run(name: str, *args: str) -> tuple[str, str]:
    """(stdout, stderr) of `manage.py name args`; a CommandError propagates."""
    out, err = StringIO(), StringIO()
    call_command(name, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()
