"""Analytics records: the city table, versioned datasets of city-year values, and runs.

The maths lives in `analytics.methods` (no Django); services adapt between these rows and it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    EAST = "east", _("East")
    CENTRAL = "central", _("Central")
    WEST = "west", _("West")


class City(models.Model):
    """A prefecture-level city; province and region are data that administrators may edit."""

    adcode = models.CharField(_("administrative code"), max_length=12, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=40, unique=True)
    name_en = models.CharField(_("English name"), max_length=60)
    province = models.CharField(_("province"), max_length=40)
    province_zh = models.CharField(_("province (Chinese)"), max_length=40, blank=True)
    region = models.CharField(_("region"), max_length=10, choices=Region.choices)

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["adcode"]
        constraints = [
            models.CheckConstraint(condition=Q(region__in=Region.values),
                                   name="analytics_city_region_valid"),
        ]

    def __str__(self) -> str:
        return self.name_zh


class Dataset(models.Model):
    """One imported version of a named table of city-year values. Versions are immutable."""

    name = models.CharField(_("name"), max_length=80)
    version = models.PositiveIntegerField(_("version"))
    synthetic = models.BooleanField(_("synthetic"), default=False)
    source = models.CharField(_("source file"), max_length=200, blank=True)
    layout = models.CharField(_("layout"), max_length=20, blank=True)
    variables = models.JSONField(_("variables"), default=list)
    n_rows = models.PositiveIntegerField(_("rows"), default=0)
    note = models.TextField(_("note"), blank=True)
    # {column: label} shown instead of the column name in tables and charts (edited per dataset).
    labels = models.JSONField(_("variable labels"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"],
                                    name="analytics_dataset_one_per_version"),
            models.CheckConstraint(condition=Q(version__gte=1),
                                   name="analytics_dataset_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class Observation(models.Model):
    """The values of one city in one year of one dataset version (variable -> number or null)."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="observations",
                                verbose_name=_("dataset"))
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("city"))
    year = models.PositiveSmallIntegerField(_("year"))
    values = models.JSONField(_("values"), default=dict)

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints = [
            models.UniqueConstraint(fields=["dataset", "city", "year"],
                                    name="analytics_observation_one_per_city_year"),
            models.CheckConstraint(condition=Q(year__gte=1949, year__lte=2100),
                                   name="analytics_observation_year_range"),
        ]

    def __str__(self) -> str:
        return f"{self.dataset_id}:{self.city_id}:{self.year}"


# Failures recorded by the system itself, shown in the reader's language (issue 11.10).
RUN_ERRORS = {
    "worker_lost": _("The worker stopped while running this analysis; run it again."),
    "never_started": _("No worker started this analysis in time; run it again."),
    "time_limit": _("The analysis took longer than its time limit and was stopped; run it "
                    "again with fewer bootstrap draws."),
}


class AnalysisRun(models.Model):
    """One analysis started from the web, the API or the seed; executed by a Celery task."""

    class Kind(models.TextChoices):
        REPLICATE = "replicate", _("Replication of Tables 3-9")
        FIT = "fit", _("Panel regression")
        MEDIATE = "mediate", _("Mediation")
        INDEX = "index", _("Index weights")
        IV = "iv", _("Instrumental variables (2SLS)")
        HETEROGENEITY = "heterogeneity", _("Heterogeneity by group")
        ROBUSTNESS = "robustness", _("Robustness: alternative index")
        DID = "did", _("Pairing rollout: staggered difference-in-differences")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="runs", verbose_name=_("dataset"))
    dataset_version = models.PositiveIntegerField(_("dataset version"), null=True, blank=True)
    parameters = models.JSONField(_("parameters"), default=dict)
    # The language of the person who started the run: its exports are written in it.
    language = models.CharField(_("language"), max_length=10, default="zh-hans", blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.PENDING, db_index=True)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    stage = models.CharField(_("stage"), max_length=40, blank=True)
    synthetic = models.BooleanField(_("synthetic"), default=False)
    results = models.JSONField(_("results"), null=True, blank=True)
    files = models.JSONField(_("files"), default=list)
    error = models.TextField(_("error"), blank=True)
    error_code = models.CharField(_("error code"), max_length=20, blank=True)
    rerun_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="reruns", verbose_name=_("run again from"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("analysis run")
        verbose_name_plural = _("analysis runs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__gte=0, progress__lte=100),
                                   name="analytics_run_progress_0_100"),
            models.CheckConstraint(condition=Q(status__in=["pending", "running", "succeeded",
                                                           "failed"]),
                                   name="analytics_run_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=["replicate", "fit", "mediate", "index",
                                                         "iv", "heterogeneity",
                                                         "robustness", "did"]),
                                   name="analytics_run_kind_valid"),
            models.CheckConstraint(
                condition=Q(dataset__isnull=True) | Q(dataset_version__isnull=False),
                name="analytics_run_records_dataset_version"),
            models.CheckConstraint(
                condition=Q(error_code__in=["", *RUN_ERRORS]),
                name="analytics_run_error_code_valid"),
            models.CheckConstraint(
                condition=~Q(status="running") | Q(heartbeat_at__isnull=False),
                name="analytics_run_running_has_heartbeat"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def error_text(self) -> str:
        """The error in the reader's language when the system wrote it, else as recorded."""
        return str(RUN_ERRORS[self.error_code]) if self.error_code in RUN_ERRORS else self.error

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)
