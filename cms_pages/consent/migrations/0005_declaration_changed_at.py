import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("consent", "0004_scan_failed"),
    ]

    operations = [
        migrations.AddField(
            model_name="cookiedeclaration",
            name="changed_at",
            field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now, verbose_name="last changed"),
            preserve_default=False,
        ),
    ]
