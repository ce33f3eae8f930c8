from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from analytics.labels import stage_label
from analytics.models import AnalysisRun, City, Dataset


class CityOutput(serializers.ModelSerializer):
    class Meta:
        model = City
        fields = ["id", "adcode", "name_zh", "name_en", "province", "province_zh", "region"]


class DatasetOutput(serializers.ModelSerializer):
    class Meta:
        model = Dataset
        fields = ["id", "name", "version", "synthetic", "source", "layout", "variables",
                  "labels", "n_rows", "note", "created_at"]


class DatasetImportInput(serializers.Serializer):
    name = serializers.CharField(max_length=80)
    file = serializers.FileField()
    interpolate = serializers.BooleanField(required=False, default=False)


class ImportWarningOutput(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True)
    column = serializers.CharField(allow_null=True)
    message = serializers.CharField()
    code = serializers.CharField()
    params = serializers.DictField()


class ImportReportOutput(serializers.Serializer):
    """What the import page shows: warnings (unknown columns with the nearest known name,
    years outside the paper's panel, empty cells ...) and the gaps interpolation filled."""

    warnings = ImportWarningOutput(many=True)
    interpolated = serializers.BooleanField()
    filled = serializers.DictField(child=serializers.IntegerField())
    still_missing = serializers.DictField(child=serializers.IntegerField())
    summary = serializers.CharField(allow_blank=True)


class DatasetImportOutput(DatasetOutput):
    """The schema of a created dataset: its fields and the import report (API docs only)."""

    report = ImportReportOutput(read_only=True)

    class Meta(DatasetOutput.Meta):
        fields = [*DatasetOutput.Meta.fields, "report"]


class RunInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AnalysisRun.Kind.choices)
    dataset = serializers.PrimaryKeyRelatedField(queryset=Dataset.objects.all(), required=False,
                                                 allow_null=True)
    parameters = serializers.DictField(required=False, default=dict)

    def validate_parameters(self, value):
        boot = value.get("bootstrap")
        if boot is not None and (not isinstance(boot, int) or isinstance(boot, bool)):
            raise serializers.ValidationError(_("bootstrap must be a whole number."))
        return value


class RunOutput(serializers.ModelSerializer):
    dataset_name = serializers.CharField(source="dataset.name", read_only=True, default=None)
    results = serializers.SerializerMethodField()
    error = serializers.CharField(source="error_text", read_only=True)
    stage_label = serializers.SerializerMethodField()

    class Meta:
        model = AnalysisRun
        fields = ["id", "kind", "status", "progress", "stage", "stage_label", "dataset",
                  "dataset_name",
                  "dataset_version", "parameters", "language", "synthetic", "error",
                  "error_code", "files", "results", "rerun_of", "created_at", "started_at",
                  "heartbeat_at", "finished_at"]

    def get_stage_label(self, run) -> str:
        """The stage in the reader's language (the progress bar shows it)."""
        return stage_label(run.stage) if run.stage else ""

    def get_results(self, run) -> dict | None:
        return run.results if self.context.get("with_results") else None
