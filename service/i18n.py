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
    # invoice pages (service/invoices/pages.py)
    "nav.invoices": ("請求書一覧", "Invoices"),
    "nav.upload": ("請求書の提出", "Submit invoices"),
    "nav.account": ("アカウント", "Account"),
    "nav.admin_suppliers": ("事業者の承認", "Supplier sign-ups"),
    "status.invalid": ("不備あり（受付不可）", "Invalid (not accepted)"),
    "status.pending": ("受付済み（確認待ち）", "Received, awaiting review"),
    "status.returned": ("差戻し", "Returned"),
    "status.rejected": ("不受理", "Rejected"),
    "status.approved": ("承認済み", "Approved"),
    "status.exported": ("支払手続中", "Sent for payment"),
    "status.paid": ("支払済み", "Paid"),
    "severity.fatal": ("エラー", "Error"),
    "severity.warning": ("警告", "Warning"),
    "severity.information": ("情報", "Information"),
    "upload.title": ("請求書の提出", "Submit invoices"),
    "upload.intro": (
        "電子請求書（XML：JP PINT・UBL・CII）またはPDFを選択してください。複数可。",
        "Choose e-invoices (XML: JP PINT, UBL, CII) or PDFs. Several at once are fine.",
    ),
    "upload.drop": (
        "ここにファイルをドラッグ&ドロップ、または下のボタンで選択",
        "Drop files here, or choose them below",
    ),
    "upload.files": ("ファイル", "Files"),
    "upload.submit": ("提出する", "Submit"),
    "upload.validate": ("検証のみ（保存しない）", "Validate only (nothing is stored)"),
    "upload.results": ("結果", "Results"),
    "upload.validated": ("検証結果（保存されていません）", "Validation (nothing was stored)"),
    "upload.accepted": ("受付けました", "Accepted"),
    "upload.not_accepted": ("受付できません", "Not accepted"),
    "upload.valid": ("問題ありません", "Acceptable"),
    "upload.again": ("同じファイルは受領済みです", "This file was received before"),
    "upload.no_files": ("ファイルが選択されていません。", "No file was chosen."),
    "upload.empty": ("ファイルが空です。", "The file is empty."),
    "upload.not_invoice": (
        "XMLでもPDFでもないファイルです。",
        "The file is neither XML nor PDF.",
    ),
    "upload.too_large": ("ファイルが大きすぎます。", "The file is too large."),
    "upload.open": ("詳細を見る", "Open"),
    "upload.needs_entry": (
        "PDFから読み取った内容です。請求書と照らし合わせて確認・修正し、登録してください。",
        "Read from the PDF: check against the invoice, correct if needed, and save.",
    ),
    "upload.not_approved": (
        "アカウントは承認待ちです。承認までは「検証のみ」をご利用いただけます。",
        "Your account awaits approval; until then use “Validate only”.",
    ),
    "entry.title": ("請求内容の入力", "Invoice data entry"),
    "entry.registration_number": ("登録番号", "Registration number"),
    "entry.invoice_number": ("請求書番号", "Invoice number"),
    "entry.issue_date": ("発行日", "Issue date"),
    "entry.total": ("請求金額（税込）", "Total (incl. tax)"),
    "entry.rate": ("税率", "Rate"),
    "entry.taxable": ("対象額（税抜）", "Taxable amount"),
    "entry.tax": ("消費税額", "Tax"),
    "entry.submit": ("登録する", "Save"),
    "entry.saved": ("入力内容を登録しました。", "The data entry was saved."),
    "entry.invalid": ("入力内容を確認してください", "Please check"),
    "list.title": ("請求書一覧", "Invoices"),
    "list.filter": ("絞り込み", "Filter"),
    "list.status_any": ("すべての状態", "Any status"),
    "list.status": ("状態", "Status"),
    "list.issue_date_from": ("発行日（から）", "Issued from"),
    "list.issue_date_to": ("発行日（まで）", "Issued until"),
    "list.amount_min": ("金額（以上）", "Amount from"),
    "list.amount_max": ("金額（以下）", "Amount up to"),
    "list.supplier": ("事業者（登録番号・名称）", "Supplier (number or name)"),
    "list.number": ("請求書番号", "Invoice number"),
    "list.search": ("検索", "Search"),
    "list.none": ("該当する請求書はありません。", "No invoices match."),
    "list.count": ("件", "invoices"),
    "list.prev": ("前へ", "Previous"),
    "list.next": ("次へ", "Next"),
    "list.issue_date": ("発行日", "Issue date"),
    "list.amount": ("金額", "Amount"),
    "list.department": ("担当部署", "Department"),
    "list.received_at": ("受領日時", "Received"),
    "list.supplier_col": ("事業者", "Supplier"),
    "list.bad_filter": ("検索条件の形式が正しくありません", "A filter value is malformed"),
    "detail.title": ("請求書", "Invoice"),
    "detail.seller": ("請求元（売手）", "Seller"),
    "detail.buyer": ("請求先（買手）", "Buyer"),
    "detail.name": ("名称", "Name"),
    "detail.registration": ("登録番号", "Registration number"),
    "detail.reg_valid": ("検査数字OK", "check digit valid"),
    "detail.reg_invalid": ("検査数字が不正", "check digit wrong"),
    "detail.address": ("住所", "Address"),
    "detail.contact": ("連絡先", "Contact"),
    "detail.lines": ("明細", "Lines"),
    "detail.item": ("品目", "Item"),
    "detail.quantity": ("数量", "Quantity"),
    "detail.price": ("単価", "Price"),
    "detail.net": ("金額", "Amount"),
    "detail.rate": ("税率", "Rate"),
    "detail.taxes": ("税率ごとの消費税", "Tax per rate"),
    "detail.taxable": ("対象額", "Taxable"),
    "detail.tax": ("消費税額", "Tax"),
    "detail.totals": ("合計", "Totals"),
    "detail.line_total": ("明細合計", "Line total"),
    "detail.tax_exclusive": ("税抜合計", "Total excl. tax"),
    "detail.tax_total": ("消費税合計", "Total tax"),
    "detail.tax_inclusive": ("税込合計", "Total incl. tax"),
    "detail.prepaid": ("前払額", "Prepaid"),
    "detail.payable": ("ご請求額", "Amount due"),
    "detail.payment": ("お支払方法", "Payment"),
    "detail.account": ("口座", "Account"),
    "detail.due_date": ("支払期日", "Due date"),
    "detail.number": ("請求書番号", "Invoice number"),
    "detail.issue_date": ("発行日", "Issue date"),
    "detail.status": ("状態", "Status"),
    "detail.format": ("形式", "Format"),
    "detail.received_at": ("受領日時", "Received"),
    "detail.department": ("担当部署", "Department"),
    "detail.buyer_reference": ("買手参照（部署コード）", "Buyer reference"),
    "detail.findings": ("検証結果", "Findings"),
    "detail.no_findings": ("指摘事項はありません。", "No findings."),
    "detail.history": ("履歴", "History"),
    "detail.at": ("日時", "When"),
    "detail.action": ("内容", "What"),
    "detail.actor": ("担当", "By"),
    "detail.reason": ("理由", "Reason"),
    "detail.data_entry": ("入力された請求内容", "Entered data"),
    "detail.guesses": ("PDFから読み取った値（未確認）", "Read from the PDF (unconfirmed)"),
    "detail.enter": ("請求内容を入力・修正する", "Enter or correct the data"),
    "detail.download": ("原本をダウンロード", "Download the original"),
    "action.invoice.receive": ("受領", "Received"),
    "action.invoice.data_entry": ("請求内容の入力", "Data entry"),
    # account pages (service/accounts/pages.py)
    "signup.title": ("事業者の利用登録", "Supplier sign-up"),
    "signup.intro": (
        "適格請求書発行事業者の登録番号で利用登録します。市の担当者が承認すると請求書を提出できます。",
        "Sign up with your qualified-invoice registration number. Once the city approves, "
        "you can submit invoices.",
    ),
    "signup.registration_number": ("登録番号（T+13桁）", "Registration number (T + 13 digits)"),
    "signup.company_name": ("事業者名", "Company name"),
    "signup.contact_email": ("連絡先メールアドレス", "Contact e-mail"),
    "signup.submit": ("登録を申請する", "Sign up"),
    "signup.done_title": ("申請を受け付けました", "Sign-up received"),
    "signup.done": (
        "市の承認をお待ちください。承認までの間も、ログインして請求書の検証（保存しない）はご利用いただけます。",
        "Please wait for the city's approval. Meanwhile you can sign in and validate "
        "invoices (nothing is stored).",
    ),
    "signup.link": ("事業者の利用登録はこちら", "New supplier? Sign up"),
    "admin.suppliers.title": ("承認待ちの事業者", "Pending supplier sign-ups"),
    "admin.suppliers.none": ("承認待ちの事業者はありません。", "No sign-ups are waiting."),
    "admin.suppliers.creditor_number": ("債権者番号", "Creditor number"),
    "admin.suppliers.department": ("既定の担当部署", "Default department"),
    "admin.suppliers.no_department": ("（指定なし）", "(none)"),
    "admin.suppliers.approve": ("承認する", "Approve"),
    "admin.suppliers.approved": ("承認しました", "Approved"),
    "admin.suppliers.signed_up": ("申請日時", "Signed up"),
    "account.title": ("アカウント", "Account"),
    "account.tokens": ("APIトークン", "API tokens"),
    "account.token_name": ("名前", "Name"),
    "account.created": ("作成日時", "Created"),
    "account.revoked": ("失効日時", "Revoked"),
    "account.revoke": ("失効させる", "Revoke"),
    "account.create_token": ("トークンを作成", "Create token"),
    "account.new_token": (
        "新しいトークンです。この画面でしか表示されません。安全な場所に控えてください。",
        "Your new token. It is shown only now: keep it somewhere safe.",
    ),
    "account.no_tokens": ("トークンはありません。", "No tokens."),
    "account.colleagues": ("同僚を追加", "Add a colleague"),
    "account.display_name": ("氏名", "Name"),
    "account.add_colleague": ("追加する", "Add"),
    "account.colleague_added": ("同僚を追加しました", "Colleague added"),
    "account.active": ("有効", "Active"),
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
