"""StreamField blocks shared by every content page."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("图片"))
    caption = blocks.CharBlock(label=_("图片说明"), required=False, max_length=200)
    alt = blocks.CharBlock(
        label=_("替代文字"),
        required=False,
        max_length=200,
        help_text=_("为读屏软件描述图片内容；留空则使用图片标题。"),
    )

    class Meta:
        icon = "image"
        label = _("图片")
        template = "pages/blocks/image.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("引文"))
    source = blocks.CharBlock(label=_("出处"), required=False, max_length=120)

    class Meta:
        icon = "openquote"
        label = _("引用")
        template = "pages/blocks/quote.html"


class WarningSignsBlock(blocks.StructBlock):
    """The red flags a reader should recognise next time (识别要点)."""

    heading = blocks.CharBlock(label=_("标题"), default=_("识别要点"), max_length=60)
    signs = blocks.ListBlock(
        blocks.CharBlock(label=_("要点"), max_length=200), label=_("风险信号"), min_num=1
    )

    class Meta:
        icon = "warning"
        label = _("风险信号清单")
        template = "pages/blocks/warning_signs.html"


class PitchBlock(blocks.StructBlock):
    """What the scammers said or printed, shown as a specimen to recognise."""

    text = blocks.TextBlock(label=_("宣传话术原文"))
    medium = blocks.CharBlock(
        label=_("渠道"), required=False, max_length=60, help_text=_("如：传单、微信群、讲座")
    )

    class Meta:
        icon = "mail"
        label = _("骗局话术")
        template = "pages/blocks/pitch.html"


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=_("小标题"),
        max_length=80,
        form_classname="title",
        template="pages/blocks/heading.html",
    )
    paragraph = blocks.RichTextBlock(
        label=_("正文"), features=["bold", "italic", "link", "ol", "ul", "document-link"]
    )
    image = ImageBlock()
    quote = QuoteBlock()
    pitch = PitchBlock()
    warning_signs = WarningSignsBlock()
    embed = EmbedBlock(
        label=_("嵌入内容（视频、合作页面）"),
        help_text=_("粘贴视频或合作页面的网址；对方网站须支持 oEmbed。"),
        icon="media",
    )
