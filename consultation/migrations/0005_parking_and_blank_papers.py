"""Parking: area and heads become two settings; blank and invalid papers a setting.

The old switch ``count_parking`` moved a parking space's head AND area; it becomes
``count_parking_area`` (area only). ``count_parking_only_owners`` (default yes) is
new. A ballot already opened had its roll taken under the old switch, so its new
field records what was done then (parking-only owners counted iff parking counted);
drafts take the new default, since their roll is taken when they open.
"""

from django.db import migrations, models


def _record_old_behaviour(apps, schema_editor):
    Ballot = apps.get_model("consultation", "Ballot")
    Ballot.objects.exclude(status="draft").filter(count_parking_area=False).update(
        count_parking_only_owners=False
    )


class Migration(migrations.Migration):
    dependencies = [
        ("consultation", "0004_private_uploads"),
    ]

    operations = [
        migrations.RenameField(
            model_name="ballot", old_name="count_parking", new_name="count_parking_area"
        ),
        migrations.RenameField(
            model_name="communityvotingsettings",
            old_name="count_parking",
            new_name="count_parking_area",
        ),
        migrations.AlterField(
            model_name="ballot",
            name="count_parking_area",
            field=models.BooleanField(default=False, help_text='由业主大会议事规则确定（《业主大会和业主委员会指导规则》第二十五条）。', verbose_name='车位面积计入专有部分面积'),
        ),
        migrations.AlterField(
            model_name="communityvotingsettings",
            name="count_parking_area",
            field=models.BooleanField(default=False, help_text='由业主大会议事规则约定（《业主大会和业主委员会指导规则》第二十五条）。只影响面积：仅有车位的业主是否计入人数，见下一项。', verbose_name='车位面积计入专有部分面积'),
        ),
        migrations.AddField(
            model_name="ballot",
            name="count_parking_only_owners",
            field=models.BooleanField(default=True, help_text='默认计入（司法解释第九条：一个专有部分按一人计算）；有法院在与车位无关的事项上不计，需法律审核。', verbose_name='仅有车位的业主计入业主人数'),
        ),
        migrations.AddField(
            model_name="ballot",
            name="concerns_parking",
            field=models.BooleanField(default=False, help_text='涉及车位的事项，车位面积和仅有车位的业主一律计入。', verbose_name='本事项涉及车位'),
        ),
        migrations.AddField(
            model_name="ballot",
            name="blank_invalid_participate",
            field=models.BooleanField(default=True, help_text='法律未明确，默认计入，需法律审核。', verbose_name='空白票和废票计入参与表决'),
        ),
        migrations.AddField(
            model_name="communityvotingsettings",
            name="count_parking_only_owners",
            field=models.BooleanField(default=True, help_text='默认计入：建筑物区分所有权司法解释第九条按专有部分计算人数。有法院在与车位无关的事项上不计其人数和面积。涉及车位的事项一律计入。', verbose_name='仅有车位的业主计入业主人数（需法律审核）'),
        ),
        migrations.AddField(
            model_name="communityvotingsettings",
            name="blank_invalid_participate",
            field=models.BooleanField(default=True, help_text='法律未明确空白票、废票是否算作参与表决，默认计入。弃权票始终计入。', verbose_name='空白票和废票计入参与表决（需法律审核）'),
        ),
        migrations.RunPython(_record_old_behaviour, migrations.RunPython.noop),
    ]
