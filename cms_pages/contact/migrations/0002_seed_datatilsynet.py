from django.db import migrations


def seed(apps, schema_editor):
    SupervisoryAuthority = apps.get_model("contact", "SupervisoryAuthority")
    if not SupervisoryAuthority.objects.exists():
        SupervisoryAuthority.objects.create(
            name="Datatilsynet",
            name_en="The Danish Data Protection Agency (Datatilsynet)",
            address="Carl Jacobsens Vej 35",
            postal_code="2500",
            city="Valby",
            phone="33 19 32 00",
            email="dt@datatilsynet.dk",
            website="https://www.datatilsynet.dk",
        )


class Migration(migrations.Migration):
    dependencies = [("contact", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
