"""The question bank (Question, Choice), quiz pages, and what visitors leave behind
(Attempt, one Answer per drawn question).

Answers are rows, not JSON, so that every report is a SQL aggregate over ``quiz_answer``
joined to ``quiz_attempt``; an attempt keeps its own totals (``correct_count``, ``score``,
``passed``) so participation reports never touch the answer table at all.
"""

from django import forms
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    Page,
    RevisionMixin,
    WorkflowMixin,
)
from wagtail.search import index

from website.pages.forms import PageForm
from website.search.fields import (
    SegmentedAutocompleteField,
    SegmentedSearchField,
    page_search_fields,
)
from website.taxonomy.models import Audience, Region

MAX_CHOICES = 6
TOKEN_PATTERN = r"[A-Za-z0-9_-]{16,64}"


# ---------------------------------------------------------------------------------------
# Question bank
# ---------------------------------------------------------------------------------------


class QuestionTag(TaggedItemBase):
    content_object = ParentalKey(
        "quiz.Question", on_delete=models.CASCADE, related_name="tagged_items"
    )


def check_choices(kind, choices):
    """Return a list of messages about ``choices`` ((text, is_correct) pairs) for ``kind``.

    Shared by the admin form and the importer, so both accept exactly the same questions.
    """
    errors = []
    count = len(choices)
    correct = sum(1 for _text, ok in choices if ok)
    if any(not (text or "").strip() for text, _ok in choices):
        errors.append(_("选项内容不能为空。"))
    if kind == Question.Kind.TRUE_FALSE:
        if count != 2 or correct != 1:
            errors.append(_("判断题应有两个选项（对、错），其中一个正确。"))
    elif kind == Question.Kind.SINGLE:
        if count < 2 or count > MAX_CHOICES:
            errors.append(_("单选题应有 2 到 6 个选项。"))
        if correct != 1:
            errors.append(_("单选题必须恰好有一个正确选项。"))
    elif kind == Question.Kind.MULTIPLE:
        if count < 3 or count > MAX_CHOICES:
            errors.append(_("多选题应有 3 到 6 个选项。"))
        if correct < 1:
            errors.append(_("多选题至少要有一个正确选项。"))
    return errors


def answered_choice_ids(choice_ids):
    """Return the subset of ``choice_ids`` that someone has picked in an answer."""
    ids = [pk for pk in choice_ids if pk]
    if not ids:
        return set()
    return set(
        AnswerChoice.objects.filter(choice_id__in=ids)
        .values_list("choice_id", flat=True)
        .distinct()
    )


class QuestionForm(WagtailAdminModelForm):
    """Checks the inline choices against the question type before anything is saved."""

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("choices")
        kind = cleaned.get("kind")
        if formset is None or not formset.is_valid():
            return cleaned
        dropped = [
            f.instance.pk for f in formset.forms if f.cleaned_data.get("DELETE") and f.instance.pk
        ]
        if answered_choice_ids(dropped):
            # Past answers point at these rows; deleting one would rewrite the statistics.
            self.add_error(
                None,
                _(
                    "已有人选过的选项不能删除（会改变以往的答题统计）；可以修改它，或停用本题另出新题。"
                ),
            )
        if not kind:
            return cleaned
        choices = [
            (f.cleaned_data.get("text", ""), bool(f.cleaned_data.get("is_correct")))
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        for message in check_choices(kind, choices):
            self.add_error(None, message)
        return cleaned


class Question(
    WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, index.Indexed, ClusterableModel
):
    """One question of the bank: a stem (optionally with a scenario), choices, explanation.

    Reviewed like pages: editors' changes, answer keys included, are saved as revisions and
    go through the "内容审核" workflow; the row and its choice rows always hold the last
    published version, which is what the public quiz draws and scores. Questions that were
    never published (``live`` false) are never drawn.
    """

    class Kind(models.TextChoices):
        SINGLE = "single", _("单选题")
        MULTIPLE = "multiple", _("多选题")
        TRUE_FALSE = "truefalse", _("判断题")

    class Hallmark(models.TextChoices):
        LICENCE = "licence", _("未经依法许可")
        PUBLICITY = "publicity", _("公开宣传")
        RETURNS = "returns", _("承诺回报")
        PUBLIC = "public", _("面向社会公众")
        RESPONSE = "response", _("识别与应对")

    class Difficulty(models.IntegerChoices):
        EASY = 1, _("容易")
        MEDIUM = 2, _("中等")
        HARD = 3, _("较难")

    code = models.CharField(
        _("编号"),
        max_length=20,
        unique=True,
        help_text=_("导入导出时用来对应题目，如 Q001。"),
    )
    kind = models.CharField(_("题型"), max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    stem = models.TextField(_("题干"), max_length=500)
    scenario = models.TextField(
        _("情景材料"),
        blank=True,
        max_length=1000,
        help_text=_("可选：一条推销短信、一段宣传话术或传单上的文字，原样展示给答题人。"),
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("情景图片"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("可选：传单、海报或聊天截图。"),
    )
    image_alt = models.CharField(
        _("图片文字说明"),
        max_length=200,
        blank=True,
        help_text=_("给看不清图片或使用读屏软件的人：图片上写了什么。"),
    )
    explanation = models.TextField(_("解析"), max_length=1000)
    hallmark = models.CharField(
        _("考查要点"),
        max_length=12,
        choices=Hallmark.choices,
        default=Hallmark.RESPONSE,
        help_text=_("非法集资的四个特征之一，或识别与应对。"),
    )
    difficulty = models.PositiveSmallIntegerField(
        _("难度"), choices=Difficulty.choices, default=Difficulty.MEDIUM
    )
    audiences = ParentalManyToManyField(
        Audience,
        verbose_name=_("适用人群"),
        blank=True,
        related_name="+",
        help_text=_("留空表示适合所有人。"),
    )
    tags = ClusterTaggableManager(through=QuestionTag, blank=True, verbose_name=_("幌子与行业"))
    active = models.BooleanField(_("启用"), default=True, help_text=_("停用的题目不再被抽到。"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("kind"), FieldPanel("difficulty")]),
        FieldPanel("stem"),
        MultiFieldPanel(
            [FieldPanel("scenario"), FieldPanel("image"), FieldPanel("image_alt")],
            heading=_("情景（可选）"),
        ),
        InlinePanel("choices", label=_("选项"), min_num=2, max_num=MAX_CHOICES),
        FieldPanel("explanation"),
        MultiFieldPanel(
            [
                FieldPanel("hallmark"),
                FieldPanel("tags"),
                FieldPanel("audiences", widget=forms.CheckboxSelectMultiple),
                FieldPanel("active"),
            ],
            heading=_("分类"),
        ),
    ]
    base_form_class = QuestionForm

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="question")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="question",
        for_concrete_model=False,
    )

    # Segmented, so the bank's admin search finds a question by a word inside its stem.
    search_fields = [
        SegmentedSearchField("stem"),
        SegmentedSearchField("scenario"),
        index.SearchField("code"),
        SegmentedAutocompleteField("stem"),
        index.AutocompleteField("code"),
        index.FilterField("kind"),
        index.FilterField("difficulty"),
        index.FilterField("active"),
    ]

    class Meta:
        ordering = ["code"]
        verbose_name = _("题目")
        verbose_name_plural = _("题库")

    def __str__(self):
        return f"{self.code} {self.stem[:30]}"

    def clean(self):
        super().clean()
        if self.image_id and not self.image_alt.strip():
            raise ValidationError({"image_alt": _("有图片时请写明图片上的内容。")})

    @property
    def is_multiple(self):
        return self.kind == self.Kind.MULTIPLE

    @property
    def revisions(self):
        return self._revisions

    def with_content_json(self, content):
        """Return the question as stored in a revision, keeping choices people have picked.

        A draft may drop a choice that nobody had picked when it was written; if the public
        has picked it since, publishing the draft must not delete the row their answers
        point at, so such a choice is kept (the editor form then shows it again).
        """
        obj = super().with_content_json(content)
        if not self.pk:
            return obj
        kept = {c.pk for c in obj.choices.all() if c.pk}
        stored = {c.pk: c for c in Choice.objects.filter(question_id=self.pk)}
        missing = answered_choice_ids(set(stored) - kept)
        if missing:
            obj.choices = list(obj.choices.all()) + [stored[pk] for pk in sorted(missing)]
        return obj


class Choice(Orderable):
    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("选项"), max_length=200)
    is_correct = models.BooleanField(_("正确"), default=False)
    feedback = models.TextField(
        _("反馈"),
        max_length=500,
        blank=True,
        help_text=_("答题人选了这一项时看到的说明：点明其中的危险信号，或为什么这样做是对的。"),
    )

    panels = [FieldPanel("text"), FieldPanel("is_correct"), FieldPanel("feedback")]

    class Meta(Orderable.Meta):
        verbose_name = _("选项")
        verbose_name_plural = _("选项")

    def __str__(self):
        return self.text


# ---------------------------------------------------------------------------------------
# Quiz pages
# ---------------------------------------------------------------------------------------


class QuizPageQuestion(Orderable):
    page = ParentalKey("quiz.QuizPage", on_delete=models.CASCADE, related_name="fixed_questions")
    question = models.ForeignKey(
        Question, verbose_name=_("题目"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("question")]


class QuizPage(RoutablePageMixin, Page):
    """A public quiz: a fixed list or a fresh random draw for every attempt."""

    base_form_class = PageForm

    class Selection(models.TextChoices):
        RANDOM = "random", _("随机抽题")
        FIXED = "fixed", _("固定题目")

    intro = models.TextField(_("导语"), blank=True, max_length=500)
    selection = models.CharField(
        _("出题方式"), max_length=10, choices=Selection.choices, default=Selection.RANDOM
    )
    question_count = models.PositiveSmallIntegerField(
        _("抽题数量"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("随机抽题时每次答题的题数；各难度尽量平均。"),
    )
    draw_tags = ParentalManyToManyField(
        "taggit.Tag",
        verbose_name=_("只抽这些幌子的题"),
        blank=True,
        related_name="+",
        help_text=_("留空表示不限。"),
    )
    draw_audiences = ParentalManyToManyField(
        Audience,
        verbose_name=_("面向人群"),
        blank=True,
        related_name="+",
        help_text=_("随机抽题时只抽适合这些人群（或适合所有人）的题；也用于在人群页面推荐本测试。"),
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("达标分数线（%）"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("得分达到这一比例算作“能识别非法集资”，统计认知率时使用。"),
    )
    explain_each = models.BooleanField(
        _("每答一题立即讲解"),
        default=True,
        help_text=_(
            "答完一题先看对错、解析、涉及的危险信号和相关案例，再进入下一题；"
            "关闭后只在交卷后统一讲解。"
        ),
    )
    ask_profile = models.BooleanField(
        _("询问年龄段、身份和地区"),
        default=True,
        help_text=_("均为选填，不收集姓名和电话。"),
    )
    leaderboard_enabled = models.BooleanField(_("显示地区排行榜"), default=True)
    leaderboard_level = models.PositiveSmallIntegerField(
        _("排行榜按哪一级区划"), choices=Region.Level.choices, default=Region.Level.COUNTY
    )
    leaderboard_min_count = models.PositiveSmallIntegerField(
        _("上榜最少参与人次"), default=10, validators=[MinValueValidator(1)]
    )

    # Segmented like every other page, so the site's (and the API's) Chinese search finds
    # quizzes by the words of their titles.
    search_fields = page_search_fields(SegmentedSearchField("intro"))
    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("selection"),
                FieldPanel("question_count"),
                FieldPanel("draw_tags", widget=forms.CheckboxSelectMultiple),
                FieldPanel("draw_audiences", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("出题"),
        ),
        InlinePanel("fixed_questions", label=_("固定题目（按顺序）")),
        MultiFieldPanel(
            [FieldPanel("pass_mark"), FieldPanel("explain_each"), FieldPanel("ask_profile")],
            heading=_("计分、讲解与信息"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("leaderboard_enabled"),
                FieldPanel("leaderboard_level"),
                FieldPanel("leaderboard_min_count"),
            ],
            heading=_("地区排行榜"),
        ),
    ]
    parent_page_types = ["pages.HomePage"]
    subpage_types = []
    # The read-only API shows what a quiz is about, never its questions or answers.
    api_fields = ["intro"]
    # Partners embed the whole quiz: website.embeds runs these routes inside its iframe (the
    # profile form, share image and leaderboard need the site itself) and passes ``frame``.
    embed_widget = "quiz"
    embed_routes = ("start", "question", "explain", "result")
    embed_missing_message = _("这个测试已下线或不存在。")

    class Meta:
        verbose_name = _("知识测试")
        verbose_name_plural = _("知识测试")

    def clean(self):
        super().clean()
        if self.selection == self.Selection.FIXED:
            # Inline rows are not saved yet; count what the form holds.
            if not any(True for _row in self.fixed_questions.all()):
                raise ValidationError({"selection": _("固定题目方式需要至少选一道题。")})

    # Routes; the work is in quiz.views so the model stays a description of the page.
    @path("", name="start")
    def start_view(self, request, frame=None):
        from quiz import views as public

        return public.start(self, request, frame or public.OWN_PAGE)

    @re_path(rf"^a/(?P<token>{TOKEN_PATTERN})/$", name="attempt")
    def attempt_view(self, request, token):
        from quiz import views as public

        return public.resume(self, request, token)

    @re_path(rf"^a/(?P<token>{TOKEN_PATTERN})/(?P<number>[0-9]{{1,3}})/$", name="question")
    def question_view(self, request, token, number, frame=None):
        from quiz import views as public

        return public.question(self, request, token, int(number), frame or public.OWN_PAGE)

    @re_path(rf"^a/(?P<token>{TOKEN_PATTERN})/(?P<number>[0-9]{{1,3}})/explain/$", name="explain")
    def explain_view(self, request, token, number, frame=None):
        from quiz import views as public

        return public.explain(self, request, token, int(number), frame or public.OWN_PAGE)

    @re_path(rf"^a/(?P<token>{TOKEN_PATTERN})/result/$", name="result")
    def result_view(self, request, token, frame=None):
        from quiz import views as public

        return public.result(self, request, token, frame or public.OWN_PAGE)

    @re_path(rf"^a/(?P<token>{TOKEN_PATTERN})/profile/$", name="profile")
    def profile_view(self, request, token):
        from quiz import views as public

        return public.profile(self, request, token)

    @re_path(rf"^a/(?P<token>{TOKEN_PATTERN})/image/$", name="share_image")
    def share_image_view(self, request, token):
        from quiz import views as public

        return public.share_image(self, request, token)

    @path("leaderboard/", name="leaderboard")
    def leaderboard_view(self, request):
        from quiz import views as public

        return public.leaderboard(self, request)


# ---------------------------------------------------------------------------------------
# Attempts and answers
# ---------------------------------------------------------------------------------------


class AgeBand(models.TextChoices):
    UNDER_18 = "u18", _("18 岁以下")
    FROM_18 = "18-34", _("18–34 岁")
    FROM_35 = "35-59", _("35–59 岁")
    FROM_60 = "60-69", _("60–69 岁")
    FROM_70 = "70+", _("70 岁及以上")


class QuizPaper(models.Model):
    """A paper quiz: a stored draw from the bank, printed and handed out (at a 七进 event).

    The draw is stored, not recomputed, so the same paper can be printed again and its
    answers entered against exactly the questions people saw. Answers come back as paper
    Attempts (``source`` "paper", one per answer sheet) or, when only totals were kept, as
    PaperTally rows per question.
    """

    title = models.CharField(_("标题"), max_length=120)
    quiz = models.ForeignKey(
        QuizPage,
        verbose_name=_("计入哪个知识测试"),
        on_delete=models.PROTECT,
        related_name="papers",
        help_text=_("纸质答卷计入这个测试的统计，并按它的达标分数线计分。"),
    )
    seed = models.PositiveIntegerField(_("抽题种子"))
    audiences = models.ManyToManyField(Audience, verbose_name=_("面向人群"), blank=True)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("纸质测试卷")
        verbose_name_plural = _("纸质测试卷")

    def __str__(self):
        return self.title

    def ordered_questions(self):
        """Return the paper's questions in printed order, choices prefetched."""
        from django.db.models import Prefetch

        return [
            row.question
            for row in self.questions.select_related("question")
            .prefetch_related(
                Prefetch("question__choices", queryset=Choice.objects.order_by("sort_order", "pk"))
            )
            .order_by("position")
        ]


class PaperQuestion(models.Model):
    paper = models.ForeignKey(QuizPaper, on_delete=models.CASCADE, related_name="questions")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["paper", "position"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "position"], name="quiz_paperq_position"),
            models.UniqueConstraint(fields=["paper", "question"], name="quiz_paperq_question"),
        ]

    def __str__(self):
        return f"{self.paper_id}#{self.position}"


class PaperTally(models.Model):
    """Per-question totals of a paper quiz, for when only counts came back (no sheets).

    They feed the item statistics' answer counts, facility and choice shares, never the
    per-person figures (scores, pass rates, discrimination, alpha): no person is behind them.
    """

    paper = models.ForeignKey(QuizPaper, on_delete=models.CASCADE, related_name="tallies")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    answered = models.PositiveIntegerField(_("作答人数"))
    correct = models.PositiveIntegerField(_("答对人数"))
    entered_at = models.DateTimeField(_("录入时间"), auto_now=True)

    class Meta:
        verbose_name = _("纸质答卷汇总")
        verbose_name_plural = _("纸质答卷汇总")
        constraints = [
            models.UniqueConstraint(fields=["paper", "question"], name="quiz_papertally_once")
        ]

    def __str__(self):
        return f"{self.paper_id}:{self.question_id} {self.correct}/{self.answered}"


class PaperChoiceTally(models.Model):
    tally = models.ForeignKey(PaperTally, on_delete=models.CASCADE, related_name="choices")
    choice = models.ForeignKey(Choice, on_delete=models.CASCADE, related_name="+")
    count = models.PositiveIntegerField(_("选择人数"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tally", "choice"], name="quiz_paperchoice_once")
        ]

    def __str__(self):
        return f"{self.tally_id}:{self.choice_id}={self.count}"


class Attempt(models.Model):
    """One person's go at a quiz, identified only by a random token in its URLs (online), or
    one answer sheet of a paper quiz entered by staff (``source`` paper)."""

    class Source(models.TextChoices):
        ONLINE = "online", _("网上答题")
        PAPER = "paper", _("纸质答卷")

    quiz = models.ForeignKey(
        QuizPage, verbose_name=_("测试"), on_delete=models.CASCADE, related_name="attempts"
    )
    token = models.CharField(max_length=64, unique=True)
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    question_count = models.PositiveSmallIntegerField(_("题数"))
    correct_count = models.PositiveSmallIntegerField(_("答对题数"), null=True, blank=True)
    score = models.FloatField(_("得分率"), null=True, blank=True)
    passed = models.BooleanField(_("达标"), null=True, blank=True)
    age_band = models.CharField(_("年龄段"), max_length=8, choices=AgeBand.choices, blank=True)
    audience = models.ForeignKey(
        Audience, verbose_name=_("身份"), null=True, blank=True, on_delete=models.SET_NULL
    )
    region = models.ForeignKey(
        Region, verbose_name=_("地区"), null=True, blank=True, on_delete=models.SET_NULL
    )
    # Who took it, only as far as the leaderboard needs (quiz.leaderboard): keyed hashes of a
    # per-browser cookie and of the network address, never the address itself. Blank on
    # attempts from before they were recorded.
    client_key = models.CharField(_("设备标识摘要"), max_length=24, blank=True, editable=False)
    address_key = models.CharField(_("网络地址摘要"), max_length=24, blank=True, editable=False)
    source = models.CharField(
        _("来源"), max_length=8, choices=Source.choices, default=Source.ONLINE, db_index=True
    )
    paper = models.ForeignKey(
        QuizPaper,
        verbose_name=_("纸质测试卷"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attempts",
    )
    sheet_number = models.PositiveIntegerField(_("答卷编号"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["paper", "sheet_number"], name="quiz_attempt_sheet_once"
            )
        ]
        verbose_name = _("答题记录")
        verbose_name_plural = _("答题记录")
        indexes = [
            models.Index(fields=["quiz", "completed_at"], name="quiz_attempt_quiz_done"),
            models.Index(fields=["completed_at"], name="quiz_attempt_done"),
        ]
        permissions = [("view_quiz_reports", _("可以查看知识测试统计"))]

    def __str__(self):
        return f"{self.quiz_id}:{self.token[:8]}"

    @property
    def is_complete(self):
        return self.completed_at is not None

    @property
    def has_profile(self):
        return bool(self.age_band or self.audience_id or self.region_id)


class Answer(models.Model):
    """One drawn question of an attempt; empty until answered, then scored and frozen."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    position = models.PositiveSmallIntegerField()
    answered_at = models.DateTimeField(null=True, blank=True)
    is_correct = models.BooleanField(null=True)
    selected = models.ManyToManyField(Choice, through="AnswerChoice", related_name="+")

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="quiz_answer_position"),
            models.UniqueConstraint(fields=["attempt", "question"], name="quiz_answer_question"),
        ]
        indexes = [models.Index(fields=["question", "is_correct"], name="quiz_answer_question_ok")]

    def __str__(self):
        return f"{self.attempt_id}#{self.position}"


class AnswerChoice(models.Model):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE)
    choice = models.ForeignKey(Choice, on_delete=models.CASCADE)
    # Copied from the answer so the choice distribution joins the small attempt table
    # directly instead of hashing a million answers.
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["answer", "choice"], name="quiz_answerchoice_unique")
        ]

    def __str__(self):
        return f"{self.answer_id}:{self.choice_id}"
