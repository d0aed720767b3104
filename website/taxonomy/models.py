"""Editable reference data: target audiences (重点人群) and the region tree (行政区划).

Pretexts and industries (幌子/手法) are django-taggit tags; see ``TAG_SEED`` for the
ones a new site starts with.
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class Audience(index.Indexed, models.Model):
    """A group that scammers target and that content is written for (老年人, 在校学生 …)."""

    name = models.CharField(_("名称"), max_length=40, unique=True)
    slug = models.SlugField(
        _("网址标识"),
        max_length=40,
        unique=True,
        help_text=_("用于网址，只能用小写字母、数字和连字符"),
    )
    entry_label = models.CharField(
        _("首页入口文字"), max_length=40, help_text=_("首页入口上显示的文字，如“我是老年人”")
    )
    description = models.TextField(_("说明"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("entry_label"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("重点人群")
        verbose_name_plural = _("重点人群")

    def __str__(self):
        return self.name


code_validator = RegexValidator(r"^\d{2,12}$", _("行政区划代码应为 2 到 12 位数字。"))


class Region(index.Indexed, models.Model):
    """One node of the region tree: 省 › 市 › 县(区) › 乡镇(街道) › 村(社区).

    ``path`` holds the codes from the root down (``/43/4309/430921/``) so that "this region
    and everything under it" is one indexed prefix query, whatever the depth.
    """

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("省")
        CITY = 2, _("市")
        COUNTY = 3, _("县(区)")
        TOWNSHIP = 4, _("乡镇(街道)")
        VILLAGE = 5, _("村(社区)")

    name = models.CharField(_("名称"), max_length=60)
    code = models.CharField(
        _("行政区划代码"), max_length=12, unique=True, validators=[code_validator]
    )
    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, db_index=True)

    panels = [FieldPanel("name"), FieldPanel("code"), FieldPanel("level"), FieldPanel("parent")]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("level"),
    ]

    class Meta:
        ordering = ["path"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        old_path = None
        if self.pk:
            old_path = Region.objects.filter(pk=self.pk).values_list("path", flat=True).first()
        parent_path = self.parent.path if self.parent_id else "/"
        self.path = f"{parent_path}{self.code}/"
        with transaction.atomic():
            super().save(*args, **kwargs)
            if old_path and old_path != self.path:
                # Re-root the whole subtree in one statement.
                Region.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                    path=Concat(models.Value(self.path), Substr("path", len(old_path) + 1))
                )

    @property
    def full_name(self):
        """Return the name with its ancestors' names, e.g. 湖南省 益阳市 桃江县."""
        return " ".join(r.name for r in self.ancestors(include_self=True))

    def ancestors(self, include_self=False):
        """Return the regions above this one, root first (one query)."""
        codes = [c for c in self.path.strip("/").split("/") if c]
        if not include_self:
            codes = codes[:-1]
        by_code = {r.code: r for r in Region.objects.filter(code__in=codes)}
        return [by_code[c] for c in codes if c in by_code]

    def descendants(self, include_self=True):
        """Return a queryset of this region's subtree."""
        qs = Region.objects.filter(path__startswith=self.path)
        return qs if include_self else qs.exclude(pk=self.pk)

    def clean(self):
        if self.parent_id:
            if self.parent.level >= self.level:
                raise ValidationError({"level": _("层级必须低于上级区划。")})
            if self.pk and self.parent.path.startswith(self.path or "\0"):
                raise ValidationError({"parent": _("不能把区划移到它自己的下级之下。")})
        elif self.level != self.Level.PROVINCE:
            # A deployment may start below province level, so only warn-level rules apply.
            pass


# The pretexts and industries a new site starts with (editable afterwards).
TAG_SEED = [
    "投资理财",
    "养老服务",
    "股权众筹",
    "区块链/虚拟货币",
    "私募基金",
    "消费返利",
    "P2P网络借贷",
    "房地产",
    "农业合作社",
    "慈善公益",
    "疫情防控",
    "投资咨询",
    "保健品销售",
    "电子商务",
    "林业",
]

AUDIENCE_SEED = [
    ("老年人", "elderly", "我是老年人", 10),
    ("在校学生", "students", "我是学生", 20),
    ("农村居民", "rural", "我在农村", 30),
    ("农民工", "migrant-workers", "我是农民工", 40),
    ("中小学生", "pupils", "我是中小学生家长", 50),
    ("教师及公职人员", "teachers-officials", "我是教师或公职人员", 60),
    ("城市上班族", "urban-workers", "我是上班族", 70),
]
