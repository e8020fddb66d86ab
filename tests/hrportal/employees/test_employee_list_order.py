"""The employee list snapshot (hrportal/employees/snapshot.py): order and search stay correct after every
kind of change (no stale order), the cache never crosses companies, holds no plaintext names, and the list's
query count does not grow with the number of employees."""

import datetime
import re

import pytest
from django.core.cache import cache

from hrportal.employees import snapshot
from hrportal.employees.listing import list_employees
from hrportal.employees.models import Employee, EmployeeListVersion
from hrportal.encryption.keyring import DecryptionError
from hrportal.tenancy import company_scope
from tests.factories import make_employee

LIST = "/portal/employees/"
NAMES = ["Åse Ørsted", "Anders And", "Ølstykke Ib", "Bjørn Berg", "Émile Zola", "Zenia Zahle", "Ærø Æble"]
DANISH_ORDER = [
    "Anders And",
    "Bjørn Berg",
    "Émile Zola",
    "Zenia Zahle",
    "Ærø Æble",
    "Ølstykke Ib",
    "Åse Ørsted",
]


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def names(company, **kwargs):
    with company_scope(company):
        result = list_employees(per_page=1000, **kwargs)
        return [e.name for e in result.page.object_list]


def ids(company, **kwargs):
    with company_scope(company):
        result = list_employees(per_page=1000, **kwargs)
        return [e.pk for e in result.page.object_list]


@pytest.fixture
def staff(company):
    return {name: make_employee(company, name=name) for name in NAMES}


def test_sorts_in_danish_order_both_ways(company, staff):
    assert names(company) == DANISH_ORDER
    assert names(company, sort="-name") == DANISH_ORDER[::-1]


def test_search_substring_accent_and_case_insensitive_all_terms(company, staff):
    assert names(company, query="zola") == ["Émile Zola"]
    assert names(company, query="EMILE") == ["Émile Zola"]  # accents folded
    assert names(company, query="ørs") == ["Åse Ørsted"]  # ø is a letter of its own
    assert names(company, query="ors") == []
    assert names(company, query="z") == ["Émile Zola", "Zenia Zahle"]
    assert names(company, query="z ahle") == ["Zenia Zahle"]
    assert names(company, query="z", sort="-name") == ["Zenia Zahle", "Émile Zola"]


def test_sort_by_start_and_status_filters(company):
    old = make_employee(company, name="Old", start_date=datetime.date(2001, 1, 1))
    new = make_employee(company, name="New", start_date=datetime.date(2024, 1, 1))
    same_day = make_employee(company, name="Same", start_date=datetime.date(2001, 1, 1))
    gone = make_employee(
        company, name="Gone", start_date=datetime.date(2010, 1, 1), end_date=datetime.date(2011, 1, 1)
    )
    leaving = make_employee(
        company,
        name="Leaving",
        start_date=datetime.date(2012, 1, 1),
        end_date=datetime.date.today() + datetime.timedelta(days=30),
    )
    assert ids(company, sort="start") == [old.pk, same_day.pk, leaving.pk, new.pk]
    assert ids(company, sort="-start") == [new.pk, leaving.pk, same_day.pk, old.pk]
    assert ids(company, sort="start", status="all") == [old.pk, same_day.pk, gone.pk, leaving.pk, new.pk]
    assert ids(company, status="ended") == [gone.pk]
    assert names(company, status="active") == ["Leaving", "New", "Old", "Same"]
    assert names(company, status="all", query="e", sort="-start") == ["New", "Leaving", "Gone", "Same"]


def test_order_and_search_follow_create_edit_end_delete(company, staff):
    assert names(company) == DANISH_ORDER  # snapshot built and cached
    make_employee(company, name="Carl Nielsen")
    assert names(company)[:3] == ["Anders And", "Bjørn Berg", "Carl Nielsen"]
    assert names(company, query="niel") == ["Carl Nielsen"]

    with company_scope(company):
        anders = Employee.objects.get(pk=staff["Anders And"].pk)
        anders.name = "Øjvind Andersen"
        anders.save()
    assert names(company)[0] == "Bjørn Berg"
    assert names(company)[-3:] == ["Øjvind Andersen", "Ølstykke Ib", "Åse Ørsted"]
    assert names(company, query="anders") == ["Øjvind Andersen"]

    with company_scope(company):
        bjorn = Employee.objects.get(pk=staff["Bjørn Berg"].pk)
        bjorn.end_date = datetime.date(2020, 1, 1)
        bjorn.save(update_fields=["end_date"])
    assert "Bjørn Berg" not in names(company)
    assert names(company, status="ended") == ["Bjørn Berg"]

    with company_scope(company):
        Employee.objects.get(pk=staff["Zenia Zahle"].pk).delete()
    assert "Zenia Zahle" not in names(company)
    assert names(company, query="zahle") == []


def test_order_follows_the_portal_views(admin_client, company, staff):
    assert admin_client.get(LIST).status_code == 200  # cached
    employee = staff["Anders And"]
    response = admin_client.post(
        f"{LIST}{employee.pk}/edit/",
        {
            "name": "Åge Aagaard",
            "version": employee.version,
            "cpr": "",
            "start_date": "2021-03-01",
            "end_date": "",
            "weekly_hours": "",
            "salary": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    body = admin_client.get(LIST).content.decode()
    assert "Anders And" not in body
    assert body.index("Ølstykke Ib") < body.index("Åge Aagaard") < body.index("Åse Ørsted")
    body = admin_client.get(LIST, {"q": "aagaard"}).content.decode()
    assert "Åge Aagaard" in body and "Åse Ørsted" not in body

    response = admin_client.post(f"{LIST}{employee.pk}/end/", {"end_date": "2023-06-30"})
    assert response.status_code == 302
    assert "Åge Aagaard" not in admin_client.get(LIST).content.decode()
    assert "Åge Aagaard" in admin_client.get(LIST, {"status": "ended"}).content.decode()


def test_bulk_paths_invalidate_too(company, staff):
    assert names(company) == DANISH_ORDER
    with company_scope(company):
        Employee.objects.bulk_create(
            [
                Employee(
                    company=company,
                    name="Aaron Abel",
                    cpr="111111-1111",
                    start_date=datetime.date(2020, 1, 1),
                )
            ]
        )
    assert names(company)[0] == "Aaron Abel"
    with company_scope(company):
        Employee.objects.filter(pk=staff["Émile Zola"].pk).update(end_date=datetime.date(2000, 1, 1))
    assert "Émile Zola" not in names(company)
    with company_scope(company):
        Employee.objects.filter(pk=staff["Ærø Æble"].pk).delete()
    Employee.unscoped.filter(pk=staff["Zenia Zahle"].pk).update(end_date=datetime.date(2000, 1, 1))
    assert names(company) == ["Aaron Abel", "Anders And", "Bjørn Berg", "Ølstykke Ib", "Åse Ørsted"]


def test_csv_import_invalidates(admin_client, company, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    assert names(company) == DANISH_ORDER
    text = "Navn;CPR-nummer;Startdato\r\nAbsalon Hvide;010180-1111;01-02-2020\r\n"
    upload = SimpleUploadedFile("ansatte.csv", text.encode(), content_type="text/csv")
    response = admin_client.post(f"{LIST}import/", {"file": upload})
    payload = re.search(r'name="payload" value="([^"]+)"', response.content.decode()).group(1)
    assert admin_client.post(f"{LIST}import/", {"payload": payload}).status_code == 302
    assert names(company)[0] == "Absalon Hvide"
    assert names(company, query="hvide") == ["Absalon Hvide"]


def test_order_survives_key_rotation_and_old_snapshot_is_not_reused(company, staff):
    from hrportal.encryption.rotation import rewrap_all, rotate_company

    assert names(company) == DANISH_ORDER
    before = EmployeeListVersion.objects.get(company=company).token
    rotate_company(company, batch_size=3)
    assert EmployeeListVersion.objects.get(company=company).token != before
    assert names(company) == DANISH_ORDER
    assert names(company, query="ørsted") == ["Åse Ørsted"]
    cached = cache.get(snapshot.cache_key(company.pk))
    assert cached["version"] == EmployeeListVersion.objects.get(company=company).token
    rewrap_all()
    assert names(company) == DANISH_ORDER
    assert names(company, query="zola") == ["Émile Zola"]


def test_a_stale_snapshot_is_never_served(company, staff):
    """Even if the cache were not cleared (another process, on_commit not run), the version decides."""
    assert names(company) == DANISH_ORDER
    stale = cache.get(snapshot.cache_key(company.pk))
    make_employee(company, name="Aa Først")
    cache.set(snapshot.cache_key(company.pk), stale)  # as another process's cache would still hold it
    assert names(company)[0] == "Aa Først"
    assert names(company, query="først") == ["Aa Først"]


def test_cache_never_crosses_companies(company, other_company, staff):
    theirs = make_employee(other_company, name="Bodil Anden")
    assert names(company) == DANISH_ORDER
    assert names(other_company) == ["Bodil Anden"]
    ours = cache.get(snapshot.cache_key(company.pk))
    # Company A's snapshot planted under company B's key (a bug, or a tampered shared cache): not served.
    cache.set(snapshot.cache_key(other_company.pk), ours)
    assert names(other_company) == ["Bodil Anden"]
    assert ids(other_company) == [theirs.pk]
    # ... even with B's current version forged into it: the sealed names are bound to A.
    forged = dict(ours, company_id=other_company.pk, version=snapshot.current_version(other_company.pk))
    with pytest.raises(DecryptionError):
        snapshot.Snapshot(**forged).names()
    # A's list never shows B's employee, with or without a search.
    assert "Bodil Anden" not in names(company) and names(company, query="bodil") == []


def test_cache_holds_no_plaintext_names(company, staff):
    import pickle

    names(company, query="zola")
    raw = pickle.dumps(cache.get(snapshot.cache_key(company.pk)))
    for name in NAMES:
        # Name parts of 4+ characters: a 2-3 letter part (e.g. "Ib") can occur by chance in base64 ciphertext.
        for part in (p for p in name.split() if len(p) >= 4):
            for variant in {part, part.lower()}:
                assert variant.encode() not in raw and variant.encode("latin-1") not in raw
    assert b"zola" not in raw and b"anders" not in raw


def test_destroyed_key_fails_closed(company, staff):
    from hrportal.encryption import datakeys

    assert names(company) == DANISH_ORDER
    datakeys.destroy_company_key(company)
    with pytest.raises(DecryptionError):
        names(company, query="zola")


@pytest.mark.parametrize("params", [{}, {"page": "2"}, {"sort": "start"}, {"q": "e"}, {"sort": "-name"}])
def test_list_query_count_is_constant(admin_client, company, django_assert_max_num_queries, settings, params):
    settings.EMPLOYEES_PER_PAGE = 5
    for i in range(3):
        make_employee(company, name=f"Few {i}")
    admin_client.get(LIST, params)  # warm session, keys and snapshot
    with django_assert_max_num_queries(50) as warm:
        admin_client.get(LIST, params)
    make_employee(company, name="Few 3")
    with django_assert_max_num_queries(50) as rebuild:
        admin_client.get(LIST, params)
    for i in range(80):
        make_employee(company, name=f"Many {i}")
    with django_assert_max_num_queries(len(rebuild.captured_queries)):
        response = admin_client.get(LIST, params)
    assert response.status_code == 200
    with django_assert_max_num_queries(len(warm.captured_queries)):
        admin_client.get(LIST, params)


# --- Patching the cached snapshot after a single change ----------------------------------------------------


def scoped_snapshot(company):
    """The company's list snapshot, as a list request in its scope gets it (built on a cache miss)."""
    with company_scope(company):
        return snapshot.get(company.pk)


def assert_cache_matches_a_fresh_build(company):
    """The cached snapshot is labelled with the current version and equals one built from the rows."""
    cached = cache.get(snapshot.cache_key(company.pk))
    assert cached is not None, "the change should have patched the cached snapshot"
    version = snapshot.current_version(company.pk)
    assert cached["version"] == version
    with company_scope(company):  # building reads the company's rows: only in its scope
        patched, fresh = snapshot.Snapshot(**cached), snapshot.build(company.pk, version)
    for field in ("ids", "starts", "ends", "by_start"):
        assert getattr(patched, field) == getattr(fresh, field), field
    assert patched.names() == fresh.names()


@pytest.mark.django_db(transaction=True)  # real commits: the patch runs when a change commits
def test_single_changes_patch_the_cached_snapshot_so_the_next_list_needs_no_rebuild(company):
    with company_scope(company):
        people = [make_employee(company, name=n) for n in NAMES]
    scoped_snapshot(company)  # cached

    def change(person, **values):
        for field, value in values.items():
            setattr(person, field, value)
        person.save()

    steps = [
        lambda: make_employee(company, name="Birthe Bager"),
        lambda: change(people[0], name="Aage Aabenraa"),
        lambda: change(people[1], start_date=datetime.date(1999, 1, 1)),
        lambda: change(people[2], end_date=datetime.date(2020, 1, 1)),
        lambda: people[3].delete(),
    ]
    for step in steps:
        with company_scope(company):
            step()
        assert_cache_matches_a_fresh_build(company)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(snapshot, "build", lambda *a: pytest.fail("the list rebuilt the snapshot"))
        listed = names(company)
    assert listed[0] == "Aage Aabenraa" and "Bjørn Berg" not in listed and "Birthe Bager" in listed


@pytest.mark.django_db(transaction=True)  # real commits: the patch runs when a change commits
def test_a_change_rolled_back_never_reaches_the_cache(company):
    from django.db import transaction

    with company_scope(company):
        person = make_employee(company, name="Anders And")
    before = scoped_snapshot(company)
    with company_scope(company), transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            person.name = "Zebra Rollback"
            person.save()
            raise RuntimeError
        make_employee(company, name="Bodil Kept")  # the outer transaction goes on and commits
    assert_cache_matches_a_fresh_build(company)
    assert "Zebra Rollback" not in names(company) and "Bodil Kept" in names(company)
    assert scoped_snapshot(company).version != before.version


@pytest.mark.django_db(transaction=True)  # real commits: the patch runs when a change commits
def test_many_changes_in_one_transaction_leave_the_rebuild_to_the_next_request(company):
    from django.db import transaction

    with company_scope(company):
        people = [make_employee(company, name=n) for n in NAMES]
    scoped_snapshot(company)
    with company_scope(company), transaction.atomic():
        for person in people:
            person.delete()
    assert cache.get(snapshot.cache_key(company.pk)) is None  # no stale sealed names left in the cache
    assert names(company) == []
