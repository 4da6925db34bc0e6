"""Who may see or change a product.

A product is visible to the members of its organisation and to reviewers and operators; to
anyone else it does not exist (404, never 403: a 403 would confirm it exists). Only members of
a verified organisation create drafts.
"""

from __future__ import annotations

from filing.adapters.orm import OrganisationView, Product
from filing.domain.organisations import may_file
from platform_shared.auth.tokens import Principal
from platform_shared.web.problems import Problem

STAFF = ("reviewer", "operator")


def is_staff(principal: Principal) -> bool:
    return principal.role in STAFF


def not_found() -> Problem:
    return Problem(404, "No such product.", slug="product-not-found")


def visible_product(principal: Principal, product_id: str) -> Product:
    product = Product.get_or_none(Product.id == product_id)
    if product is None or not (is_staff(principal) or principal.is_member_of(product.organisation_id)):
        raise not_found()
    return product


def own_product(principal: Principal, product_id: str) -> Product:
    """The product if `principal` is a member of its organisation; a 404 problem otherwise."""
    product = Product.get_or_none(Product.id == product_id)
    if product is None or not principal.is_member_of(product.organisation_id):
        raise not_found()
    return product


def organisation_of(organisation_id: str) -> OrganisationView | None:
    return OrganisationView.get_or_none(OrganisationView.organisation_id == organisation_id)


def filing_organisation(principal: Principal) -> OrganisationView:
    """The caller's organisation, if it is verified; a 403 problem that says why otherwise."""
    organisation = organisation_of(principal.organisation_id) if principal.organisation_id else None
    status = organisation.status if organisation else None
    if not may_file(status):
        raise Problem(403, "Only members of a verified organisation may file products; "
                      f"your organisation is {status or 'not verified yet'}.", slug="organisation-not-verified")
    return organisation
