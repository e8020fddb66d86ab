"""Tracking scripts become URLs only (issue #12): inline code would run with the public site's rights.

A script that had inline code and no URL is deactivated (an editor must give the vendor's script URL
before it can run again); one with both keeps its URL and loses the code. Either way the names are
printed, so whoever migrates knows which scripts to look at. The code itself is not kept: it is exactly
what the public site may no longer run.
"""

from django.db import migrations, models

import cms_pages.consent.models


def retire_inline_code(apps, schema_editor):
    TrackingScript = apps.get_model("consent", "TrackingScript")
    for script in TrackingScript.objects.exclude(code=""):
        if script.src:
            print(f"\n  Tracking script {script.name!r}: inline code removed, its URL stays.")
        else:
            script.active = False
            print(f"\n  Tracking script {script.name!r}: had only inline code; deactivated, give it a URL.")
        script.code = ""
        script.save(update_fields=["code", "active"])


class Migration(migrations.Migration):
    dependencies = [("consent", "0005_declaration_changed_at")]

    operations = [
        migrations.RunPython(retire_inline_code, migrations.RunPython.noop),
        migrations.RemoveField(model_name="trackingscript", name="code"),
        migrations.AlterField(
            model_name="trackingscript",
            name="src",
            field=models.CharField(
                help_text=(
                    "The address of the vendor's script file, loaded as <script src> after consent. Its host "
                    "is added to the site's Content Security Policy; inline JavaScript is not allowed."
                ),
                max_length=500,
                validators=[cms_pages.consent.models.validate_script_url],
                verbose_name="script URL",
            ),
        ),
    ]
