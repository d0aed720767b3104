import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_root_page_title_in_chinese"),
    ]

    operations = [
        migrations.AddField(
            model_name="sitesettings",
            name="office_phone",
            field=models.CharField(
                blank=True,
                help_text="上报统计报表“联系电话”一行填写的号码，如 0731-88888888。",
                max_length=30,
                validators=[
                    django.core.validators.RegexValidator(
                        "^[0-9\\-\\s()+]{3,30}$",
                        "请输入电话号码，只能包含数字、空格、括号和连字符。",
                    )
                ],
                verbose_name="办公电话",
            ),
        ),
        migrations.AddField(
            model_name="sitesettings",
            name="report_reviewer",
            field=models.CharField(
                blank=True,
                help_text="上报统计报表“审核人”一行填写的姓名；留空则留出签字的横线。",
                max_length=20,
                verbose_name="报表审核人",
            ),
        ),
    ]
