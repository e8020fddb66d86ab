"""Factories of hrportal.companies (the company, its members and mandates live in tests/factories.py, which
the whole suite shares)."""

from tests.factories import CompanyFactory, InvitationFactory, MandateFactory, MembershipFactory

__all__ = ["CompanyFactory", "InvitationFactory", "MandateFactory", "MembershipFactory"]
