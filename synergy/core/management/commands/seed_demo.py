"""Build (or complete) the demo world. Safe to run again: a second run changes nothing."""

from importlib import import_module

from django.core.management.base import BaseCommand

from synergy.core.demo import seed_core

# Each app may add to the world after the core; order matters (villages before exchange and community).
APP_SEEDERS = ["villages.demo", "villages.exchange.demo", "community.demo", "analytics.demo"]


class Command(BaseCommand):
    help = "Create the demo communities, villages, accounts and content (idempotent)."

    def handle(self, *args, **options):
        world = seed_core()
        for module_name in APP_SEEDERS:
            try:
                module = import_module(module_name)
            except ModuleNotFoundError as exc:
                if exc.name != module_name:
                    raise
                continue
            module.seed(world)
        self.stdout.write(self.style.SUCCESS(
            f"Demo world ready: {len(world.communities)} communities, "
            f"{len(world.villages)} villages, {len(world.users)} demo accounts "
            f"(password: synergy-demo, for demos only)."
        ))
