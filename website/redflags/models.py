"""The checker's rules and methods, reviewed like pages, and the rate threshold staff set.

A Rule row always holds its last published version (DraftStateMixin): drafts live in
revisions until a reviewer publishes them through the "内容审核" workflow, so the public
checker runs only what was approved, and staff try drafts in the admin first.
"""

from decimal import Decimal

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin
from wagtail.search import index

from website.redflags.checker import RuleSpec
from website.redflags.patterns import PatternError, compile_pattern

PATTERN_HELP = _(
    "只写词语，不用写正则表达式。几种说法用 | 分隔（或每行一种），如“保本保息|稳赚不赔”；"
    "中间可以隔几个字的地方写 …，如“推荐…奖励”；数字的位置写 #，如“每天返#”。"
    "繁体、全角和字间的空格、点号会自动处理。前面带“不”“谨防”等字的说法不算。"
)


class Method(models.Model):
    """A common method of illegal fundraising (拉人头返利, 保本保息 …): an editable list."""

    name = models.CharField(_("名称"), max_length=40, unique=True)
    description = models.TextField(_("简要说明"), blank=True, max_length=500)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)

    panels = [FieldPanel("name"), FieldPanel("description"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("常见手法")
        verbose_name_plural = _("常见手法")

    def __str__(self):
        return self.name


class Rule(
    WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, index.Indexed, models.Model
):
    """One red-flag rule: the phrases that mark a pitch, the legal feature they show, the
    method, a plain-words explanation, and the pretext tag whose cases and notices it links."""

    class Feature(models.TextChoices):
        ILLEGAL = "illegal", _("非法性（未经有关部门依法批准）")
        PUBLIC = "public", _("公开性（向社会公开宣传）")
        LURE = "lure", _("利诱性（承诺还本付息或给付回报）")
        SOCIAL = "social", _("社会性（向不特定对象吸收资金）")

    key = models.SlugField(
        _("编号"), max_length=50, unique=True, help_text=_("只能用小写英文字母、数字和连字符。")
    )
    name = models.CharField(_("名称"), max_length=60)
    pattern = models.TextField(_("说法"), max_length=1000, help_text=PATTERN_HELP)
    feature = models.CharField(_("特征"), max_length=10, choices=Feature.choices)
    method = models.ForeignKey(
        Method,
        verbose_name=_("手法"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rules",
    )
    explanation = models.TextField(
        _("通俗解释"),
        max_length=600,
        help_text=_("给普通群众看的一两句话：为什么这样的说法是危险信号。"),
    )
    tag = models.ForeignKey(
        "taggit.Tag",
        verbose_name=_("相关幌子"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("结果页链接到带这个标签的典型案例和风险提示。"),
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("key")]),
        FieldPanel("pattern"),
        FieldRowPanel([FieldPanel("feature"), FieldPanel("method")]),
        FieldPanel("explanation"),
        FieldPanel("tag"),
    ]

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="redflag_rule")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="redflag_rule",
        for_concrete_model=False,
    )

    search_fields = [
        index.SearchField("name"),
        index.SearchField("pattern"),
        index.AutocompleteField("name"),
        index.FilterField("feature"),
    ]

    class Meta:
        ordering = ["feature", "key"]
        verbose_name = _("风险信号规则")
        verbose_name_plural = _("风险信号规则")

    def __str__(self):
        return self.name

    @property
    def revisions(self):
        return self._revisions

    def clean(self):
        super().clean()
        try:
            compile_pattern(self.pattern)
        except PatternError as error:
            raise ValidationError({"pattern": str(error)}) from error

    def spec(self):
        """Return the RuleSpec the engine runs for this rule (as this object holds it)."""
        tag = self.tag if self.tag_id else None
        return RuleSpec(
            key=self.key,
            pattern=self.pattern,
            feature=self.feature,
            method=self.method.name if self.method_id and self.method else "",
            explanation=self.explanation,
            tag_slug=tag.slug if tag else "",
            tag_name=tag.name if tag else "",
        )


def published_specs():
    """Return the RuleSpecs of the published rules (what the public checker runs)."""
    rules = Rule.objects.filter(live=True).select_related("method", "tag")
    return [rule.spec() for rule in rules]


def draft_specs():
    """Return the RuleSpecs of every rule as its latest revision (draft or not) has it: what
    the checker would run if everything pending were published."""
    specs = []
    for rule in Rule.objects.select_related("method", "tag", "latest_revision"):
        draft = rule.get_latest_revision_as_object() if rule.latest_revision_id else rule
        specs.append(draft.spec())
    return specs


@register_setting(icon="warning")
class CheckerSettings(BaseGenericSetting):
    """The annual rate above which a promised return is a red flag."""

    annual_rate_threshold = models.DecimalField(
        _("年化收益警戒线（%）"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("6.00"),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("100"))],
        help_text=_(
            "承诺的收益折合年化高于这个数就标为风险信号。默认 6%：大致高于银行定期存款和国债"
            "（近年一般在 1.5%–3% 之间），也高于多数正规稳健理财的业绩比较基准。"
        ),
    )
    threshold_note = models.TextField(
        _("向群众说明"),
        max_length=400,
        blank=True,
        default="银行定期存款和国债一年的利率一般只有 2%–3%，承诺年化 6% 以上还说保本的，要特别当心。",
        help_text=_("结果页上说明警戒线是怎么来的。"),
    )

    panels = [FieldPanel("annual_rate_threshold"), FieldPanel("threshold_note")]

    class Meta:
        verbose_name = _("风险信号检查设置")
