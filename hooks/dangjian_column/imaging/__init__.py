"""Photo pipeline for published images: upright, metadata-free, responsive WebP + JPEG/PNG, cached.

Domain code: never imports MkDocs. The hooks build ``ImageRequest``s, call ``ImagePipeline.process``,
``publish`` the result into the site and render ``picture_html`` in templates.
"""

from dangjian_column.config.images import ImageSettings

from .inspect import ImageFailure, ImageInfo, inspect_image
from .picture import picture_html
from .pipeline import ImagePipeline, ImageRequest
from .publish import prune, publish
from .result import PipelineResult, ProcessedImage, Rendition

__all__ = [
    "ImageFailure",
    "ImageInfo",
    "ImagePipeline",
    "ImageRequest",
    "ImageSettings",
    "PipelineResult",
    "ProcessedImage",
    "Rendition",
    "inspect_image",
    "picture_html",
    "prune",
    "publish",
]
