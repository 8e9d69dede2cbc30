from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "movierec_site.web"
    label = "web"
    verbose_name = "Web pages"
