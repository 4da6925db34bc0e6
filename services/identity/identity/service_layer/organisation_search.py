"""Organisations found for operators: the list and search of the operator's console."""

from __future__ import annotations

from identity.domain.model import Organisation
from identity.domain.organisation_search import OrganisationFilter
from identity.service_layer.unit_of_work import IdentityUnitOfWork
from platform_shared.pages import Page, PageRequest


def search_organisations(which: OrganisationFilter, request: PageRequest,
                         uow: IdentityUnitOfWork) -> Page[Organisation]:
    """The organisations `which` admits, newest registration first (operators; the view checks the role)."""
    with uow:
        return uow.organisations.search(which, request)
