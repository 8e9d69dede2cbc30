"""Web processes stay small: every page and API view loads without Paddle (only training,
in the workers, needs it). A fresh interpreter, since this test process may hold it."""

import subprocess
import sys

LOAD_EVERY_VIEW = """
import os, sys
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "movierec_site.settings")
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns  # imports every view module the URLconf names
import movierec_site.wsgi
print("paddle" in sys.modules)
"""


def test_every_view_loads_without_paddle():
    loaded = subprocess.run(
        [sys.executable, "-c", LOAD_EVERY_VIEW], capture_output=True, text=True, check=True
    )

    assert loaded.stdout.strip().splitlines()[-1] == "False"
