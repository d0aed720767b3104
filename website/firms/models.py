"""The lists staff keep: firms the office warns about and firms licensed to take money.

An ``Entity`` is entered under review, like a page: editors save drafts and submit them,
审核员 publish. Its row always holds the last published version (a live entity's draft
changes wait in revisions), and ``live`` says whether it was ever published and is still
public; only live entities are ever shown or found.

Every name an entity is known by (its name, former names and aliases) is also stored, folded
for comparison (``website.firms.normalise``), as one ``EntityName`` row, rebuilt whenever
the entity's row is saved. Lookups then read one indexed column, whatever the number of
entities: an equality for whole names and a trigram index (PostgreSQL, migration 0003) for
fragments.
"""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin

from website.firms.codes import clean_code, validate_credit_code
from website.firms.normalise import normalise_name
from website.taxonomy.models import Region

NAME_LENGTH = 200


class EntityKind(models.Model):
    """One list an entity can be on (警示名单, 已立案, 经营异常, 持牌机构 …): editable, and each
    either a warning or a licence, which decides how the public lookup speaks of it."""

    class Role(models.TextChoices):
        WARNING = "warning", _("警示")
        LICENCE = "licence", _("持牌")

    name = models.CharField(_("名称"), max_length=40, unique=True)
    role = models.CharField(_("性质"), max_length=10, choices=Role.choices)
    description = models.TextField(
        _("对公众的说明"),
        blank=True,
        help_text=_("查询结果里对这一类名单的解释，如“已被公安机关立案侦查”。"),
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)

    panels = [
        FieldPanel("name"),
        FieldPanel("role"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("名单类别")
        verbose_name_plural = _("名单类别")

    def __str__(self):
        return self.name

    @property
    def is_warning(self):
        return self.role == self.Role.WARNING


class EntityQuerySet(models.QuerySet):
    def public(self):
        """Return the entities the public may see: published (live) ones."""
        return self.filter(live=True)


def split_lines(text):
    """Return the non-empty, stripped lines of ``text`` (also split on 、；; and ,)."""
    for sep in ("、", "；", ";", "，", ","):
        text = (text or "").replace(sep, "\n")
    seen, out = set(), []
    for line in text.splitlines():
        line = line.strip()
        if line and line not in seen:
            seen.add(line)
            out.append(line)
    return out


class Entity(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, models.Model):
    """A firm (or platform, cooperative, fund …) on one of the lists."""

    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("有效")
        LIFTED = "lifted", _("已解除")

    name = models.CharField(_("名称"), max_length=NAME_LENGTH)
    former_names = models.TextField(
        _("曾用名"), blank=True, help_text=_("每行一个（也可以用顿号分隔）。")
    )
    aliases = models.TextField(
        _("别名、简称、平台或产品名"),
        blank=True,
        help_text=_("每行一个，如 App 名称、公众号名称、宣传用的简称。"),
    )
    credit_code = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        blank=True,
        db_index=True,
        validators=[validate_credit_code],
        help_text=_("18 位，会自动核对最后一位校验码。不知道可以不填。"),
    )
    kind = models.ForeignKey(
        EntityKind, verbose_name=_("名单类别"), on_delete=models.PROTECT, related_name="entities"
    )
    reason = models.TextField(
        _("原因或说明"),
        max_length=1000,
        help_text=_("向公众说明为什么列入，如“未经批准以养老服务为名吸收公众资金”。"),
    )
    source = models.CharField(
        _("来源文件"),
        max_length=200,
        help_text=_("发布机关和文件名或文号，如“示范市处非办 2026 年第 3 号风险提示”。"),
    )
    source_url = models.URLField(_("来源链接"), blank=True)
    source_date = models.DateField(_("发布日期"))
    region = models.ForeignKey(
        Region,
        verbose_name=_("地区"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.IN_FORCE
    )
    lifted_on = models.DateField(_("解除日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("credit_code")]),
        FieldPanel("former_names"),
        FieldPanel("aliases"),
        FieldPanel("reason"),
        MultiFieldPanel(
            [
                FieldPanel("source"),
                FieldRowPanel([FieldPanel("source_date"), FieldPanel("source_url")]),
            ],
            heading=_("来源"),
        ),
        FieldPanel("region"),
        FieldRowPanel([FieldPanel("status"), FieldPanel("lifted_on")]),
    ]

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="firm_entity")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="firm_entity",
        for_concrete_model=False,
    )

    objects = EntityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("名单机构")
        verbose_name_plural = _("名单机构")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.credit_code = clean_code(self.credit_code)
        update_fields = kwargs.get("update_fields")
        with transaction.atomic():
            super().save(*args, **kwargs)
            if update_fields is None or {"name", "former_names", "aliases"} & set(update_fields):
                self.rebuild_names()

    @property
    def revisions(self):
        return self._revisions

    @property
    def is_lifted(self):
        return self.status == self.Status.LIFTED

    @property
    def is_warning(self):
        return self.kind.is_warning

    def clean(self):
        super().clean()
        self.credit_code = clean_code(self.credit_code)

    def all_names(self):
        """Return [(text, EntityName.Kind)] for every name of this entity, its name first."""
        names = [(self.name.strip(), EntityName.Kind.NAME)]
        names += [(n, EntityName.Kind.FORMER) for n in split_lines(self.former_names)]
        names += [(n, EntityName.Kind.ALIAS) for n in split_lines(self.aliases)]
        return [(text[:NAME_LENGTH], kind) for text, kind in names if text]

    def rebuild_names(self):
        """Replace this entity's EntityName rows with its current names (two queries)."""
        EntityName.objects.filter(entity=self).delete()
        EntityName.objects.bulk_create(names_for(self))


def names_for(entity):
    """Return unsaved EntityName rows for ``entity``'s names, one per distinct folded form."""
    rows, seen = [], set()
    for text, kind in entity.all_names():
        normalised = normalise_name(text)
        if normalised and normalised not in seen:
            seen.add(normalised)
            rows.append(EntityName(entity=entity, text=text, normalised=normalised, kind=kind))
    return rows


class EntityName(models.Model):
    """One name of an entity, folded for comparison; derived from the entity, never edited."""

    class Kind(models.TextChoices):
        NAME = "name", _("名称")
        FORMER = "former", _("曾用名")
        ALIAS = "alias", _("别名")

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="names")
    text = models.CharField(max_length=NAME_LENGTH)
    normalised = models.CharField(max_length=NAME_LENGTH, db_index=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)

    class Meta:
        verbose_name = _("名称索引")
        verbose_name_plural = _("名称索引")

    def __str__(self):
        return self.text
