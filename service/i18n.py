"""Japanese first, English on request: the page texts and how a language is chosen."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request

LANGUAGES = ("ja", "en")
LANG_COOKIE = "juryo_lang"

TEXTS: dict[str, tuple[str, str]] = {
    # key: (Japanese, English)
    "app.name": ("受領 — 電子請求書受付", "juryo — e-invoice intake"),
    "nav.home": ("ホーム", "Home"),
    "nav.logout": ("ログアウト", "Sign out"),
    "nav.login": ("ログイン", "Sign in"),
    "login.title": ("ログイン", "Sign in"),
    "login.login": ("ログインID", "Login"),
    "login.password": ("パスワード", "Password"),
    "login.submit": ("ログイン", "Sign in"),
    "login.failed": (
        "ログインIDまたはパスワードが正しくありません。",
        "The login or the password is wrong.",
    ),
    "home.title": ("ようこそ", "Welcome"),
    "home.signed_in_as": ("ログイン中", "Signed in as"),
    "home.role": ("役割", "Role"),
    "home.departments": ("所属部署", "Departments"),
    "role.supplier": ("事業者", "Supplier"),
    "role.clerk": ("担当職員", "Clerk"),
    "role.accounting": ("会計課", "Accounting"),
    "role.auditor": ("監査", "Auditor"),
    "role.admin": ("管理者", "Administrator"),
    "error.title": ("エラー", "Error"),
    "error.back": ("戻る", "Back"),
    "lang.switch": ("English", "日本語"),
}


def language(request: Request) -> str:
    """``?lang=`` first, then the cookie, then Japanese."""
    for candidate in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if candidate in LANGUAGES:
            return candidate
    return "ja"


def translator(lang: str) -> Callable[[str], str]:
    """A ``t(key)`` function for templates."""

    def translate(key: str) -> str:
        ja, en = TEXTS.get(key, (key, key))
        return ja if lang == "ja" else en

    return translate
