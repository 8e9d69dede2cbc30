import os

from celery import Celery
from celery.signals import setup_logging

from movierec_site.logs import celery_logging_from_django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "movierec_site.settings")

app = Celery("movierec")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Workers and beat log through Django's LOGGING (plain or JSON, with task ids) instead of
# handlers Celery would add beside it.
setup_logging.connect(celery_logging_from_django, weak=False)
