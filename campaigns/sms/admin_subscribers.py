"""Staff views of subscribers (masked list, detail, export with its own permission) and of
system alerts (Wagtail admin, under 短信). Every view checks a Django permission itself."""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.forms.search import SearchForm
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic.base import BaseListingView, WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton

from campaigns.models import StaffAlert, Subscriber
from campaigns.sms.admin_forms import SubscriberFilterSet
from website.core import tabular
from website.core.admin_views import SECONDS, PermissionRequiredMixin, StaffView, local_time
from website.core.views import safe_next

logger = logging.getLogger(__name__)


def local(value):
    """Times in the audit trail and exports are shown to the second."""
    return local_time(value, fmt=SECONDS)


# -- subscribers ------------------------------------------------------------------------------
def _audience_names(subscriber):
    return "、".join(a.name for a in subscriber.audiences.all())


class SubscriberIndexView(PermissionRequiredMixin, BaseListingView):
    """Masked numbers only; search by the last four digits (a full number is never a query)."""

    permission_required = "campaigns.view_subscriber"
    model = Subscriber
    page_title = gettext_lazy("订阅者")
    header_icon = "group"
    index_url_name = "campaigns_admin:subscribers"
    index_results_url_name = "campaigns_admin:subscribers_results"
    filterset_class = SubscriberFilterSet
    is_searchable = True
    default_ordering = "-created_at"
    paginate_by = 50
    verbose_name_plural = gettext_lazy("订阅者")
    columns = [
        TitleColumn(
            "masked_phone",
            label=gettext_lazy("手机号码"),
            url_name="campaigns_admin:subscriber_detail",
        ),
        Column("status", label=gettext_lazy("状态"), accessor="get_status_display"),
        Column("region", label=gettext_lazy("地区"), accessor="region"),
        Column("audiences", label=gettext_lazy("人群"), accessor=_audience_names),
        DateColumn("created_at", label=gettext_lazy("登记时间"), sort_key="created_at"),
        DateColumn("confirmed_at", label=gettext_lazy("确认时间"), sort_key="confirmed_at"),
    ]

    def get_base_queryset(self):
        return Subscriber.objects.select_related("region").prefetch_related("audiences")

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        digits = "".join(c for c in self.search_query if c.isdigit())
        if not digits or len(digits) > 4:
            return queryset.none()
        return queryset.filter(phone__endswith=digits)

    def export_url(self, full=False):
        query = self.request.GET.copy()
        for key in (self.page_kwarg, "_w_filter_fragment", "full"):
            query.pop(key, None)
        if full:
            query["full"] = "1"
        url = reverse("campaigns_admin:subscribers_export")
        return f"{url}?{query.urlencode()}" if query else url

    def get_header_buttons(self):
        buttons = super().get_header_buttons()
        buttons.append(
            HeaderButton(_("导出 CSV（号码已遮蔽）"), url=self.export_url(), icon_name="download")
        )
        if self.request.user.has_perm("campaigns.export_subscriber_phones"):
            buttons.append(
                HeaderButton(
                    _("导出完整号码"), url=self.export_url(full=True), icon_name="download"
                )
            )
        return buttons

    def get_search_form(self):
        placeholder = _("手机号码后四位")
        if self.search_kwarg in self.request.GET:
            return SearchForm(self.request.GET, placeholder=placeholder)
        return SearchForm(placeholder=placeholder)


class SubscriberExportView(SubscriberIndexView):
    """CSV of the filtered subscribers. Masked numbers unless ?full=1 and the user holds
    campaigns.export_subscriber_phones. Every export is logged (who, how many; no numbers)."""

    def get(self, request, *args, **kwargs):
        full = request.GET.get("full") == "1"
        if full and not request.user.has_perm("campaigns.export_subscriber_phones"):
            raise PermissionDenied
        queryset = self.get_queryset()
        total = queryset.count()
        logger.info(
            "subscriber export by user %s (%s): %s rows, full numbers: %s, filters: %s",
            request.user.pk,
            request.user.get_username(),
            total,
            "yes" if full else "no",
            sorted(k for k, v in request.GET.items() if v and k != "full"),
        )
        header = [_("手机号码"), _("状态"), _("地区"), _("人群"), _("登记时间"), _("确认时间")]

        def rows():
            yield header
            for person in queryset.iterator(chunk_size=2000):
                yield [
                    person.phone if full else person.masked_phone,
                    person.get_status_display(),
                    person.region.name if person.region else "",
                    _audience_names(person),
                    local(person.created_at),
                    local(person.confirmed_at),
                ]

        name = "subscribers-full.csv" if full else "subscribers.csv"
        response = tabular.csv_response(rows(), name, stream=True)
        response["Cache-Control"] = "no-store"
        return response


class SubscriberDetailView(StaffView):
    permission_required = "campaigns.view_subscriber"
    template_name = "campaigns/sms/admin/subscriber_detail.html"
    header_icon = "user"
    breadcrumbs_items = WagtailAdminTemplateMixin.breadcrumbs_items + [
        {"url": reverse_lazy("campaigns_admin:subscribers"), "label": gettext_lazy("订阅者")}
    ]

    def get(self, request, pk):
        self.subscriber = get_object_or_404(Subscriber.objects.select_related("region"), pk=pk)
        self.page_title = self.subscriber.masked_phone
        consents = [
            {
                "action": c.get_action_display(),
                "text": c.text,
                "source": c.source,
                "ip_hash": c.ip_hash,
                "at": local(c.at),
            }
            for c in self.subscriber.consents.all()
        ]
        return self.render_to_response(
            self.get_context_data(
                subscriber=self.subscriber,
                region=self.subscriber.region.full_name if self.subscriber.region else "",
                audiences=_audience_names(self.subscriber),
                created_at=local(self.subscriber.created_at),
                confirmed_at=local(self.subscriber.confirmed_at),
                unsubscribed_at=local(self.subscriber.unsubscribed_at),
                consents=consents,
            )
        )


# -- system alerts ----------------------------------------------------------------------------
class AlertIndexView(PermissionRequiredMixin, BaseListingView):
    permission_required = "campaigns.view_staffalert"
    model = StaffAlert
    page_title = gettext_lazy("系统提醒")
    header_icon = "warning"
    index_url_name = "campaigns_admin:alerts"
    index_results_url_name = "campaigns_admin:alerts_results"
    default_ordering = "-created_at"
    paginate_by = 50
    verbose_name_plural = gettext_lazy("系统提醒")
    columns = [
        Column("created_at", label=gettext_lazy("时间"), accessor=lambda a: local(a.created_at)),
        Column("kind", label=gettext_lazy("类型")),
        Column("message", label=gettext_lazy("内容")),
        Column("resolved_at", label=gettext_lazy("处理情况"), accessor=lambda a: _resolution(a)),
    ]

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("resolved_by")


def _resolution(alert):
    if alert.is_open:
        return _("未处理")
    who = alert.resolved_by
    name = (who.get_full_name() or who.get_username()) if who else ""
    return _("%(who)s 于 %(when)s 处理") % {"who": name, "when": local(alert.resolved_at)}


@require_POST
def resolve_alert(request, pk):
    """Mark an alert as dealt with, so it leaves everyone's dashboard."""
    if not request.user.has_perm("campaigns.change_staffalert"):
        raise PermissionDenied
    alert = get_object_or_404(StaffAlert, pk=pk)
    if alert.resolve(request.user):
        messages.success(request, _("已标为已处理。"))
    return redirect(
        safe_next(request, request.POST.get("next", ""), reverse("campaigns_admin:alerts"))
    )
