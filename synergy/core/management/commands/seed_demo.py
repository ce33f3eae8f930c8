"""Build (or complete) the demo world. Safe to run again: a second run changes nothing."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from synergy.core.demo import seed_core


def app_seeders() -> list:
    """Each app registers its own seeder as `demo_seeder` (a dotted path) on its AppConfig; they
    run after the core in INSTALLED_APPS order (villages before the exchange and community)."""
    return [import_string(config.demo_seeder) for config in apps.get_app_configs()
            if getattr(config, "demo_seeder", None)]


class Command(BaseCommand):
    help = "Create the demo communities, villages, accounts and content (idempotent)."

    def handle(self, *args, **options):
        world = seed_core()
        for seed in app_seeders():
            seed(world)
        self.stdout.write(self.style.SUCCESS(
            f"Demo world ready: {len(world.communities)} communities, "
            f"{len(world.villages)} villages, {len(world.users)} demo accounts "
            f"(password: synergy-demo, for demos only)."
        ))
