"""Japanese first, English on request: the page texts and how a language is chosen."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

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
    "entry.nothing_to_confirm": (
        "請求書 {invoice_id} には確認待ちの入力内容がありません。",
        "Invoice {invoice_id} has no entered data awaiting confirmation.",
    ),
    "entry.nothing_entered": (
        "まだ何も入力されていません。確認ではなく、請求内容を入力してください。",
        "Nothing was entered yet: enter the data instead of confirming it.",
    ),
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
    # --- the invoice form (service.compose) and the supplier's copy ---
    "nav.compose": ("請求書の作成", "Write an invoice"),
    "compose.title": ("請求書の作成", "Write an invoice"),
    "compose.credit_title": ("返品・値引（クレジットノート）の作成", "Write a credit note"),
    "compose.document": ("請求書", "Invoice"),
    "compose.number": ("請求書番号", "Invoice number"),
    "compose.issue_date": ("発行日", "Issue date"),
    "compose.due_date": ("支払期日", "Payment due date"),
    "compose.delivery_date": ("納品日", "Delivery date"),
    "compose.period_start": ("対象期間（開始）", "Period from"),
    "compose.period_end": ("対象期間（終了）", "Period to"),
    "compose.payment_terms": ("支払条件", "Payment terms"),
    "compose.note": ("備考", "Note"),
    "compose.preceding": ("元の請求書番号", "Invoice corrected"),
    "compose.preceding_date": ("元の請求書の発行日", "Its issue date"),
    "compose.buyer": ("宛先（市）", "Buyer (the city)"),
    "compose.department": ("部署コード", "Department code"),
    "compose.purchase_order": ("注文番号", "Purchase order number"),
    "compose.department_hint": (
        "部署は一覧から検索して選ぶか、注文番号だけを入力してください（発注台帳から部署を探します）。",
        "Pick the department from the list (type to search), or give only the purchase order "
        "number: the register names the department.",
    ),
    "compose.lines": ("明細", "Lines"),
    "compose.line.description": ("品名・内容", "Description"),
    "compose.line.quantity": ("数量", "Quantity"),
    "compose.line.unit": ("単位", "Unit"),
    "compose.line.unit_price": ("単価（税抜・円）", "Unit price (net, yen)"),
    "compose.line.tax": ("税率", "Tax rate"),
    "compose.line.allowance": ("値引（円）", "Discount (yen)"),
    "compose.line.amount": ("金額（税抜）", "Amount (net)"),
    "compose.tax.standard": ("10%（標準税率）", "10 % (standard)"),
    "compose.tax.reduced": ("8%（軽減税率）", "8 % (reduced)"),
    "compose.tax.exempt": ("非課税", "Exempt"),
    "compose.tax.out_of_scope": ("不課税", "Out of scope"),
    "compose.add_line": ("明細を追加", "Add a line"),
    "compose.totals": ("税率ごとの合計", "Totals per tax rate"),
    "compose.taxable": ("対象額（税抜）", "Taxable amount"),
    "compose.tax_amount": ("消費税額", "Tax"),
    "compose.net_total": ("税抜合計", "Net total"),
    "compose.tax_total": ("消費税合計", "Tax total"),
    "compose.payable": ("請求金額", "Amount due"),
    "compose.rounding": ("端数処理（税率ごとに1回）", "Rounding (once per tax rate)"),
    "compose.rounding.down": ("切り捨て", "Round down"),
    "compose.rounding.half_up": ("四捨五入", "Round half up"),
    "compose.rounding.up": ("切り上げ", "Round up"),
    "compose.rounding_hint": (
        "消費税は税率ごとに合計してから1回だけ端数処理します（適格請求書の記載ルール）。",
        "Tax is rounded once per rate on the sum of its lines, as the qualified-invoice rules "
        "require.",
    ),
    "compose.seller": ("請求元（自社）", "Seller (you)"),
    "compose.seller_name": ("名称", "Name"),
    "compose.corporate_number": ("法人番号（13桁）", "Corporate number (13 digits)"),
    "compose.postal_zone": ("郵便番号", "Postal code"),
    "compose.prefecture": ("都道府県", "Prefecture"),
    "compose.city": ("市区町村", "City"),
    "compose.street": ("番地", "Street"),
    "compose.building": ("建物名", "Building"),
    "compose.contact_name": ("担当者", "Contact"),
    "compose.telephone": ("電話番号", "Telephone"),
    "compose.email": ("メールアドレス", "E-mail"),
    "compose.bank_code": ("金融機関コード（4桁）", "Bank code (4 digits)"),
    "compose.branch_code": ("支店コード（3桁）", "Branch code (3 digits)"),
    "compose.account_type": ("預金種目", "Account type"),
    "compose.account_type.1": ("普通", "Ordinary"),
    "compose.account_type.2": ("当座", "Current"),
    "compose.account_type.4": ("貯蓄", "Savings"),
    "compose.account_type.9": ("その他", "Other"),
    "compose.account_number": ("口座番号（7桁）", "Account number (7 digits)"),
    "compose.account_holder": ("口座名義（半角カナ）", "Account holder (half-width kana)"),
    "compose.save_seller": ("この内容をアカウントに保存", "Save these details to my account"),
    "compose.seller_saved": ("請求元の情報をアカウントに保存しました。", "Saved to your account."),
    "compose.non_registered": (
        "登録番号のない事業者（免税事業者）として、消費税額を記載しない請求書を作成します。"
        "市はこの請求書で仕入税額控除を受けられません（経過措置の範囲を除く）。",
        "You have no registration number, so this invoice states no consumption tax: the "
        "city cannot claim input tax credit on it (beyond the transitional relief).",
    ),
    "compose.preview": ("金額を計算して確認", "Calculate and check"),
    "compose.valid": ("この内容で提出できます。", "This invoice can be submitted."),
    "compose.draft_name": ("下書き・ひな形の名前", "Name of draft or template"),
    "compose.save_draft": ("下書き保存", "Save draft"),
    "compose.save_template": ("ひな形として保存", "Save as template"),
    "compose.draft_saved": ("下書きを保存しました。", "Draft saved."),
    "compose.template_saved": ("ひな形を保存しました。", "Template saved."),
    "compose.submit": ("提出する", "Submit"),
    "compose.problems": ("次の点を直してください。", "Please correct the following."),
    "compose.invalid": ("入力内容", "Input"),
    "compose.unknown_department": (
        "市の部署コードを選ぶか、登録済みの注文番号を入力してください。",
        "Pick a department of the city, or give a registered purchase order number.",
    ),
    "compose.need_corporate_number": (
        "登録番号がない場合は法人番号を入力してください。",
        "Without a registration number, give your corporate number.",
    ),
    "compose.no_credit_note": (
        "登録番号のない事業者は、クレジットノートではなく元の請求書番号を記載した請求書で訂正します。",
        "Without a registration number, correct with an invoice naming the old one, not a "
        "credit note.",
    ),
    "compose.start_from": (
        "以前の請求書・下書きから作成",
        "Start from an earlier invoice or draft",
    ),
    "compose.drafts": ("下書きとひな形", "Drafts and templates"),
    "compose.draft": ("下書き", "Draft"),
    "compose.template": ("ひな形", "Template"),
    "compose.delete": ("削除", "Delete"),
    "compose.recent": ("最近の請求書", "Recent invoices"),
    "compose.status": ("状況", "Status"),
    "compose.use": ("使う", "Use"),
    "compose.copy": ("コピーして作成", "Copy"),
    "compose.credit": ("返品・値引を作成", "Credit note"),
    "compose.correct": ("訂正請求書を作成", "Corrected invoice"),
    "compose.replace": ("差し替えを作成", "Replace (returned)"),
    "copy.invoice": ("請求書（写し）", "Invoice (copy)"),
    "copy.credit_note": ("返品・値引（写し）", "Credit note (copy)"),
    "copy.period": ("対象期間", "Period"),
    "copy.registration": ("登録番号", "Registration number"),
    "copy.pay_to": ("振込先", "Pay to"),
    "copy.footer": (
        "適格請求書の写し。市が受領した電子データ（XML）を添付しています。",
        "Copy of the qualified invoice. The XML the city received is attached.",
    ),
    "copy.download_pdf": ("写しをPDFで保存", "Download copy (PDF)"),
    "copy.download_xml": ("写しをXMLで保存", "Download copy (XML)"),
    "action.supplier.update_profile": ("請求元情報の変更", "Seller details changed"),
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


@dataclass(frozen=True)
class Phrase:
    """A catalogue word inside another sentence (e.g. a state named in a refusal), put in each
    reader's language when the sentence is."""

    key: str


def sentence(key: str, params: Mapping[str, object], lang: str) -> str:
    """The catalogue's sentence ``key`` in ``lang`` with its values filled in, each ``Phrase``
    among them in ``lang`` too."""
    t = translator(lang)
    values = {name: t(v.key) if isinstance(v, Phrase) else v for name, v in params.items()}
    return t(key).format(**values)


ACTION_PREFIX = "action."


def named(key: str, raw: str, lang: str) -> str:
    """The catalogue's name for a stored word (an action, a role), or the word if it names none."""
    return translator(lang)(key) if key in TEXTS else raw


def invoice_count(count: int, lang: str) -> str:
    """``1 invoice`` / ``5 invoices`` / ``5件``: a count of invoices as a sentence says it."""
    return translator(lang)("count.invoice" if count == 1 else "count.invoices").format(count=count)


def payment_means(code: str | None, text: str | None, lang: str) -> str:
    """A payment means (UNCL 4461 code, BT-81) named in the reader's language; the
    document's own wording (BT-82) only for a code the catalogue does not name."""
    key = f"means.{code}"
    return translator(lang)(key) if key in TEXTS else (text or code or "")


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
        "acct.more": ("ほか", "Not shown:"),
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


# notifications: e-mails, webhooks, the delivery log (service/notifications/)
TEXTS.update(
    {
        "notify.forbidden": (
            "Webhook と配信記録は事業者と管理者のみが扱えます。",
            "Only suppliers and administrators manage webhooks and read deliveries.",
        ),
        "notify.footer": (
            "このメールは受領（電子請求書受付）から自動送信されています。返信には対応できません。",
            "This e-mail was sent automatically by juryo, the city's e-invoice intake. "
            "Replies are not read.",
        ),
        "notify.received.ok": ("受け付けました", "was accepted"),
        "notify.received.refused": (
            "受け付けられませんでした（{fatal_findings} 件の誤り）",
            "was refused ({fatal_findings} errors)",
        ),
        "notify.invoice.received.subject": (
            "請求書 {invoice_number} を受信しました",
            "Invoice {invoice_number} received",
        ),
        "notify.invoice.received.body": (
            "請求書 {invoice_number}（発行日 {issue_date}）は{verdict}。\n詳細: {link}",
            "Invoice {invoice_number} (issued {issue_date}) {verdict}.\nDetails: {link}",
        ),
        "notify.invoice.returned.subject": (
            "請求書 {invoice_number} が差し戻されました",
            "Invoice {invoice_number} was returned",
        ),
        "notify.invoice.returned.body": (
            "請求書 {invoice_number}（発行日 {issue_date}）が修正のため差し戻されました。\n"
            "理由: {reason}\n修正した請求書は次から提出できます: {link}",
            "Invoice {invoice_number} (issued {issue_date}) was returned for correction.\n"
            "Reason: {reason}\nSubmit the corrected invoice here: {link}",
        ),
        "notify.invoice.rejected.subject": (
            "請求書 {invoice_number} は受理されませんでした",
            "Invoice {invoice_number} was rejected",
        ),
        "notify.invoice.rejected.body": (
            "請求書 {invoice_number}（発行日 {issue_date}）は受理されませんでした。\n"
            "理由: {reason}\n詳細: {link}",
            "Invoice {invoice_number} (issued {issue_date}) was rejected.\n"
            "Reason: {reason}\nDetails: {link}",
        ),
        "notify.invoice.approved.subject": (
            "請求書 {invoice_number} が承認されました",
            "Invoice {invoice_number} was approved",
        ),
        "notify.invoice.approved.body": (
            "請求書 {invoice_number}（発行日 {issue_date}）が承認され、支払の手続きに入りました。\n"
            "詳細: {link}",
            "Invoice {invoice_number} (issued {issue_date}) was approved and goes to payment.\n"
            "Details: {link}",
        ),
        "notify.invoice.paid.subject": ("支払通知（{paid_on}）", "Remittance notice ({paid_on})"),
        "notify.invoice.paid.body": (
            "{paid_on} に次の請求書をお支払いしました。\n{lines}\n合計 {total}",
            "On {paid_on} the city paid these invoices:\n{lines}\nTotal {total}",
        ),
        "notify.paid.line": (
            "・請求書 {number}（発行日 {issue_date}）{amount}",
            "- invoice {number} (issued {issue_date}) {amount}",
        ),
        "notify.signup.approved.subject": (
            "利用登録が承認されました",
            "Your sign-up was approved",
        ),
        "notify.signup.approved.body": (
            "{supplier} の利用登録が承認されました。請求書を提出できます: {link}",
            "The sign-up of {supplier} was approved. You can now submit invoices: {link}",
        ),
        "notify.signup.rejected.subject": (
            "利用登録は承認されませんでした",
            "Your sign-up was not approved",
        ),
        "notify.signup.rejected.body": (
            "{supplier} の利用登録は承認されませんでした。\n理由: {reason}",
            "The sign-up of {supplier} was not approved.\nReason: {reason}",
        ),
        "notify.delegation.started.subject": (
            "代理承認が始まりました（{department}）",
            "You now stand in for a colleague ({department})",
        ),
        "notify.delegation.started.body": (
            "{starts_on} から {ends_on} まで、{clerk} さんに代わって {department} の請求書を"
            "承認できます。\n受付箱: {link}",
            "From {starts_on} to {ends_on} you may approve {department}'s invoices in place "
            "of {clerk}.\nInbox: {link}",
        ),
        "notify.webhook.disabled.subject": (
            "Webhook を停止しました",
            "A webhook was disabled",
        ),
        "notify.webhook.disabled.body": (
            "{url} への送信が {failures} 回続けて失敗したため、停止しました。"
            "受信側を直したうえで有効にしてください: {link}",
            "Calls to {url} failed {failures} times in a row, so juryo stopped them. "
            "Fix the receiver, then enable it again: {link}",
        ),
        "notify.digest.daily.subject": ("本日の受付状況（{day}）", "Your day in juryo ({day})"),
        "notify.digest.daily.body": (
            "{day} の時点で対応が必要な請求書:\n{lines}",
            "What waits for you on {day}:\n{lines}",
        ),
        "notify.digest.line": ("・{label}: {count} 件 {link}", "- {label}: {count} {link}"),
        "nav.notifications": ("通知", "Notifications"),
        "notify.url.form": (
            "URL は http(s):// で始まり、ホスト名を含む必要があります。",
            "The URL must be http(s):// with a host.",
        ),
        "notify.url.https": ("URL は https で始まる必要があります。", "The URL must be https."),
        "notify.url.unresolved": (
            "ホスト {host} の名前を解決できません。",
            "The host {host} does not resolve.",
        ),
        "notify.url.private": (
            "ホスト {host} は内部ネットワークのアドレス（{address}）です。"
            "市の内部への送信はできません。",
            "The host {host} is a private address ({address}): webhooks may not reach "
            "into the city's network.",
        ),
        "notify.events.unknown": (
            "送る出来事を次から一つ以上選んでください: {known}",
            "Choose one or more events from: {known}",
        ),
        "notify.email.invalid": (
            "「{value}」はメールアドレスではありません。",
            "'{value}' is not an e-mail address.",
        ),
        "notify.language.invalid": (
            "通知の言語は ja または en です（「{value}」）。",
            "The language is ja or en, not '{value}'.",
        ),
        "notify.page.title": ("通知の設定", "Notifications"),
        "notify.page.saved": ("保存しました。", "Saved."),
        "notify.page.address": ("通知メールの宛先", "Where your e-mails go"),
        "notify.page.address_help": (
            "請求書の受付・差戻し・支払などをメールでお知らせします。空欄にするとメールは届きません。",
            "juryo e-mails you when an invoice is received, returned or paid, and so on. "
            "Leave the address empty to receive none.",
        ),
        "notify.page.email": ("メールアドレス", "E-mail address"),
        "notify.page.language": ("通知の言語", "Language of the e-mails"),
        "notify.page.save": ("保存する", "Save"),
        "notify.page.which": ("受け取るお知らせ", "Notices to receive"),
        "notify.page.always": ("法令上必ずお送りします", "always sent: required by law"),
        "notify.muted.statutory": (
            "次のお知らせは止められません（または存在しません）: {kinds}",
            "These notices cannot be muted (or do not exist): {kinds}",
        ),
        "notify.page.webhooks": ("Webhook（外部システムへの通知）", "Webhooks"),
        "notify.page.webhooks_help": (
            "お使いのシステムに、選んだ出来事を署名付きの JSON で送ります"
            "（ヘッダー Juryo-Signature を秘密鍵で検証してください）。",
            "juryo POSTs the events you choose to your system as signed JSON "
            "(verify the Juryo-Signature header with the secret).",
        ),
        "notify.page.new_secret": (
            "署名の秘密鍵です。この画面でしか表示されません。控えてください。",
            "The signing secret. It is shown only now: keep it.",
        ),
        "notify.page.events": ("送る出来事", "Events"),
        "notify.page.state": ("状態", "State"),
        "notify.page.actions": ("操作", "Actions"),
        "notify.page.active": ("有効", "Active"),
        "notify.page.disabled": ("停止中", "Disabled"),
        "notify.page.failures": ("{count} 回連続で失敗", "{count} failures in a row"),
        "notify.page.enable": ("再開する", "Enable"),
        "notify.page.delete": ("削除する", "Delete"),
        "notify.page.no_webhooks": ("Webhook はまだありません。", "No webhooks yet."),
        "notify.page.add_webhook": ("Webhook を登録する", "Add webhook"),
        "notify.page.log": ("配信記録を見る", "See the delivery log"),
        "notify.log.title": ("通知の配信記録", "Notification deliveries"),
        "notify.log.resent": ("再送を予約しました。", "Queued to send again."),
        "notify.log.any": ("すべて", "Any"),
        "notify.log.filter": ("絞り込む", "Filter"),
        "notify.log.kind": ("通知", "Notification"),
        "notify.log.to": ("宛先", "To"),
        "notify.log.attempts": ("試行回数", "Attempts"),
        "notify.log.last": ("直近の失敗", "Last failure"),
        "notify.log.webhook": ("Webhook 宛て", "Webhook"),
        "notify.log.resend": ("再送する", "Send again"),
        "notify.log.older": ("さらに古い記録", "Older deliveries"),
        "notify.log.none": ("配信記録はありません。", "No deliveries."),
        "notify.status.pending": ("送信待ち", "Waiting"),
        "notify.status.sent": ("送信済み", "Sent"),
        "notify.status.dead": ("送信を断念", "Given up"),
        "notify.kind.invoice.received": ("請求書の受信", "Invoice received"),
        "notify.kind.invoice.returned": ("請求書の差戻し", "Invoice returned"),
        "notify.kind.invoice.rejected": ("請求書の不受理", "Invoice rejected"),
        "notify.kind.invoice.approved": ("請求書の承認", "Invoice approved"),
        "notify.kind.invoice.paid": ("支払通知", "Remittance notice"),
        "notify.kind.signup.approved": ("利用登録の承認", "Sign-up approved"),
        "notify.kind.signup.rejected": ("利用登録の不承認", "Sign-up rejected"),
        "notify.kind.delegation.started": ("代理承認の開始", "Delegation started"),
        "notify.kind.webhook.disabled": ("Webhook の停止", "Webhook disabled"),
        "notify.kind.digest.daily": ("日次のお知らせ", "Daily digest"),
        "notify.kind.mail.receipt": ("メール受付の結果", "E-mail receipt"),
        "refusal.quarantine": (
            "この原本は隔離されています（マルウェア検査で検出）。ダウンロードできるのは管理者だけです。",
            "This original is in quarantine (the malware scan found something): only "
            "administrators may download it.",
        ),
        "notify.mail.receipt.subject": (
            "請求書メールの受付結果（{subject}）",
            "Your invoice e-mail was received ({subject})",
        ),
        "notify.mail.receipt.body": ("受付結果:\n{receipt}", "What became of it:\n{receipt}"),
        "action.mail.receive": ("請求書メールの受信", "Invoice e-mail received"),
        "action.webhook.add": ("Webhook の登録", "Webhook registered"),
        "action.webhook.delete": ("Webhook の削除", "Webhook deleted"),
        "action.webhook.enable": ("Webhook の再開", "Webhook enabled"),
        "action.webhook.disable": ("Webhook の自動停止", "Webhook disabled after failures"),
        "action.delivery.resend": ("通知の再送", "Notification sent again"),
        "action.user.notifications": ("通知先の変更", "Notification settings changed"),
        "audit.entity.webhook": ("Webhook 送信先", "Webhook"),
        "audit.entity.delivery": ("通知の配信", "Notification delivery"),
    }
)

# administrators manage users; password reset codes; the delegations page
# (service/accounts/users.py, service/admin/pages.py, service/accounts/pages.py, service/inbox/)
TEXTS.update(
    {
        "action.user.deactivate": ("利用者の無効化", "User deactivated"),
        "action.user.reactivate": ("利用者の再有効化", "User reactivated"),
        "action.user.change": ("役割・部署の変更", "Role or departments changed"),
        "action.user.password_reset": (
            "パスワード再設定コードの発行",
            "Password reset code issued",
        ),
        "action.user.password_set": ("パスワードの再設定", "Password set with a reset code"),
        "action.delegation.add": ("代理承認の設定", "Delegation created"),
        "action.delegation.delete": ("代理承認の終了", "Delegation ended"),
        "audit.entity.delegation": ("代理承認", "Delegation"),
        "admin.users.no_such_user": ("利用者 {login} はいません。", "There is no user {login}."),
        "admin.users.no_such_department": (
            "部署 {code} はありません。",
            "There is no department {code}.",
        ),
        "admin.users.not_yourself": (
            "自分自身を無効化したり、自分の役割を変えたりすることはできません。",
            "You cannot deactivate yourself or change your own role.",
        ),
        "admin.users.last_admin": (
            "最後の有効な管理者は無効化も役割の変更もできません。",
            "The last active administrator cannot be deactivated or given another role.",
        ),
        "admin.users.supplier_stays": (
            "事業者の利用者は職員の役割に、職員は事業者の役割に変えられません。",
            "A supplier's user cannot become staff, nor staff a supplier's user.",
        ),
        "admin.users.clerk_needs_department": (
            "担当職員には部署が1つ以上必要です。",
            "A clerk needs at least one department.",
        ),
        "admin.users.only_clerks_departments": (
            "部署に所属するのは担当職員だけです。",
            "Only clerks belong to departments.",
        ),
        "admin.users.reset_inactive": (
            "無効な利用者にはパスワード再設定コードを発行できません。先に再有効化してください。",
            "A deactivated user gets no reset code; reactivate them first.",
        ),
        "admin.users.status": ("状態", "Status"),
        "admin.users.status.active": ("有効", "Active"),
        "admin.users.status.pending": ("承認待ち", "Pending approval"),
        "admin.users.status.rejected": ("却下", "Rejected"),
        "admin.users.status.deactivated": ("無効", "Deactivated"),
        "admin.users.filter": ("絞り込み", "Filter"),
        "admin.users.filter_text": ("ログインIDまたは氏名", "Login or name"),
        "admin.users.any": ("すべて", "Any"),
        "admin.users.none_found": ("該当する利用者はいません。", "No user matches."),
        "admin.users.manage": ("管理", "Manage"),
        "admin.users.manage_title": ("利用者 {login} の管理", "Managing user {login}"),
        "admin.users.back": ("利用者の一覧へ", "Back to the users"),
        "admin.users.change_title": ("役割と部署", "Role and departments"),
        "admin.users.change": ("変更を保存", "Save changes"),
        "admin.users.changed": ("変更しました。", "Saved."),
        "admin.users.access_title": ("利用の停止と再開", "Access"),
        "admin.users.deactivate": ("無効化する", "Deactivate"),
        "admin.users.deactivate_help": (
            "無効化すると、この利用者はログインできず、"
            "ログイン中の画面とAPIトークンも直ちに使えなくなります。",
            "A deactivated user cannot sign in; "
            "their open sessions and API tokens stop working at once.",
        ),
        "admin.users.deactivated": ("無効化しました。", "Deactivated."),
        "admin.users.reactivate": ("再有効化する", "Reactivate"),
        "admin.users.reactivated": ("再有効化しました。", "Reactivated."),
        "admin.users.reset_title": ("パスワードの再設定", "Password reset"),
        "admin.users.reset": ("再設定コードを発行", "Issue a reset code"),
        "admin.users.reset_help": (
            "1回だけ使えるコードを発行します。有効期限は24時間です。以前のコードは使えなくなります。",
            "Issues a code that works once, for 24 hours. Earlier codes stop working.",
        ),
        "admin.users.reset_issued": (
            "再設定コードです。この画面でしか表示されません。"
            "本人に渡してください（有効期限: {expires}）。",
            "The reset code, shown only now: give it to the user (valid until {expires}).",
        ),
        "admin.users.reset_link": ("再設定用のリンク", "Reset link"),
        "admin.users.reset_code": ("再設定コード", "Reset code"),
        "admin.users.yourself": (
            "自分自身のアカウントです。無効化や役割の変更はできません。",
            "This is your own account: you cannot deactivate it or change its role.",
        ),
        "admin.index.delegations": ("代理承認の一覧と設定", "seeing and setting delegations"),
        "reset.title": ("パスワードの再設定", "Set a new password"),
        "reset.intro": (
            "管理者から受け取った再設定コードと、新しいパスワードを入力してください。",
            "Enter the reset code an administrator gave you and your new password.",
        ),
        "reset.code": ("再設定コード", "Reset code"),
        "reset.password": ("新しいパスワード（10文字以上）", "New password (10+ characters)"),
        "reset.submit": ("パスワードを設定", "Set the password"),
        "reset.done": (
            "パスワードを設定しました。新しいパスワードでログインしてください。",
            "Your password is set. Sign in with the new password.",
        ),
        "reset.code_invalid": (
            "再設定コードが正しくないか、使用済みか、期限切れです。管理者に新しいコードを依頼してください。",
            "The reset code is wrong, used or expired. Ask an administrator for a new one.",
        ),
        "reset.password_length": (
            "パスワードは10文字以上200文字以下にしてください。",
            "The password must have 10 to 200 characters.",
        ),
        "nav.delegations": ("代理承認", "Delegations"),
        "delegations.title": ("代理承認", "Delegations"),
        "delegations.intro": (
            "不在の間、同じ部署の別の担当職員があなたに代わって承認できるように設定します。",
            "Let another clerk of the same department approve in your stead while you are away.",
        ),
        "delegations.new": ("代理承認を設定", "Set a delegation"),
        "delegations.clerk": ("委任する担当職員（ログインID）", "Delegating clerk (login)"),
        "delegations.substitute": ("代理の担当職員（ログインID）", "Substitute clerk (login)"),
        "delegations.department": ("部署", "Department"),
        "delegations.starts_on": ("開始日", "From"),
        "delegations.ends_on": ("終了日", "Until"),
        "delegations.create": ("設定する", "Set"),
        "delegations.created": ("代理承認を設定しました。", "The delegation is set."),
        "delegations.end": ("終了する", "End"),
        "delegations.end_label": ("代理承認 {id} を終了する", "End delegation {id}"),
        "delegations.ended": ("代理承認を終了しました。", "The delegation has ended."),
        "delegations.none": ("代理承認はありません。", "There are no delegations."),
        "delegations.actions": ("操作", "Actions"),
        "delegations.current": ("実施中", "in effect"),
        "delegations.forbidden": (
            "代理承認は担当職員と管理者だけが利用できます。",
            "Only clerks and administrators use delegations.",
        ),
        "delegations.clerk_needed": (
            "管理者は委任する担当職員のログインIDを指定してください。",
            "An administrator names the delegating clerk.",
        ),
        "delegations.not_a_clerk": (
            "{login} は担当職員ではありません。",
            "{login} is not a clerk.",
        ),
        "delegations.bad_range": (
            "終了日が開始日より前です。",
            "The range ends before it starts.",
        ),
        "delegations.bad_substitute": (
            "{substitute} は {department} の別の担当職員ではありません。",
            "{substitute} is not another clerk of {department}.",
        ),
        "delegations.no_department": (
            "部署 {department} はあなたの部署ではありません。",
            "Department {department} is not one of yours.",
        ),
        "delegations.not_found": (
            "代理承認 {id} は見つかりません。",
            "There is no delegation {id} of yours.",
        ),
    }
)

# search at scale, the PDF page view, the upload page's progress (issue #15)
TEXTS.update(
    {
        "search.hits": ("該当 {count:,} 件", "{count:,} found"),
        "search.hits_capped": ("該当 {count:,} 件以上", "{count:,} or more found"),
        "search.first": ("最初のページへ", "First page"),
        "pdfview.title": ("原本の表示（画像）", "The original, as images"),
        "pdfview.safe": (
            "サーバーで画像に変換した表示です。PDFそのものはブラウザに送られません。",
            "Rendered as images on the server: the PDF itself is not sent to your browser.",
        ),
        "pdfview.page": ("{page} / {pages} ページ", "Page {page} of {pages}"),
        "pdfview.more_pages": (
            "最初の {shown} ページだけを表示しています（全 {pages} ページ）。"
            "残りは原本をダウンロードしてご覧ください。",
            "Only the first {shown} of {pages} pages are shown; "
            "download the original for the rest.",
        ),
        "pdfview.encrypted": (
            "このPDFはパスワードで保護されているため、画像で表示できません。原本をダウンロードしてください。",
            "This PDF is password-protected and cannot be shown as images; download the original.",
        ),
        "pdfview.unreadable": (
            "このPDFは読み取れないため、画像で表示できません。原本をダウンロードしてください。",
            "This PDF cannot be read and is not shown as images; download the original.",
        ),
        "pdfview.too_slow": (
            "このページの画像化が制限時間内に終わりませんでした。原本をダウンロードしてください。",
            "This page could not be rendered in time; download the original.",
        ),
        "pdfview.busy": (
            "画像化の処理が混み合っています。少し待ってから再度お試しください。",
            "Rendering is busy; try again in a moment.",
        ),
        "pdfview.no_page": ("そのページはありません。", "There is no such page."),
        "pdfview.not_pdf": (
            "この請求書の原本はPDFではありません。",
            "This invoice's original is not a PDF.",
        ),
        "upload.remove_short": ("外す", "Remove"),
        "upload.remove": ("{name} を一覧から外す", "Remove {name} from the list"),
        "upload.duplicate": (
            "{name} はすでに一覧にあるため、追加しませんでした。",
            "{name} is already in the list and was not added again.",
        ),
        "upload.sending": ("送信中…", "Sending…"),
        "upload.progress": ("{name} の送信状況", "Sending {name}"),
        "upload.failed": (
            "{name} を送信できませんでした。もう一度お試しください。",
            "{name} could not be sent; try again.",
        ),
        "upload.done": ("すべてのファイルを送信しました。", "Every file has been sent."),
    }
)

TEXTS.update(
    {
        # The NTA registry and the malware scan (issue #20).
        "nav.admin_registry": (
            "適格請求書発行事業者・ウイルス検査",
            "Issuer registry and malware scan",
        ),
        "admin.index.registry": (
            "国税庁公表データの取込状況と登録番号の照会、マルウェア検査の状態",
            "the NTA registry imported, lookup by registration number, the malware scan's state",
        ),
        "registry.title": (
            "適格請求書発行事業者（国税庁公表データ）とマルウェア検査",
            "Qualified-invoice issuers (NTA registry) and malware scan",
        ),
        "registry.scan.heading": ("マルウェア検査", "Malware scan"),
        "registry.scan.off": (
            "マルウェア検査は無効です。原本は検査なしで受け付けられます"
            "（JURYO_SCAN_COMMAND または JURYO_SCAN_ICAP_URL で有効になります）。",
            "The malware scan is off: originals are acknowledged unscanned "
            "(set JURYO_SCAN_COMMAND or JURYO_SCAN_ICAP_URL).",
        ),
        "registry.scan.command": (
            "マルウェア検査: コマンド（JURYO_SCAN_COMMAND）で全原本を検査しています。",
            "Malware scan: every original passes the command in JURYO_SCAN_COMMAND.",
        ),
        "registry.scan.icap": (
            "マルウェア検査: ICAP サービス（JURYO_SCAN_ICAP_URL）で全原本を検査しています。",
            "Malware scan: every original passes the ICAP service in JURYO_SCAN_ICAP_URL.",
        ),
        "registry.scan.fail_open": (
            "検査できない場合も受け付けます（JURYO_SCAN_FAIL_OPEN）。",
            "When the scanner fails, originals are still accepted (JURYO_SCAN_FAIL_OPEN).",
        ),
        "registry.nta.heading": ("国税庁公表データ", "NTA registry"),
        "registry.nta.checking_on": (
            "受領時に登録番号を照合しています。",
            "Registration numbers are checked at intake.",
        ),
        "registry.nta.checking_off": (
            "受領時の照合は無効です（JURYO_NTA_CHECK）。",
            "Registration numbers are not checked at intake (JURYO_NTA_CHECK).",
        ),
        "registry.nta.max_age": ("有効とみなす日数", "Days before the registry counts as stale"),
        "registry.none": (
            "公表データは未取込です（取り込みはコマンド「juryo」の nta サブコマンドで行います）。",
            "No NTA registry file imported yet (juryo nta import).",
        ),
        "registry.file": ("ファイル", "File"),
        "registry.kind": ("種類", "Kind"),
        "registry.kind.full": ("全件", "Full"),
        "registry.kind.diff": ("差分", "Diff"),
        "registry.file_date": ("作成日", "Date"),
        "registry.rows": ("件数", "Rows"),
        "registry.signature": ("署名", "Signature"),
        "registry.signature.yes": ("検証済み", "verified"),
        "registry.signature.no": ("未検証", "not checked"),
        "registry.lookup": ("照会", "Look up"),
        "registry.bad_number": (
            "登録番号は T と13桁の数字です。",
            "A registration number is T and 13 digits.",
        ),
        "registry.standing.active": ("本日時点で登録あり", "registered today"),
        "registry.standing.inactive": ("本日時点で登録なし", "not registered today"),
        "registry.standing.unknown": ("判断できません", "cannot say"),
        "registry.history": ("取込んだ履歴", "History as imported"),
        "registry.process": ("処理区分", "Process"),
        "registry.process.01": ("新規", "New"),
        "registry.process.02": ("変更", "Changed"),
        "registry.process.03": ("失効", "Expired"),
        "registry.process.04": ("取消", "Cancelled"),
        "registry.process.99": ("削除", "Deleted"),
        "registry.registered": ("登録日", "Registered"),
        "registry.updated": ("更新日", "Updated"),
        "registry.cancelled": ("取消日", "Cancelled"),
        "registry.expired": ("失効日", "Expired"),
        "registry.name": ("氏名又は名称", "Name"),
        "registry.address": ("所在地", "Address"),
        "registry.registered_name": ("国税庁登録名", "Name registered with the NTA"),
        "registry.not_in_registry": ("公表データになし", "not in the NTA registry"),
    }
)

# e-mail intake: refusals, receipts, the quarantine page (service/mail/)
TEXTS.update(
    {
        "nav.admin_mail": ("受信メール", "Received mail"),
        "admin.index.mail": (
            "登録のない送信元からのメールを確認し、事業者に割り当てます。",
            "Review mail from unregistered senders and assign it to a supplier.",
        ),
        "mail.title": ("受信メール", "Received mail"),
        "mail.quarantine": (
            "確認待ち（送信元が未登録）",
            "Held for review (sender not registered)",
        ),
        "mail.quarantine.empty": ("確認待ちのメールはありません。", "No mail is held for review."),
        "mail.recent": ("最近の受信", "Recently received"),
        "mail.from": ("送信元", "From"),
        "mail.subject": ("件名", "Subject"),
        "mail.received_at": ("受信日時", "Received"),
        "mail.attachments": ("添付ファイル", "Attachments"),
        "mail.body": ("本文", "Body"),
        "mail.status": ("状態", "Status"),
        "mail.supplier": ("事業者", "Supplier"),
        "mail.assign": ("この事業者として受け付ける", "Receive as this supplier"),
        "mail.assign.supplier": ("事業者（登録番号）", "Supplier (registration number)"),
        "mail.assigned": ("メール {id} を割り当てました。", "Mail {id} was assigned."),
        "mail.assign.unknown_supplier": (
            "この登録番号の事業者はいません。",
            "No supplier has this registration number.",
        ),
        "mail.assign.no_mail": ("このメールはありません。", "There is no such mail."),
        "mail.assign.not_held": (
            "このメールは確認待ちではありません（割当済みか処理済み）。",
            "This mail is no longer held for review (already assigned or handled).",
        ),
        "mail.assign.no_account": (
            "この事業者には承認済みの利用者がいないため、受け付けられません。",
            "This supplier has no approved account to receive the mail as.",
        ),
        "mail.assign.remember": (
            "この送信元アドレスを事業者に登録する（次回から確認不要）",
            "Register this sender address for the supplier (no review next time)",
        ),
        "mail.assign.sender_taken": (
            "この送信元アドレスは別の事業者に登録されています。",
            "This sender address is registered for another supplier.",
        ),
        "mail.download": ("元のメールを保存", "Download the original mail"),
        "mail.refusal": ("受付不可の理由", "Why refused"),
        "mail.receipt_text": ("受領連絡の文面", "Receipt text"),
        "mail.no_subject": ("（件名なし）", "(no subject)"),
        "mail.no_filename": ("（名前のない添付）", "(unnamed attachment)"),
        "mail.state.receiving": ("処理中", "Being received"),
        "mail.state.accepted": ("受付済み", "Received"),
        "mail.state.quarantined": ("確認待ち", "Held for review"),
        "mail.state.assigned": ("割当済み", "Assigned"),
        "mail.state.refused": ("受付不可", "Refused"),
        "mail.refused.too_large": (
            "メールが大きすぎるため受け付けませんでした。添付を分けて送ってください。",
            "The mail was too large and was not accepted. Please send the attachments separately.",
        ),
        "mail.refused.bomb": (
            "メールの構造（添付の数や入れ子の深さ）が上限を超えるため受け付けませんでした。",
            "The mail was refused: it has more parts or deeper nesting than is accepted.",
        ),
        "mail.part.executable": (
            "実行ファイルは受け付けません。",
            "Executable files are not accepted.",
        ),
        "mail.part.archive": (
            "圧縮ファイル（ZIP等）は受け付けません。XMLかPDFを直接添付してください。",
            "Archives (ZIP and the like) are not accepted. Attach the XML or PDF itself.",
        ),
        "mail.part.other": (
            "XMLまたはPDFではないため、請求書として受け付けません。",
            "Not XML or PDF, so not received as an invoice.",
        ),
        "mail.part.intake": ("受け付けられませんでした。", "Not accepted."),
        "mail.receipt.head": (
            "メール「{subject}」を受信しました。",
            "We received your mail \u201c{subject}\u201d.",
        ),
        "mail.receipt.invoice": (
            "{name}: 請求書 {id} として受け付けました（状態: {status}）。",
            "{name}: received as invoice {id} (status: {status}).",
        ),
        "mail.receipt.part_refused": (
            "{name}: 受け付けませんでした（{reason}）",
            "{name}: not accepted ({reason})",
        ),
        "mail.receipt.nothing": (
            "請求書（XMLまたはPDF）の添付がありませんでした。",
            "The mail had no invoice attached (XML or PDF).",
        ),
        "mail.receipt.quarantined": (
            "メール「{subject}」を受信しました。送信元のアドレスが登録されていないため、"
            "市の担当者が確認します。",
            "We received your mail \u201c{subject}\u201d. Its sender address is not registered, "
            "so the city will review it.",
        ),
        "mail.receipt.refused": (
            "メール「{subject}」は受け付けられませんでした。",
            "Your mail \u201c{subject}\u201d was not accepted.",
        ),
        "audit.entity.mail": ("メール", "Mail"),
        "action.mail.assign": ("受信メールの割当", "Mail assigned"),
        "action.mail.sender.add": ("送信元アドレスの登録", "Sender address registered"),
    }
)

# accessibility and language completeness (issue #15)
TEXTS.update(
    {
        "a11y.skip": ("本文へ移動", "Skip to main content"),
        "a11y.actions": ("操作", "Actions"),
        "a11y.message": ("内容", "Message"),
        "error.not_found": ("該当するページまたはデータはありません。", "no such resource"),
        "error.status.400": ("入力内容を受け付けられませんでした。", "The request was refused."),
        "error.status.401": ("ログインが必要です。", "Please sign in."),
        "error.status.403": ("この操作を行う権限がありません。", "You may not do this."),
        "error.status.404": ("該当するページまたはデータはありません。", "Not found."),
        "error.status.409": (
            "ほかの操作と重なったため実行できませんでした。画面を読み込み直してください。",
            "This conflicts with another change: reload the page.",
        ),
        "error.status.413": ("送信された内容が大きすぎます。", "What was sent is too large."),
        "error.status.422": ("入力内容を確認してください。", "Please check what you entered."),
        "refusal.submit": (
            "請求書を提出できるのは事業者のアカウントだけです。",
            "only supplier accounts submit invoices",
        ),
        "refusal.enter_data": (
            "請求内容を入力できるのは、その事業者と担当部署の職員だけです。",
            "only the supplier or a clerk of the department enters data",
        ),
        "refusal.confirm_data": (
            "入力内容を確認できるのは担当職員だけです。",
            "only clerks confirm entered data",
        ),
        "refusal.internal_comments": (
            "内部コメントは市の職員だけが見られます。",
            "internal comments are for city staff only",
        ),
        "refusal.pay": ("この操作は会計課だけが行えます。", "only accounting may do this"),
        "refusal.read_batches": (
            "支払バッチを見られるのは会計課と監査だけです。",
            "only accounting and auditors read payment batches",
        ),
        "refusal.read_creditors": (
            "振込先口座を見られるのは管理者と会計課だけです。",
            "only administrators and accounting see bank accounts",
        ),
        "refusal.keep_creditors": (
            "振込先口座を変更できるのは管理者だけです。",
            "only administrators maintain bank accounts",
        ),
        "refusal.inbox": ("受付箱があるのは担当職員だけです。", "only clerks have an inbox"),
        "refusal.decide": (
            "この請求書を判断できるのは担当部署の職員だけです。",
            "only clerks of the invoice's department decide on it",
        ),
        "refusal.set_works": (
            "これを変更できるのは担当部署の職員と管理者だけです。",
            "only the department's clerks or an administrator change this",
        ),
        "refusal.inboxes": (
            "すべての受付箱を見て振り替えられるのは管理者だけです。",
            "only administrators see every inbox and reassign from it",
        ),
        "refusal.overdue": (
            "期限超過の一覧を見られるのは会計課・監査・管理者だけです。",
            "only accounting, auditors and administrators see overdue invoices",
        ),
        "refusal.approve_signups": (
            "このページは管理者だけが利用できます。",
            "only the role 'admin' may use this page",
        ),
        "refusal.company_account": (
            "このページは事業者のアカウントだけが利用できます。",
            "only the role 'supplier' may use this page",
        ),
        "refusal.manage_company": (
            "APIトークンと同僚の管理は事業者のアカウントだけが行えます。",
            "only supplier accounts manage supplier tokens and colleagues",
        ),
        "form.not_amount": (
            "「{value}」は金額ではありません（例: 500000）。",
            "'{value}' is not an amount (for example 500000).",
        ),
        "form.not_date": (
            "「{value}」は日付ではありません（例: 2026-11-29）。",
            "'{value}' is not a date (YYYY-MM-DD).",
        ),
        "acct.payment_date_required": ("支払日を入力してください。", "payment date: required"),
        "entry.not_own_number": (
            "登録番号は貴社のもの（{number}）を入力してください。",
            "the registration number must be your own",
        ),
        "po.columns": (
            "{line}行目: 列は「po_number,department_code」の2つにしてください。",
            "line {line}: expected po_number,department_code",
        ),
        "po.bad_number": (
            "{line}行目: 発注番号が正しくありません。",
            "line {line}: bad order number",
        ),
        "po.no_department": (
            "{line}行目: 部署コード「{code}」の部署はありません。",
            "line {line}: no department {code}",
        ),
        "po.not_utf8": ("CSVはUTF-8で保存してください。", "the CSV must be UTF-8"),
        "po.not_csv": ("CSVとして読み取れません（{detail}）。", "not readable as CSV: {detail}"),
        "account.not_approved_yet": (
            "アカウントは承認待ちです。",
            "your account is not approved yet",
        ),
        "intake.not_approved_yet": (
            "アカウントは承認待ちです。承認までは検証（POST /api/v1/validate）のみ利用できます。",
            "your account is not approved yet: until then use POST /api/v1/validate to check",
        ),
        "reg.malformed": (
            "「{value}」は登録番号ではありません（Tと13桁の数字）。",
            "'{value}' is not T followed by 13 digits",
        ),
        "reg.check_digit": (
            "登録番号 {number} の検査数字が一致しません。事業者に確認してください"
            "（確認のうえ登録する場合は明示的に指定）。",
            "{number} has a wrong check digit; check it with the supplier (or override explicitly)",
        ),
        "reg.check_digit_own": (
            "登録番号 {number} の検査数字が一致しません。番号をご確認ください。",
            "{number} has a wrong check digit: please check the number",
        ),
        "count.invoice": ("{count}件", "{count} invoice"),
        "count.invoices": ("{count}件", "{count} invoices"),
        "means.1": ("未定義", "Instrument not defined"),
        "means.10": ("現金", "In cash"),
        "means.20": ("小切手", "Cheque"),
        "means.30": ("口座振込", "Credit transfer"),
        "means.31": ("口座振込（借記）", "Debit transfer"),
        "means.42": ("銀行口座への振込", "Payment to bank account"),
        "means.48": ("カード払い", "Bank card"),
        "means.49": ("口座振替", "Direct debit"),
        "means.58": ("SEPA振込", "SEPA credit transfer"),
        "means.59": ("SEPA口座振替", "SEPA direct debit"),
        "means.68": ("オンライン決済", "Online payment service"),
        "means.97": ("相殺", "Clearing between partners"),
        "means.ZZZ": ("その他（当事者間で合意）", "Mutually defined"),
        "form.expired": (
            "フォームの有効期限が切れました。ページを再読み込みしてからやり直してください。",
            "the form has expired; reload the page and try again",
        ),
        "org.department_exists": (
            "部署コード {code} は登録済みです。",
            "department {code} exists already",
        ),
        "org.supplier_exists": (
            "登録番号 {number} の事業者は登録済みです。",
            "supplier {number} exists already",
        ),
        "accounts.clerk_needs_department": (
            "担当職員には所属部署を1つ以上指定してください。",
            "a clerk needs at least one --department",
        ),
        "error.status.other": (
            "処理できませんでした。しばらくしてからもう一度お試しください。",
            "This could not be done. Please try again later.",
        ),
    }
)

# Peppol: the access point's hand-off and suppliers' participant ids (service/peppol/)
TEXTS.update(
    {
        "role.access_point": ("Peppol アクセスポイント", "Peppol access point"),
        "refusal.peppol_hand_over": (
            "文書を引き渡せるのは Peppol アクセスポイントだけです。",
            "Only a Peppol access point hands over documents.",
        ),
        "refusal.peppol_own_participants": (
            "自社の参加者 ID を登録できるのは事業者だけです。",
            "Only a supplier records its own participant ids.",
        ),
        "refusal.peppol_any_participants": (
            "事業者の参加者 ID を登録できるのは管理者だけです。",
            "Only an administrator records a supplier's participant ids.",
        ),
        "peppol.title": ("Peppol 参加者 ID", "Peppol participant ids"),
        "peppol.intro": (
            "貴社が Peppol で請求書を送る参加者 ID です。市のアクセスポイントが受け取った文書の"
            "送信者がこの ID のとき、貴社の請求書として受け付けます。",
            "The participant ids your company sends Peppol invoices from. A document the city's "
            "access point receives from one of these ids is taken as your company's invoice.",
        ),
        "peppol.none": ("まだ登録されていません。", "None recorded yet."),
        "peppol.participant_id": (
            "参加者 ID（例: 0188:法人番号）",
            "Participant id (e.g. 0188:corporate number)",
        ),
        "peppol.add": ("登録する", "Record"),
        "peppol.added": ("登録しました", "Recorded"),
        "peppol.malformed": (
            "Peppol 参加者 ID ではありません。4 桁のスキーム、コロン、ID の順に入力してください"
            "（例: 0188:8010001008843）。",
            "Not a Peppol participant id: a four-digit scheme, a colon and the id "
            "(e.g. 0188:8010001008843).",
        ),
        "peppol.taken": (
            "この参加者 ID は他の事業者が登録しています。",
            "Another supplier has recorded this participant id.",
        ),
        "audit.entity.peppol_message": ("Peppol 文書", "Peppol message"),
        "action.peppol.receive": ("Peppol 文書の受領", "Peppol document received"),
        "action.supplier.peppol_participant": (
            "Peppol 参加者 ID の登録",
            "Peppol participant id recorded",
        ),
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
        "stats.key.api": ("API（システム連携）", "API"),
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
        # Peppol bulk hand-off
        "peppol.original_not_stored": (
            "原本を保存できませんでした。この文書をもう一度送信してください。",
            "the original could not be stored: send this document again",
        ),
    }
)
