"""Form and serializer fields that apply the core upload rules while parsing.

`ImageUploadField` (forms) and `ImageUploadSerializerField` (DRF) run `synergy.core.images.
image_clean` in `clean` / `to_internal_value`: a file that is not a photo, too large, a
decompression bomb or damaged is an error on that field, and what reaches the service is a
`CleanImage` (re-encoded JPEG, no EXIF), which the service's own `image_clean` passes through.
"""

from __future__ import annotations

from django import forms
from rest_framework import serializers

from synergy.core.errors import Invalid
from synergy.core.images import image_clean

IMAGE_ACCEPT = "image/jpeg,image/png,image/webp,image/gif"


class ImageUploadField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return upload
        try:
            return image_clean(upload, field=self.label or "photo")
        except Invalid as exc:
            raise forms.ValidationError(exc.message, code="invalid_image") from None


class ImageUploadSerializerField(serializers.FileField):
    def to_internal_value(self, data):
        upload = super().to_internal_value(data)
        try:
            return image_clean(upload, field=self.field_name or "photo")
        except Invalid as exc:
            raise serializers.ValidationError(exc.message, code="invalid_image") from None
