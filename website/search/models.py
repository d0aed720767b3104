"""The synonym and colloquial-word dictionary (搜索同义词) that staff keep in the admin.

People search in their own words (退休金, 骗子, 天上掉馅饼); the pages use the office's words
(养老金, 非法集资, 高额回报). A ``SynonymGroup`` lists words that should find each other; a
colloquial group (``one_way``) only sends its first word to the others, so 天上掉馅饼 finds
高额回报 without every page about returns matching a query for 天上掉馅饼's other meanings.
Groups are read at query time (``website.search.synonyms``), so a change works at once,
without re-indexing.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from website.search.normalize import normalize

# Staff type words separated by spaces, commas, 顿号, equals signs or slashes.
SEPARATORS = re.compile(r"[\s,，、;；=＝/／|｜]+")
MAX_WORDS = 20
MAX_WORD_CHARS = 20


def split_words(text):
    """Return the distinct normalised words of ``text``, in the order typed."""
    words = []
    for word in SEPARATORS.split(normalize(text)):
        word = word.strip()
        if word and word not in words:
            words.append(word)
    return words


class SynonymGroup(models.Model):
    words = models.CharField(
        _("词语"),
        max_length=400,
        help_text=_("用空格、逗号或“=”隔开，例如：退休金 养老金 养老钱。繁体字会自动转为简体。"),
    )
    one_way = models.BooleanField(
        _("俗语（单向）"),
        default=False,
        help_text=_(
            "勾选后，只有搜索第一个词时才同时查找其余的词；不勾选则组内的词互相查找。"
            "例如：天上掉馅饼 高额回报 免费。"
        ),
    )
    enabled = models.BooleanField(_("启用"), default=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    panels = [FieldPanel("words"), FieldPanel("one_way"), FieldPanel("enabled"), FieldPanel("note")]

    class Meta:
        verbose_name = _("搜索同义词")
        verbose_name_plural = _("搜索同义词")
        ordering = ["pk"]

    def __str__(self):
        arrow = " → " if self.one_way else " = "
        words = self.word_list()
        return arrow.join([words[0], " ".join(words[1:])]) if len(words) > 1 else self.words

    def word_list(self):
        return split_words(self.words)

    def clean(self):
        super().clean()
        words = self.word_list()
        if len(words) < 2:
            raise ValidationError({"words": _("至少填写两个词。")})
        if len(words) > MAX_WORDS:
            raise ValidationError({"words": _("一组最多 %(n)d 个词。") % {"n": MAX_WORDS}})
        too_long = [w for w in words if len(w) > MAX_WORD_CHARS]
        if too_long:
            raise ValidationError(
                {
                    "words": _("每个词最多 %(n)d 个字：%(w)s")
                    % {"n": MAX_WORD_CHARS, "w": too_long[0]}
                }
            )
        # Store the normalised spelling, so the admin list shows what searches use.
        self.words = " ".join(words)
