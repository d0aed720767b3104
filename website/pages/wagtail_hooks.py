"""Page admin: creating a page does not autosave.

Wagtail 8 autosaves the create view as soon as the title is typed, which creates the page as
a draft: an editor who leaves finds a stray draft, and starting again with the same title
clashed with its slug. A new page is therefore saved only when the editor saves it; once it
exists, its edit view autosaves as usual.
"""

from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.views.pages.create import CreateView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Page


class CreatePageView(CreateView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["autosave_enabled"] = False
        return context

    def post(self, request):
        if self.expects_json_response:
            # An autosave from a page opened before this change: refuse it rather than
            # create a draft nobody asked for.
            return self.json_error_response(
                "autosave_disabled", _("新建页面不自动保存，请点击“保存草稿”。")
            )
        return super().post(request)


class SitePageViewSet(PageViewSet):
    model = Page
    add_view_class = CreatePageView


@hooks.register("register_admin_viewset")
def register_page_viewset():
    # Registered after Wagtail's own viewset for Page (order -1), so it replaces it.
    return SitePageViewSet("site_pages")
