"""Who may: one rule per kind of act, shared by the JSON API, the pages and the services.

A domain names its rules once, in its ``auth.py`` (``CLERK = Allowed(Role.CLERK, ...)``), and
its router and pages take the dependencies each rule derives::

    rule.api    the API caller (a bearer token, or a session plus CSRF header)  -> Principal
    rule.page   the signed-in browser of a page (a visitor goes to the login page) -> BrowserSession
    rule.form   the same for a POSTed form, after its CSRF token                -> BrowserSession

Each answers 403 to a caller whose role the rule does not name; a service that guards itself
asks the same rule (``rule.check``), and a template a named one (``may(user, "inbox")``).
Which rows a caller may then see is not decided here: the repositories' ``Scope``
(``Principal.scope``) filters every query, and stays the boundary. A new role touches the
model, its migration, the rules in the domains' ``auth.py`` and, for what it sees,
``Principal.scope`` (and its name in the i18n catalogue).
"""

from __future__ import annotations

from fastapi import Request

from service.auth.principal import Principal
from service.auth.service import BrowserSession
from service.deps import ApiCaller
from service.errors import Forbidden
from service.i18n import TEXTS
from service.pages import CheckedForm, PageSession, templates
from storage.models import Role

NAMED: dict[str, Allowed] = {}
"""The rules templates ask by name, e.g. for the links in the navigation."""


class Allowed:
    """The roles that may do one kind of act, and how a page or service says no."""

    def __init__(self, *roles: Role, refusal: str, name: str | None = None) -> None:
        assert refusal in TEXTS, f"refusal {refusal!r} is not in the catalogue"
        self.roles = frozenset(roles)
        self.refusal = refusal
        """The catalogue key of what a page or a service answers anyone else."""
        if name is not None:
            NAMED[name] = self

    def admits(self, principal: Principal) -> bool:
        """Whether ``principal``'s role may do this."""
        return principal.role in self.roles

    def check(self, principal: Principal) -> Principal:
        """``principal``, or the refusal as a 403 (in the reader's language on a page)."""
        if not self.admits(principal):
            raise Forbidden.said(self.refusal)
        return principal

    async def api(self, caller: ApiCaller) -> Principal:
        """The API's dependency; its refusal names the role, as API clients read it."""
        if not self.admits(caller):
            raise Forbidden(f"role '{caller.role}' may not do this")
        return caller

    async def page(self, request: Request, browser: PageSession) -> BrowserSession:
        """A page's dependency: the browser, if its user's role may."""
        self.check(browser.principal)
        return browser

    async def form(self, request: Request, browser: CheckedForm) -> BrowserSession:
        """A form's dependency: the browser after the CSRF check, if its user's role may."""
        self.check(browser.principal)
        return browser


def may(principal: Principal | None, name: str) -> bool:
    """For templates: whether the signed-in user may do what the rule ``name`` covers."""
    rule = NAMED.get(name)
    return principal is not None and rule is not None and rule.admits(principal)


templates.env.globals["may"] = may
