"""Release the places of booking requests whose hold has run out (cron's twin of celery beat)."""

from django.core.management.base import BaseCommand

from villages.services import booking_release_expired


class Command(BaseCommand):
    help = "Release the places held by unconfirmed booking requests past their hold time."

    def handle(self, *args, **options):
        released = booking_release_expired()
        self.stdout.write(f"{released} expired booking request(s) released.")
