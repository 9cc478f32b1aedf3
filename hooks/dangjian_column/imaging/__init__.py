"""Photo pipeline for published images: upright, metadata-free, responsive WebP + JPEG/PNG, cached.

Domain code: never imports MkDocs. The hooks build ``ImageRequest``s, call ``ImagePipeline.process``,
``publish`` the result into the site and render ``picture_html`` in templates.
"""

from .inspect import ImageFailure, ImageInfo, inspect_image
from .picture import picture_html
from .pipeline import ImagePipeline, ImageRequest
from .publish import prune, publish
from .result import PipelineResult, ProcessedImage, Rendition
from .settings import ImageSettings, image_settings_from

__all__ = [
    "ImageFailure",
    "ImageInfo",
    "ImagePipeline",
    "ImageRequest",
    "ImageSettings",
    "PipelineResult",
    "ProcessedImage",
    "Rendition",
    "image_settings_from",
    "inspect_image",
    "picture_html",
    "prune",
    "publish",
]
