"""Staff try a text against the rules before publishing a change (规则试用).

The same text is checked twice: with the published rules (what the public sees today) and
with every rule's latest revision (drafts and changes awaiting review included), so the
effect of a pending change is visible before a reviewer approves it. Nothing is stored.
"""

from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters

from website.core.admin_views import StaffTemplateView
from website.redflags import service
from website.redflags.forms import CheckForm


@method_decorator(sensitive_post_parameters("text"), name="dispatch")
class TryRulesView(StaffTemplateView):
    permission_required = "redflags.change_rule"
    template_name = "redflags/admin/try.html"
    page_title = _("试用风险信号规则")
    header_icon = "search"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", CheckForm())
        return context

    def post(self, request, *args, **kwargs):
        form = CheckForm(request.POST)
        context = {"form": form}
        if form.is_valid():
            text = form.cleaned_data["text"]
            published = service.run(text)
            drafts = service.run(text, drafts=True)
            context["results"] = [
                (_("已发布的规则（群众现在看到的）"), published),
                (_("包含草稿和待审核修改的规则"), drafts),
            ]
            context["changed"] = _flag_keys(published) != _flag_keys(drafts)
        return self.render_to_response(self.get_context_data(**context))


def _flag_keys(report):
    return [(f.start, f.end, f.rule, f.feature, f.method) for f in report.flags]
