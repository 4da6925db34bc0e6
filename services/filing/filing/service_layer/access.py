"""Who may see or change a product.

A product is visible to the members of its organisation and to reviewers and operators; to
anyone else it does not exist (404, never 403: a 403 would confirm it exists). Only members of
a verified organisation create drafts.
"""

from __future__ import annotations

from filing.domain.organisations import Organisation, may_file
from filing.domain.products import Product
from filing.service_layer.unit_of_work import FilingUnitOfWork
from platform_shared.errors import Forbidden, NotFound
from platform_shared.principal import Principal


def is_staff(principal: Principal) -> bool:
    return principal.is_staff


def not_found() -> NotFound:
    return NotFound("No such product.", slug="product-not-found")


def visible_product(principal: Principal, product_id: str, uow: FilingUnitOfWork) -> Product:
    product = uow.products.get(product_id)
    if product is None or not (is_staff(principal) or principal.is_member_of(product.organisation_id)):
        raise not_found()
    return product


def own_product(principal: Principal, product_id: str, uow: FilingUnitOfWork) -> Product:
    """The product if `principal` is a member of its organisation; `NotFound` otherwise."""
    product = uow.products.get(product_id)
    if product is None or not principal.is_member_of(product.organisation_id):
        raise not_found()
    return product


def filing_organisation(principal: Principal, uow: FilingUnitOfWork, *, lock: bool = False) -> Organisation:
    """The caller's organisation, if it is verified; `Forbidden` that says why otherwise. With
    `lock`, its row is held until the transaction ends (read and locked in one statement)."""
    organisations = uow.organisations
    read = organisations.lock if lock else organisations.get
    organisation = read(principal.organisation_id) if principal.organisation_id else None
    status = organisation.status if organisation else None
    if organisation is None or not may_file(status):
        raise Forbidden("Only members of a verified organisation may file products; "
                        f"your organisation is {status or 'not verified yet'}.", slug="organisation-not-verified")
    return organisation
