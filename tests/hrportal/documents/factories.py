"""Factories of hrportal.documents: a stored document, and a signing with its signers and signatures."""

import hashlib
import secrets

import factory

from hrportal.documents.models import ContractCoverage, Document, Signature, SignatureRequest, Signer
from tests.factories import make_document
from tests.hrportal.tenant_factories import HelperFactory, TenantFactory


class DocumentFactory(HelperFactory):
    class Meta:
        model = Document

    make = staticmethod(make_document)


class SignatureRequestFactory(TenantFactory):
    class Meta:
        model = SignatureRequest

    document = factory.SubFactory(DocumentFactory, company=factory.SelfAttribute("..company"))
    document_sha256 = factory.LazyFunction(lambda: hashlib.sha256(secrets.token_bytes(16)).hexdigest())
    verification_code = factory.LazyFunction(lambda: secrets.token_hex(6).upper())


class SignerFactory(TenantFactory):
    class Meta:
        model = Signer

    request = factory.SubFactory(SignatureRequestFactory, company=factory.SelfAttribute("..company"))
    role = Signer.Role.COMPANY


class SignatureFactory(TenantFactory):
    class Meta:
        model = Signature

    signer = factory.SubFactory(SignerFactory, company=factory.SelfAttribute("..company"))
    signer_name = "Søren Æbelø"
    role = factory.SelfAttribute("signer.role")
    method = "totp"
    document_sha256 = factory.SelfAttribute("signer.request.document_sha256")


class ContractCoverageFactory(TenantFactory):
    """The items an uploaded contract was ticked as covering (hrportal/documents/contract_items.py)."""

    class Meta:
        model = ContractCoverage

    document = factory.SubFactory(DocumentFactory, company=factory.SelfAttribute("..company"))
    items = factory.LazyFunction(lambda: ["parties", "workplace"])
