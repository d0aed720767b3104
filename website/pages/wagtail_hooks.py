"""Page admin: creating a page does not autosave, and "add a page of this type" is offered
only where one can be added.

Wagtail 8 autosaves the create view as soon as the title is typed, which creates the page as
a draft: an editor who leaves finds a stray draft, and starting again with the same title
clashed with its slug. A new page is therefore saved only when the editor saves it; once it
exists, its edit view autosaves as usual.

Wagtail's 页面类型使用情况 report offers "add" for every page type and its parent chooser
ignores ``max_count`` and ``max_count_per_parent``, so for a home page or a section index that
already exists the button led straight to 没有权限.
"""

from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.views.pages.choose_parent import GenericChooseParentView
from wagtail.admin.views.pages.create import CreateView
from wagtail.admin.views.pages.usage import ContentTypeUseView
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


class ChooseCreatableParentView(GenericChooseParentView):
    def get_valid_parent_pages(self, user):
        parents = super().get_valid_parent_pages(user)
        creatable = [p.pk for p in parents.specific() if self.model.can_create_at(p)]
        return Page.objects.filter(pk__in=creatable)


class TypeUseView(ContentTypeUseView):
    def get_add_url(self):
        # self.model is the listed type here (set in get()); no parent, no button.
        chooser = ChooseCreatableParentView(model=self.model)
        chooser.setup(self.request)
        if not chooser.get_valid_parent_pages(self.request.user).exists():
            return None
        return super().get_add_url()


class SitePageViewSet(PageViewSet):
    model = Page
    add_view_class = CreatePageView
    choose_parent_view_class = ChooseCreatableParentView
    content_type_use_view_class = TypeUseView


@hooks.register("register_admin_viewset")
def register_page_viewset():
    # Registered after Wagtail's own viewset for Page (order -1), so it replaces it.
    return SitePageViewSet("site_pages")
