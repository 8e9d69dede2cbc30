from django.core.management.base import BaseCommand, CommandError

from core.readiness import services_status


class Command(BaseCommand):
    help = "Say which of PostgreSQL, Redis and Milvus is reachable, and how to start the rest."

    def handle(self, *args, **options):
        statuses = services_status()
        for status in statuses:
            mark = self.style.SUCCESS("ok  ") if status.ok else self.style.ERROR("DOWN")
            self.stdout.write(
                f"{mark} {status.name:<10} {status.latency_ms:>7.1f} ms  {status.detail}"
            )
            if status.hint:
                self.stdout.write(f"     -> {status.hint}")
        down = [status.name for status in statuses if not status.ok]
        if down:
            raise CommandError(f"Not reachable: {', '.join(down)}.")
