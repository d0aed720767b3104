"""The admin form every page type uses: pinyin slugs, slug errors that cannot be missed."""

from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm

from website.pages.slugs import pinyin_slug, unique_child_slug

#: The slug of a page whose title gives no letters at all (e.g. only punctuation).
FALLBACK_SLUG = "page"


class PageForm(WagtailAdminPageForm):
    """Fills an empty or Chinese slug with the title's pinyin, unique among the siblings.

    Wagtail's admin script copies the title into the slug as typed (Chinese included); the
    server turns that into pinyin, so a new page never gets a percent-encoded address. An
    existing page's slug is left as it is unless an editor changes it. A slug the editor
    typed in ASCII is kept, and a clash is reported (in Chinese) at the top of the form too,
    because the slug sits on the 推荐 (Promote) tab where nobody looks while writing.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            # Empty is fine: clean_slug fills it from the title.
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _(
                "页面网址的最后一段，只用小写字母、数字和连字符。留空或填中文时，保存时自动按标题生成拼音。"
            )

    def _parent(self):
        if self.parent_page is not None:
            return self.parent_page
        return self.instance.get_parent() if self.instance.pk else None

    def clean_slug(self):
        slug = (self.cleaned_data.get("slug") or "").strip()
        if self.instance.pk and slug == self.instance.slug:
            return slug
        if slug and slug.isascii():
            return slug
        base = pinyin_slug(slug or self.cleaned_data.get("title") or self.data.get("title", ""))
        return unique_child_slug(base or FALLBACK_SLUG, self._parent(), self.instance)

    def clean(self):
        cleaned_data = super().clean()
        if "slug" in self.errors:
            # Listed at the top of the page with the field's own message, whatever tab is open.
            # The tab's own (translated) name: Wagtail's "Promote" tab, 推荐 in Chinese.
            self.add_error(
                None, _("网址别名在“%(tab)s”标签页，请到那里修改。") % {"tab": _("Promote")}
            )
        return cleaned_data
