from datetime import date

from ocop.certificates import Certificate, Status, add_months


def cert(**kw):
    base = dict(stars=4, decision="1/QĐ-UBND", date=date(2023, 1, 10), issuer="UBND tỉnh Bình Thuận")
    return Certificate(**{**base, **kw})


def test_valid_36_months_by_default():
    assert cert().expires == date(2026, 1, 10)
    assert add_months(date(2024, 2, 29), 36) == date(2027, 2, 28)


def test_status_at_build_date():
    c = cert()
    assert c.status(date(2025, 6, 1)) is Status.ACTIVE
    assert c.status(date(2025, 10, 12)) is Status.EXPIRING  # 90 days before expiry
    assert c.status(date(2025, 10, 11)) is Status.ACTIVE
    assert c.status(date(2026, 1, 10)) is Status.EXPIRING  # still valid on its last day
    assert c.status(date(2026, 1, 11)) is Status.EXPIRED


def test_revoked_on_or_before_build_date():
    c = cert(revoked=date(2024, 5, 1))
    assert c.status(date(2024, 4, 30)) is Status.ACTIVE
    assert c.status(date(2024, 5, 1)) is Status.REVOKED


def test_explicit_expiry_wins():
    assert cert(expires_on=date(2024, 1, 1)).status(date(2024, 6, 1)) is Status.EXPIRED


def test_listed_statuses():
    assert Status.ACTIVE.listed and Status.EXPIRING.listed
    assert not Status.EXPIRED.listed and not Status.REVOKED.listed
