"""Demo employees for Demo ApS: ~25 people with Danish names and addresses and synthetic CPR numbers.

The CPR numbers are made up: real birth dates of no one in particular, with serial numbers chosen to
fail the modulus-11 check. Idempotent: an employee whose CPR is already there is not added again.
"""

import datetime
from decimal import Decimal

from hrportal.employees.cpr import cpr_index

PEOPLE = [
    ("Mette Kjær Jensen", "Vestergade 12", "8000", "Aarhus C", "Bogholder", "Økonomi"),
    ("Lars Nielsen", "Algade 3, 2. th.", "4000", "Roskilde", "Lagerchef", "Lager"),
    ("Sofie Hansen", "Nørregade 45", "5000", "Odense C", "HR-partner", "HR"),
    ("Anders Pedersen", "Strandvejen 101", "2900", "Hellerup", "Sælger", "Salg"),
    ("Camilla Andersen", "Kongensgade 8", "6700", "Esbjerg", "Kundeservicemedarbejder", "Kundeservice"),
    ("Rasmus Christensen", "Jernbanegade 22", "9000", "Aalborg", "Chauffør", "Lager"),
    ("Ida Larsen", "Bredgade 5, 1. tv.", "1260", "København K", "Marketingkoordinator", "Marketing"),
    ("Mikkel Sørensen", "Søndergade 17", "8700", "Horsens", "Tekniker", "Service"),
    ("Emma Rasmussen", "Torvet 2", "4180", "Sorø", "Receptionist", "Administration"),
    ("Frederik Jørgensen", "Østerbrogade 140", "2100", "København Ø", "Udvikler", "IT"),
    ("Julie Petersen", "Havnegade 9", "5700", "Svendborg", "Lønbogholder", "Økonomi"),
    ("Mads Madsen", "Skolevej 4", "7100", "Vejle", "Sælger", "Salg"),
    ("Caroline Kristensen", "Klostergade 30", "8800", "Viborg", "Projektleder", "IT"),
    ("Christian Olsen", "Fælledvej 11", "2200", "København N", "Lagermedarbejder", "Lager"),
    ("Freja Thomsen", "Ringstedgade 50", "4700", "Næstved", "Kundeservicemedarbejder", "Kundeservice"),
    ("Jonas Poulsen", "Adelgade 14", "8660", "Skanderborg", "Servicetekniker", "Service"),
    ("Anne Johansen", "Stationsvej 6", "3400", "Hillerød", "Kontorassistent", "Administration"),
    ("Søren Møller", "Kirkevej 19", "6000", "Kolding", "Salgschef", "Salg"),
    ("Laura Mortensen", "Vesterbrogade 88", "1620", "København V", "Grafiker", "Marketing"),
    ("Peter Knudsen", "Møllevej 2", "9800", "Hjørring", "Chauffør", "Lager"),
    ("Ellen Jakobsen", "Åboulevarden 33", "8000", "Aarhus C", "Controller", "Økonomi"),
    ("Nikolaj Holm", "Frederiksgade 7", "3000", "Helsingør", "Supporter", "IT"),
    ("Karoline Østergaard", "Bygaden 1", "4300", "Holbæk", "Indkøber", "Lager"),
    ("Thomas Dahl", "Gl. Kongevej 60", "1850", "Frederiksberg C", "Direktør", "Ledelse"),
    ("Asta Bech", "Præstøvej 21", "4720", "Præstø", "Elev", "Administration", "2019-08-01", "2021-07-31"),
]
BIRTHS = [
    "140379", "020785", "230991", "110668", "300594", "051282", "170897", "080476", "260100", "120989",
    "040593", "191171", "090886", "220795", "150698", "270381", "010190", "061065", "281092", "131259",
    "030774", "210588", "110902", "071163", "180503",
]  # fmt: skip


def synthetic_cpr(birth: str, n: int) -> str:
    """DDMMYY + a serial that fails modulus 11 (so it is not an 'old-style' real number)."""
    year = int(birth[4:6])
    seventh = 4 if year <= 36 else 0
    weights = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
    for serial in range(100 + n * 7, 1000):
        digits = f"{birth}{seventh}{serial:03d}"
        if sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11:
            return f"{digits[:6]}-{digits[6:]}"
    raise ValueError("no serial")


def seed():
    from hrportal.companies.models import Company
    from hrportal.employees.models import Employee
    from hrportal.tenancy import company_scope

    company = Company.objects.filter(name="Demo ApS").first()
    if company is None:
        return ["Employees: no company named Demo ApS yet, no demo employees added."]
    created = 0
    with company_scope(company):
        for i, person in enumerate(PEOPLE):
            name, address, postal_code, city, position, department = person[:6]
            cpr = synthetic_cpr(BIRTHS[i], i)
            if Employee.objects.filter(cpr_index=cpr_index(company.pk, cpr)).exists():
                continue
            start = (
                datetime.date.fromisoformat(person[6])
                if len(person) > 6
                else datetime.date(2015 + i % 9, 1 + i % 12, 1)
            )
            end = datetime.date.fromisoformat(person[7]) if len(person) > 7 else None
            first = name.split()[0].lower().replace("ø", "oe").replace("å", "aa").replace("æ", "ae")
            Employee(
                name=name,
                cpr=cpr,
                address=address,
                postal_code=postal_code,
                city=city,
                email=f"{first}@demo-aps.example",
                phone=f"+45 2{i % 10} {10 + i:02d} {30 + i:02d} {50 + i:02d}",
                start_date=start,
                end_date=end,
                position=position,
                department=department,
                weekly_hours=Decimal("37") if i % 5 else Decimal("30"),
                salary=Decimal(32000 + (i * 1375) % 21000),
                emergency_contact="",
            ).save()
            created += 1
    return [f"Employees: {created} demo employees added to {company.name} ({len(PEOPLE)} in the demo set)."]
