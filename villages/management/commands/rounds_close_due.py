"""Close the group-buy rounds past their cut-off (cron's twin of celery beat)."""

from django.core.management.base import BaseCommand

from villages.services import rounds_close_due


class Command(BaseCommand):
    help = "Close every open group-buy round past its cut-off: it forms or fails, exactly once."

    def handle(self, *args, **options):
        closed = rounds_close_due()
        self.stdout.write(f"{closed} round(s) closed.")
