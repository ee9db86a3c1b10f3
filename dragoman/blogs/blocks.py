"""The pieces an entry's body is made of. Each renders without JavaScript."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from .video import parse_video_url

# What a pasted text keeps: headings, lists, links and quotes, never styling or scripts
# (Draftail filters a paste down to these features; the server converts to them again).
RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul", "blockquote"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=200)
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Section heading")), ("h3", _("Sub-heading"))], default="h2"
    )

    class Meta:
        icon = "title"
        template = "blogs/blocks/heading.html"


class FigureBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=300,
        help_text=_("What the image shows, for readers who cannot see it. Required."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=300)

    class Meta:
        icon = "image"
        template = "blogs/blocks/figure.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Who said it"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        template = "blogs/blocks/quote.html"


class VideoBlock(blocks.StructBlock):
    url = blocks.URLBlock(
        label=_("Video address"),
        help_text=_("A YouTube or Vimeo address, or a link to a video file."),
    )
    title = blocks.CharBlock(label=_("What the video is about"), max_length=200)

    class Meta:
        icon = "media"
        template = "blogs/blocks/video.html"

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        try:
            parse_video_url(value["url"])
        except ValidationError as error:
            raise blocks.StructBlockValidationError(block_errors={"url": error}) from error
        return value

    def get_context(self, value: Any, parent_context: dict | None = None) -> dict:
        context = super().get_context(value, parent_context)
        context["video"] = parse_video_url(value["url"])
        return context


class EntryBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label=_("Paragraph"))
    image = FigureBlock()
    quote = QuoteBlock()
    video = VideoBlock()
