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
    "detail.paid_on": ("支払日", "Paid on"),
    "acct.overdue": (
        "支払期限超過（支払遅延防止法）",
        "Overdue (statutory payment deadline passed)",
    ),
    "acct.overdue_none": (
        "期限を過ぎた未払いの請求書はありません。",
        "No unpaid invoice is past its deadline.",
    ),
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
    "signup.password_short": (
        "パスワードは10文字以上にしてください。",
        "The password needs at least 10 characters.",
    ),
    "signup.have_account": ("アカウントをお持ちの方はログイン", "Have an account? Sign in"),
    "account.company_pending": ("承認待ち", "Awaiting approval"),
    "detail.not_found": ("請求書が見つかりません。", "No such invoice."),
    # clerk inbox, decisions, administration (service/inbox/pages.py, service/admin/pages.py)
    "nav.inbox": ("受付箱", "Inbox"),
    "nav.admin_departments": ("部署", "Departments"),
    "nav.admin_routing": ("発注台帳", "Purchase orders"),
    "nav.admin_users": ("利用者", "Users"),
    "action.invoice.approve": ("承認", "Approved"),
    "action.invoice.approve.first": ("承認（1人目）", "First approval"),
    "action.invoice.return": ("差戻し", "Returned"),
    "action.invoice.reject": ("不受理", "Rejected"),
    "action.invoice.forward": ("転送", "Forwarded"),
    "action.invoice.works": ("工事契約の設定変更", "Works setting changed"),
    "correct.returned_title": (
        "この請求書は差し戻されました",
        "This invoice was returned to you",
    ),
    "correct.file": ("訂正した請求書", "Corrected invoice"),
    "correct.submit": ("訂正した請求書を送る", "Send the corrected invoice"),
    "correct.received": (
        "訂正した請求書を受け付けました。差し戻された請求書",
        "The corrected invoice was received; it replaces invoice",
    ),
    "correct.replaces": ("差し戻された請求書の訂正版です:", "Corrects the returned invoice"),
    "inbox.title": ("受付箱（確認待ちの請求書）", "Inbox (invoices awaiting review)"),
    "inbox.none": ("確認待ちの請求書はありません。", "No invoices are waiting."),
    "inbox.all_departments": ("すべての担当部署", "All my departments"),
    "inbox.department": ("部署", "Department"),
    "inbox.supplier": ("事業者（登録番号・名称）", "Supplier (number or name)"),
    "inbox.filter": ("絞り込む", "Filter"),
    "inbox.days_left": ("支払期限まで", "Days left"),
    "inbox.days": ("日", "days"),
    "inbox.overdue": ("期限超過", "overdue"),
    "inbox.due_soon": ("期限間近", "due soon"),
    "inbox.amount": ("金額", "Amount"),
    "inbox.supplier_col": ("事業者", "Supplier"),
    "inbox.number": ("請求書番号", "Invoice number"),
    "inbox.received": ("受領日時", "Received"),
    "inbox.approvals": ("承認", "Approvals"),
    "inbox.needs_entry": ("要入力", "needs data entry"),
    "inbox.open": ("確認する", "Review"),
    "inbox.count": ("件", "invoices"),
    "decide.back": ("受付箱へ戻る", "Back to the inbox"),
    "decide.days_left": ("残り日数", "Days left"),
    "decide.works": ("工事契約（40日）", "Construction works (40 days)"),
    "decide.works_inherit": ("部署の設定に従う", "As the department"),
    "decide.works_yes": ("工事契約（40日）", "Works (40 days)"),
    "decide.works_no": ("通常（30日）", "Ordinary (30 days)"),
    "decide.works_save": ("変更する", "Change"),
    "decide.routing": ("配付の理由", "Why this inbox"),
    "decide.approvals": ("承認状況", "Approvals"),
    "decide.approvals_of": ("（承認済み・必要数）", "(given / needed)"),
    "decide.no_approvals": ("まだ承認はありません。", "No approvals yet."),
    "decide.you": ("あなた", "you"),
    "decide.on_behalf": ("代理", "on behalf of"),
    "decide.decision": ("判断", "Decision"),
    "decide.comment": (
        "コメント（任意・市の職員のみ閲覧、事業者には表示されません）",
        "Comment (optional; city staff only, never shown to the supplier)",
    ),
    "decide.reason": (
        "理由（必須・事業者に送られます）",
        "Reason (required; sent to the supplier)",
    ),
    "decide.approve": ("承認する", "Approve"),
    "decide.return": ("差し戻す", "Return to supplier"),
    "decide.reject": ("不受理とする", "Reject"),
    "decide.reject_confirm": (
        "この請求書を不受理とします。よろしいですか？",
        "Reject this invoice for good?",
    ),
    "decide.forward": ("転送する", "Forward"),
    "decide.forward_to": ("転送先の部署", "Forward to"),
    "decide.reason_required": ("理由を入力してください。", "Please give a reason."),
    "decide.stale": (
        "この請求書は他の操作で変更されました。再読み込みしてから判断してください。",
        "The invoice was changed meanwhile. Reload the page and decide again.",
    ),
    "decide.reload": ("再読み込み", "Reload"),
    "decide.not_pending": ("この請求書は確認待ちではありません。", "This invoice is not pending."),
    "decide.needs_entry": (
        "請求データのない、または不完全な請求書です（PDFのみ、Factur-X MINIMUM / BASIC WL）。"
        "承認の前に請求内容を入力・確認してください。",
        "No complete invoice data (a plain PDF, or Factur-X MINIMUM / BASIC WL): enter or "
        "confirm its data before approving.",
    ),
    "decide.done.approved": ("承認しました。", "Approved."),
    "decide.done.first approval": (
        "承認しました（1人目）。もう1人の承認が必要です。",
        "Approved (first of two). A second clerk must approve.",
    ),
    "decide.done.returned": ("事業者に差し戻しました。", "Returned to the supplier."),
    "decide.done.rejected": ("不受理としました。", "Rejected."),
    "decide.done.forwarded": ("転送しました。", "Forwarded."),
    "decide.done.works": ("工事契約の設定を変更しました。", "The works setting was changed."),
    "admin.departments.title": ("部署の管理", "Departments"),
    "admin.code": ("部署コード", "Code"),
    "admin.name": ("名称", "Name"),
    "admin.threshold": ("2人承認の基準額（円）", "Two-approval threshold (JPY)"),
    "admin.works": ("工事契約（40日）", "Works (40 days)"),
    "admin.aliases": ("別名（買手参照）", "Aliases (buyer reference)"),
    "admin.alias": ("別名", "Alias"),
    "admin.add_alias": ("別名を追加", "Add alias"),
    "admin.remove": ("削除", "Remove"),
    "admin.save": ("保存", "Save"),
    "admin.create": ("作成", "Create"),
    "admin.new_department": ("部署を追加", "Add a department"),
    "admin.saved": ("保存しました。", "Saved."),
    "admin.routing.title": ("発注台帳（注文番号→部署）", "Purchase-order register"),
    "admin.routing.intro": (
        "CSV（UTF-8、1行に「注文番号,部署コード」、見出し行 po_number,department_code は任意）。"
        "すべての行が正しい場合のみ登録されます。",
        "CSV (UTF-8, one 'po_number,department_code' per line, header optional). "
        "Rows are loaded only if every row is valid.",
    ),
    "admin.routing.file": ("CSVファイル", "CSV file"),
    "admin.routing.import": ("取り込む", "Import"),
    "admin.routing.imported": ("件を取り込みました。", "rows were imported."),
    "admin.routing.errors": ("取り込めませんでした", "Nothing was imported"),
    "admin.routing.po_number": ("注文番号", "Order number"),
    "admin.routing.first": ("先頭200件を表示しています。", "Showing the first 200 entries."),
    "admin.routing.none": ("登録はありません。", "The register is empty."),
    "admin.users.title": ("利用者の管理", "Users"),
    "admin.users.login": ("ログインID", "Login"),
    "admin.users.display_name": ("氏名", "Name"),
    "admin.users.role": ("役割", "Role"),
    "admin.users.departments": ("部署（担当職員のみ）", "Departments (clerks only)"),
    "admin.users.supplier": (
        "事業者の登録番号（事業者のみ）",
        "Supplier T-number (suppliers only)",
    ),
    "admin.users.password": ("パスワード（10文字以上）", "Password (10+ characters)"),
    "admin.users.active": ("有効", "Active"),
    "admin.users.new": ("利用者を追加", "Add a user"),
    "admin.users.created": (
        "利用者を作成しました。APIトークンはこの画面でしか表示されません:",
        "The user was created. Its API token is shown only now:",
    ),
    "admin.forbidden": ("管理者だけが利用できます。", "Only administrators may use this page."),
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


ACTION_PREFIX = "action."


def named(key: str, raw: str, lang: str) -> str:
    """The catalogue's name for a stored word (an action, a role), or the word if it names none."""
    return translator(lang)(key) if key in TEXTS else raw


def action_label(action: str, lang: str) -> str:
    """A raw audit action (``batch.create``) as the catalogue names it, else as stored."""
    return named(ACTION_PREFIX + action, action, lang)


# accounting: batches, transfer files, creditors' accounts (service/accounting/pages.py)
TEXTS.update(
    {
        "nav.accounting": ("支払処理", "Payments"),
        "nav.creditors": ("振込先口座", "Creditor accounts"),
        "list.department_any": ("すべての部署", "Any department"),
        "list.csv": ("検索結果をCSVでダウンロード", "Download the results as CSV"),
        "acct.title": ("支払処理（承認済みの請求書）", "Payments (approved invoices)"),
        "acct.queue": ("支払待ちの請求書", "Approved, waiting for payment"),
        "acct.queue_none": ("支払待ちの請求書はありません。", "No approved invoice is waiting."),
        "acct.no_account": ("振込先口座が未登録", "no bank account"),
        "acct.not_jpy": ("円建てではありません", "not in JPY"),
        "acct.no_amount": ("金額がありません", "no amount"),
        "acct.credit_note": ("適格返還請求書（相殺）", "credit note (offset)"),
        "acct.create": ("支払バッチの作成", "Create a payment batch"),
        "acct.payment_date": ("支払日", "Payment date"),
        "acct.create_submit": ("バッチを作成する", "Create batch"),
        "acct.batches": ("支払バッチ", "Payment batches"),
        "acct.batches_none": ("バッチはまだありません。", "No batches yet."),
        "acct.batch": ("支払バッチ", "Payment batch"),
        "acct.count": ("件数", "Invoices"),
        "acct.total": ("合計金額", "Total"),
        "acct.status": ("状態", "Status"),
        "acct.paid_on": ("支払済日", "Paid on"),
        "acct.created_at": ("作成日時", "Created"),
        "acct.downloads": ("ダウンロード", "Downloads"),
        "acct.zengin": ("全銀協フォーマット（総合振込）", "Zengin transfer file"),
        "acct.mark_paid": ("支払済みにする", "Mark as paid"),
        "acct.cancel": ("バッチを取り消す（承認済みに戻す）", "Cancel batch (back to approved)"),
        "acct.excluded": (
            "次の承認済み請求書は振込できないため、バッチに含めていません",
            "These approved invoices cannot be paid by transfer and were left out",
        ),
        "acct.more": ("ほか", "and more"),
        "batch.open": ("支払手続中", "Open"),
        "batch.paid": ("支払済み", "Paid"),
        "batch.cancelled": ("取消済み", "Cancelled"),
        "cred.title": ("振込先口座（債権者）", "Creditor bank accounts"),
        "cred.bank": ("銀行番号", "Bank code"),
        "cred.branch": ("支店番号", "Branch code"),
        "cred.type": ("預金種目", "Account type"),
        "cred.number": ("口座番号", "Account number"),
        "cred.holder": ("口座名義（カナ）", "Account holder (kana)"),
        "cred.save": ("保存", "Save"),
        "cred.saved": ("口座を保存しました。", "The account was saved."),
        "cred.none": ("未登録", "not set"),
    }
)

# Approvals of the amounts shown, and comments that stay internal (issue 12).
TEXTS.update(
    {
        "decide.highest": ("表示された最高額", "Highest amount shown"),
        "decide.highest_hint": (
            "（書類・事業者の入力・職員の入力のうち最も高い金額。2名承認の要否はこの金額で判断します）",
            "(the highest of the document, the supplier's and the clerks' entries: it decides "
            "whether two approvals are needed)",
        ),
        "decide.other_clerk": (
            "入力された合計額が書類と異なります。入力した職員だけでは承認できず、別の職員の承認が必要です。入力者:",
            "The entered total differs from the document: the clerk who entered it cannot be "
            "the only approver; another clerk must approve. Entered by",
        ),
        "decide.voided": (
            "金額等の変更により無効（再承認が必要）",
            "voided by a change of the amounts (approve again)",
        ),
        "detail.internal": ("市の職員のみ", "city staff only"),
        "entry.voids_approvals": (
            "保存すると金額等の変更となり、それまでに行われた承認は無効になります（改めて承認が必要です）。",
            "Saving changes the amounts: approvals given before no longer count and must be "
            "given again.",
        ),
    }
)

TEXTS.update(
    {
        "login.throttled": (
            "ログインの失敗が続いたため、しばらく受け付けません。時間をおいて試すか、"
            "管理者にロックの解除を依頼してください。",
            "Too many failed sign-ins: wait a while and try again, or ask an administrator "
            "to unlock the login.",
        ),
        "account.login_invalid": (
            "ログインIDは3〜120文字の半角英数字と . _ @ - で入力してください。",
            "A login is 3 to 120 characters: ASCII letters, digits and . _ @ -",
        ),
        "account.email_invalid": (
            "メールアドレスの形式が正しくありません。",
            "The e-mail address is not valid.",
        ),
        "form.too_large": (
            "送信された内容が上限（{limit} バイト）を超えています。"
            "ファイルは分けて送ってください。",
            "What was sent is larger than the limit of {limit} bytes: send files separately.",
        ),
        "account.login_taken": (
            "このログインIDは使われています（大文字・小文字や全角・半角の違いは区別しません）。",
            "This login is taken (logins differ by more than case or width).",
        ),
    }
)

# a database lock not had in time (service/errors.py)
TEXTS.update(
    {
        "error.database_busy": (
            "ただいま混み合っています。数秒後にもう一度お試しください。",
            "The database is busy. Please try again in a few seconds.",
        ),
    }
)

# one invoice per supplier + number + issue date (issue #12): payment batches, payment day
TEXTS.update(
    {
        "acct.duplicate_number": (
            "同じ請求書番号・発行日の請求書が支払済みか支払手続中です（二重払い防止）",
            "the same invoice number and issue date is already paid or in a batch "
            "(no double payment)",
        ),
        "acct.paid_before_batch": (
            "支払日 {paid_on} は、このバッチの作成日（{made_on}）より前です。",
            "The payment day {paid_on} is before the day the batch was made ({made_on}).",
        ),
    }
)

# juryo's own rules (JP-JURYO-*, JURYO-INTAKE-*) flag an invoice for the clerk (issue #13)
TEXTS.update(
    {
        "flag.badge": ("要確認", "Check"),
        "flag.hint": (
            "受領独自の確認で指摘あり（公式ルールでは受付可）",
            "flagged by juryo's own checks (accepted by the official rules)",
        ),
        "flag.detail": (
            "公式ルールでは受付可能ですが、受領独自の確認で次の点が指摘されています。"
            "内容を確かめてから判断してください。",
            "The official rules accept this invoice, but juryo's own checks point at the "
            "following. Check them before you decide.",
        ),
    }
)

# Sign-up review: one registration number per company, rejection with a reason (issue #15)
TEXTS.update(
    {
        "signup.number_taken": (
            "登録番号 {number} には既にアカウント「{name}」（{state}）があります。"
            "同じ事業者の方は、そのアカウントの方に同僚として追加してもらってください。",
            "The registration number {number} already has an account: “{name}” ({state}). "
            "If you work there, ask a colleague on that account to add you.",
        ),
        "supplier.state.pending": ("承認待ち", "pending approval"),
        "supplier.state.approved": ("承認済み", "approved"),
        "supplier.state.rejected": ("却下", "rejected"),
        "admin.suppliers.reject": ("却下する", "Reject"),
        "admin.suppliers.reject_reason": ("却下の理由", "Reason for rejecting"),
        "admin.suppliers.rejected": ("却下しました", "Rejected"),
        "admin.suppliers.reason_empty": (
            "却下の理由を入力してください（申請者に表示されます）。",
            "Give a reason for rejecting (the applicant will read it).",
        ),
        "admin.suppliers.not_pending": (
            "登録番号 {number} の申請は承認待ちではありません（{state}）。",
            "The sign-up for {number} is not pending ({state}).",
        ),
        "account.rejected": (
            "利用登録の申請は却下されました。理由：{reason}",
            "Your sign-up was rejected. Reason: {reason}",
        ),
        "upload.rejected": (
            "利用登録の申請は却下されたため、請求書は提出できません。理由はアカウントのページにあります。",
            "Your sign-up was rejected, so you cannot submit invoices. The reason is on your "
            "account page.",
        ),
        "upload.submit_unavailable": (
            "請求書の提出は、アカウントが承認されてからできます。申請の状況はアカウントのページで確認できます。",
            "You can submit invoices once your account is approved. Your account page shows "
            "where your sign-up stands.",
        ),
    }
)

# corrections, two approvals, the two dates, confirming entered data (issue #15)
TEXTS.update(
    {
        "status.replaced": ("訂正版に差替え済み", "Replaced by a correction"),
        "correct.replaced_title": (
            "この請求書は訂正版に差し替えられました",
            "This invoice was replaced by its correction",
        ),
        "correct.replaced_by": ("訂正した請求書:", "Replaced by"),
        "decide.waiting_second": (
            "あなたは承認済みです。別の職員による2人目の承認を待っています。",
            "You have approved this invoice. It is waiting for a second clerk's approval.",
        ),
        "deadline.statutory": (
            "法定支払期限（受領日から起算）",
            "Statutory payment deadline (from receipt)",
        ),
        "deadline.statutory_hint": (
            "支払遅延防止法により市が支払うべき最終日（受領から30日、工事は40日。差戻し中の日数は含みません）",
            "the last day the city may pay under the Prompt Payment Act: 30 days from receipt "
            "(40 for works), not counting days the invoice was returned",
        ),
        "deadline.due_date": (
            "請求書記載の支払期日",
            "Due date stated on the invoice",
        ),
        "deadline.no_due_date": ("記載なし", "not stated"),
        "deadline.days_left": ("残り{days}日", "{days} days left"),
        "deadline.overdue_days": ("{days}日超過", "{days} days overdue"),
        "acct.due_before": (
            "請求書記載の支払期日（記載がなければ法定支払期限）がこの日まで",
            "Due on or before (the invoice's due date, else the statutory deadline)",
        ),
        "entry.confirm": ("入力内容を確認済みにする", "Confirm the entered data"),
        "entry.confirm_hint": (
            "事業者が入力した内容をそのまま確認します（変更する場合は入力画面で修正してください）",
            "confirms what the supplier entered, unchanged (to change it, use the data entry)",
        ),
        "entry.confirm_instead": (
            "入力内容に誤りがなければ、保存し直さずに確認済みにできます。",
            "If the entered data is right, confirm it instead of saving it again.",
        ),
        "entry.confirmed": (
            "入力内容を確認済みにしました。承認できます。",
            "The entered data was confirmed; the invoice may now be approved.",
        ),
        "entry.back_to_decision": ("確認画面へ戻る", "Back to the decision"),
        "decide.done.entered": ("入力内容を登録しました。", "The data entry was saved."),
        "decide.done.confirmed": (
            "入力内容を確認済みにしました。承認できます。",
            "The entered data was confirmed; the invoice may now be approved.",
        ),
        "action.invoice.data_confirm": ("入力内容の確認", "Entered data confirmed"),
    }
)
# issue #15: the triage inbox, every inbox for administrators, batches from chosen invoices
TEXTS.update(
    {
        "dept.triage": ("振分け（会計課）", "Triage (central accounting)"),
        "action.invoice.reassign": ("管理者による付け替え", "Reassigned by an administrator"),
        "inboxes.title": ("各部署の受付箱", "Every inbox"),
        "inboxes.intro": (
            "どの部署の受付箱に何件の請求書が待っているかを示します。"
            "部署を開くと、請求書を別の部署に付け替えられます。",
            "How many invoices wait in each department's inbox. Open one to move an invoice "
            "to another department.",
        ),
        "inboxes.pending": ("処理待ち", "Pending"),
        "inboxes.of": ("受付箱:", "Inbox:"),
        "inboxes.reassign": ("付け替え", "Reassign"),
        "inboxes.to": ("付け替え先", "To"),
        "inboxes.comment": ("理由（任意）", "Reason (optional)"),
        "decide.done.reassigned": ("請求書を付け替えました。", "The invoice was reassigned."),
        "acct.choose": ("選択", "Choose"),
        "acct.choose_invoice": ("請求書 {number} を選ぶ", "Choose invoice {number}"),
        "acct.create_chosen": (
            "選択した請求書で支払バッチを作成",
            "Make a batch of the chosen invoices",
        ),
        "acct.create_chosen_hint": (
            "一覧で選んだ請求書だけをバッチに入れます。",
            "Only the invoices you chose in the list go into the batch.",
        ),
        "acct.none_chosen": ("請求書を1件以上選んでください。", "Choose at least one invoice."),
        "acct.cancel_confirm": (
            "このバッチを取り消し、{count} 件の請求書を支払待ちに戻すことを確認しました",
            "I confirm: cancel this batch and put its {count} invoice(s) back in the queue",
        ),
        "acct.cancel_unconfirmed": (
            "取り消す前に、確認のチェックを入れてください。",
            "Tick the confirmation before you cancel the batch.",
        ),
    }
)

# navigation, home to-do counts, the admin index and the audit log viewer (issue #15)
TEXTS.update(
    {
        "login.no_account": (
            "アカウントをお持ちでない事業者の方は",
            "A supplier without an account?",
        ),
        "login.signup": ("利用登録へ", "Sign up"),
        "nav.admin": ("管理メニュー", "Administration"),
        "nav.audit": ("監査ログ", "Audit log"),
        "todo.title": ("対応が必要なもの", "Waiting for you"),
        "todo.count": ("{count}件", "{count}"),
        "todo.pending": ("承認待ちの請求書", "Invoices waiting for a decision"),
        "todo.due_soon": ("支払期限が近い請求書", "Payment deadline within a week"),
        "todo.overdue": ("支払期限を過ぎた未払の請求書", "Unpaid past the payment deadline"),
        "todo.returned": ("差し戻された請求書", "Returned invoices to correct"),
        "todo.awaiting_entry": ("請求内容の入力待ち", "Waiting for data entry"),
        "todo.approved": ("承認済みで支払バッチ未作成", "Approved, in no batch yet"),
        "todo.signups": ("承認待ちの利用登録", "Sign-ups waiting for approval"),
        "admin.index.title": ("管理メニュー", "Administration"),
        "admin.index.departments": (
            "部署、承認の上限額、工事契約の設定と別名",
            "departments, approval thresholds, works setting and aliases",
        ),
        "admin.index.routing": (
            "発注番号から部署への振り分け（CSV取込）",
            "routing by purchase-order number (CSV import)",
        ),
        "admin.index.users": ("利用者の追加と一覧", "adding and listing users"),
        "admin.index.suppliers": ("事業者の利用登録の承認", "approving suppliers' sign-ups"),
        "admin.index.audit": (
            "操作の記録と改ざん検査の結果",
            "who did what, and whether the log is intact",
        ),
        "audit.forbidden": (
            "監査ログは監査担当と管理者だけが閲覧できます。",
            "Only auditors and administrators may read the audit log.",
        ),
        "audit.title": ("監査ログ", "Audit log"),
        "audit.state": ("改ざん検査（juryo audit verify）", "Integrity (juryo audit verify)"),
        "audit.intact": (
            "ハッシュチェーンは完全です（{events}件）。",
            "The hash chain is intact ({events} events).",
        ),
        "audit.anchors_match": (
            "外部に保管したアンカー{anchors}件とも一致しています。",
            "All {anchors} anchors stored outside the database match.",
        ),
        "audit.newest_anchor": (
            "最新のアンカーはイベント{event}まで。",
            "The newest anchor covers event {event}.",
        ),
        "audit.unanchored": (
            "アンカーが設定されていません（JURYO_AUDIT_KEY 未設定）。"
            "データベースに書き込める者はチェーンを作り直せます。",
            "Anchors are not configured (JURYO_AUDIT_KEY unset): whoever can write the database "
            "can rebuild the chain.",
        ),
        "audit.broken": (
            "監査ログが改ざんされているか、欠けています。次の点を確認してください。",
            "The audit log has been altered or cut short. Check the following.",
        ),
        "audit.at_event": ("イベント{event}:", "At event {event}:"),
        "audit.walked_at": (
            "全件の検査: {at}（以降の追加分は表示のたびに検査）",
            "Whole chain walked at {at} (events added since are checked at every view)",
        ),
        "audit.filter": ("絞り込み", "Filter"),
        "audit.invoice": ("請求書番号（受付ID）", "Invoice id"),
        "audit.actor": ("操作者のログインID", "Actor's login"),
        "audit.action": ("操作", "Action"),
        "audit.any_action": ("すべての操作", "Any action"),
        "audit.date_from": ("日付（から、日本時間）", "From (Tokyo date)"),
        "audit.date_to": ("日付（まで、日本時間）", "To (Tokyo date)"),
        "audit.search": ("表示", "Show"),
        "audit.total": ("該当 {total}件", "{total} matching"),
        "audit.caption": ("監査ログ（新しい順）", "Audit events, newest first"),
        "audit.subject": ("対象", "Subject"),
        "audit.none": ("該当する記録はありません。", "No events match."),
        "audit.pages": ("ページ", "Pages"),
        "audit.previous": ("前へ", "Previous"),
        "audit.next": ("次へ", "Next"),
        "audit.bad_date": (
            "「{value}」は日付ではありません（例: 2026-11-29）。",
            "'{value}' is not a date (for example 2026-11-29).",
        ),
        "audit.entity.invoice": ("請求書", "Invoice"),
        "audit.entity.batch": ("支払バッチ", "Batch"),
        "audit.entity.department": ("部署", "Department"),
        "audit.entity.purchase_orders": ("発注台帳", "Purchase orders"),
        "audit.entity.supplier": ("事業者", "Supplier"),
        "audit.entity.user": ("利用者", "User"),
        "role.system": ("システム", "System"),
        "action.auth.login_failed": ("ログイン失敗", "Failed sign-in"),
        "action.user.add": ("利用者の追加", "User added"),
        "action.user.unlock": ("ログイン制限の解除", "Sign-in lockout lifted"),
        "action.token.create": ("APIトークンの発行", "API token issued"),
        "action.token.revoke": ("APIトークンの失効", "API token revoked"),
        "action.supplier.add": ("事業者の登録", "Supplier added"),
        "action.supplier.signup": ("事業者の利用登録", "Supplier sign-up"),
        "action.supplier.approve": ("利用登録の承認", "Sign-up approved"),
        "action.supplier.bank_account": ("振込先口座の変更", "Bank account changed"),
        "action.department.add": ("部署の追加", "Department added"),
        "action.department.update": ("部署の変更", "Department changed"),
        "action.routing.alias.add": ("部署の別名の追加", "Department alias added"),
        "action.routing.alias.remove": ("部署の別名の削除", "Department alias removed"),
        "action.routing.purchase_orders.import": ("発注台帳の取込", "Purchase orders imported"),
        "action.batch.create": ("支払バッチの作成", "Payment batch created"),
        "action.batch.cancel": ("支払バッチの取消", "Payment batch cancelled"),
        "action.batch.paid": ("支払済みの記録", "Recorded as paid"),
        "action.supplier.reject": ("利用申請の却下", "Sign-up rejected"),
    }
)

TEXTS.update(
    {
        "statistics.refused": (
            "統計は会計課・監査・管理者と職員（担当部署のみ）が閲覧できます。",
            "Only accounting, auditors, administrators and clerks (their departments) "
            "see statistics.",
        ),
        "nav.statistics": ("統計", "Statistics"),
        "stats.title": ("請求書受領の月次統計", "Monthly invoice statistics"),
        "stats.pick": ("月と部署を選ぶ", "Choose month and department"),
        "stats.month": ("月", "Month"),
        "stats.department": ("部署", "Department"),
        "stats.all_departments": ("全部署", "All departments"),
        "stats.my_departments": ("担当の全部署", "All my departments"),
        "stats.show": ("表示", "Show"),
        "stats.compared": (
            "前年同月（{month}）と比較しています。",
            "Compared with the same month a year earlier ({month}).",
        ),
        "stats.download": ("オープンデータ", "Open data"),
        "stats.download_note": (
            "個人情報・事業者名・登録番号を含まず、少数のセルは秘匿",
            "no personal data, supplier names or registration numbers; small cells suppressed",
        ),
        "stats.volume": ("受領件数", "Invoices received"),
        "stats.headline": (
            "主な指標（当月と前年同月）",
            "Headline figures (this month and a year earlier)",
        ),
        "stats.measure": ("指標", "Measure"),
        "stats.received": ("受領", "Received"),
        "stats.structured": (
            "構造化データの割合（残りは入力が必要なPDF）",
            "Structured share (the rest are PDFs needing data entry)",
        ),
        "stats.refused": ("受付時に不受理", "Refused at intake"),
        "stats.corrected": ("差戻し後に訂正版が届いた割合", "Returned and then corrected"),
        "stats.resent": (
            "不受理の後に同じ番号で再送された割合",
            "Refused and then resent (same number)",
        ),
        "stats.on_time": ("法定期限内の支払", "Paid within the statutory deadline"),
        "stats.paid_late": ("期限後の支払件数", "Paid after the deadline"),
        "stats.overdue_days": (
            "遅延日数（中央値 / 90パーセンタイル）",
            "Days overdue (median / 90th percentile)",
        ),
        "stats.now": (
            "現在（東京の今日）: 期限超過の未払 {overdue} 件、7日以内に期限の未払 {at_risk} 件。",
            "Now (Tokyo's today): {overdue} unpaid past the deadline, "
            "{at_risk} unpaid due within 7 days.",
        ),
        "stats.by_channel": ("受付経路別の件数", "Invoices by channel"),
        "stats.channel": ("経路", "Channel"),
        "stats.invoices": ("件数", "Invoices"),
        "stats.by_format": ("形式・プロファイル別の件数", "Invoices by format and profile"),
        "stats.format": ("形式/プロファイル", "Format/profile"),
        "stats.see_table": ("数値は次の表にあります", "the numbers are in the table below"),
        "stats.refusals": ("不受理の理由", "Why invoices were refused"),
        "stats.top_rules": ("不受理の多いルール", "Rules that refused most"),
        "stats.rule": ("ルール", "Rule"),
        "stats.message": ("メッセージ", "Message"),
        "stats.none": ("該当なし", "None"),
        "stats.lead_times": ("処理日数", "Lead times"),
        "stats.lead_chart": ("各段階の日数（中央値）", "Days per step (median)"),
        "stats.lead_caption": (
            "各段階の日数（当月に終わった段階）",
            "Days per step (steps that ended this month)",
        ),
        "stats.step": ("段階", "Step"),
        "stats.count": ("件数", "Count"),
        "stats.median": ("中央値（日）", "Median (days)"),
        "stats.p90": ("90パーセンタイル（日）", "90th percentile (days)"),
        "stats.percentile_note": (
            "パーセンタイルは最近順位法: 昇順で ceil(p*n/100) 番目の値（偶数件の中央値は下側）。",
            "Percentiles are nearest-rank: the value at rank ceil(p*n/100) in ascending order "
            "(the lower middle for an even count).",
        ),
        "stats.law": ("支払遅延防止法", "The payment law"),
        "stats.on_time_by_department": ("部署別の期限内支払の割合", "Paid on time, by department"),
        "stats.paid": ("支払件数", "Paid"),
        "stats.workload": ("業務量", "Workload"),
        "stats.aggregates_only": (
            "集計値のみを示します。職員個人の名前や順位は表示しません。",
            "Aggregates only: no named staff and no ranking of staff.",
        ),
        "stats.clerks": (
            "承認した職員 {clerks} 人、1人あたり承認件数の"
            "中央値 {median}、90パーセンタイル {p90}。",
            "{clerks} clerks approved; approvals per clerk: "
            "median {median}, 90th percentile {p90}.",
        ),
        "stats.workload_by_department": ("部署別の業務量", "Workload by department"),
        "stats.decided": ("初回判断", "First decisions"),
        "stats.clerk_count": ("担当職員数", "Clerks"),
        "stats.per_clerk": ("職員1人あたり受領件数", "Invoices per clerk"),
        "stats.routing": (
            "振分けの結果（振分け品質）",
            "Where routing placed invoices (routing quality)",
        ),
        "stats.key.api": ("API", "API"),
        "stats.key.page": ("アップロード画面", "Upload page"),
        "stats.key.web_form": ("Webフォーム", "Web form"),
        "stats.key.peppol": ("アクセスポイント（Peppol）", "Access point (Peppol)"),
        "stats.key.email": ("電子メール", "E-mail"),
        "stats.key.bulk": ("一括", "Bulk"),
        "stats.key.unrecorded": ("記録なし", "Not recorded"),
        "stats.key.received_to_decision": ("受領→初回判断", "Received → first decision"),
        "stats.key.received_to_approved": ("受領→承認", "Received → approved"),
        "stats.key.approved_to_batched": ("承認→支払バッチ", "Approved → batched"),
        "stats.key.batched_to_paid_days": ("支払バッチ→支払", "Batched → paid"),
        "stats.key.returned_to_corrected": ("差戻し中（事業者側）", "Returned to the supplier"),
        "stats.key.refused_to_resent": ("不受理→再送", "Refused → resent"),
        "stats.key.buyer_reference": ("買手参照（BT-10）", "Buyer reference (BT-10)"),
        "stats.key.purchase_order": ("発注番号（BT-13）", "Purchase order (BT-13)"),
        "stats.key.supplier_default": ("事業者の既定部署", "Supplier's default department"),
        "stats.key.triage": ("振分け（会計課）に残留", "Still in triage"),
        "stats.key.forwarded": ("回付された", "Forwarded"),
    }
)
