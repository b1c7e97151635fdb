"""juryo's own intake rules (``JURYO-*``): one catalogue, so every message exists in both languages.

Official rule sets (EN 16931, Peppol, JP PINT) live in ``parsers.validation``; these are about
whether the bytes can be read at all and what kind of document they are.
"""

from __future__ import annotations

from dataclasses import dataclass

from parsers.findings import Finding, Severity


@dataclass(frozen=True, slots=True)
class IntakeRule:
    """A rule id with its severity and message templates (``str.format`` placeholders)."""

    rule_id: str
    severity: Severity
    en: str
    ja: str

    def finding(self, location: str | None = None, **params: object) -> Finding:
        """A finding for this rule, its messages filled in with ``params``."""
        return Finding(
            rule_id=self.rule_id,
            severity=self.severity,
            message_en=self.en.format(**params),
            message_ja=self.ja.format(**params),
            location=location,
        )


_F, _W, _I = Severity.FATAL, Severity.WARNING, Severity.INFORMATION

INPUT_EMPTY = IntakeRule(
    "JURYO-INPUT-EMPTY", _F, "The document is empty (0 bytes).", "文書が空です（0バイト）。"
)
INPUT_TOO_LARGE = IntakeRule(
    "JURYO-INPUT-SIZE",
    _F,
    "The document is {size} bytes; the limit is {limit} bytes.",
    "文書のサイズ（{size}バイト）が上限（{limit}バイト）を超えています。",
)
FORMAT_UNKNOWN = IntakeRule(
    "JURYO-FORMAT-UNKNOWN",
    _F,
    "Not an e-invoice: expected UBL or CII XML, or a PDF ({detail_en}).",
    "電子インボイスではありません。UBL・CIIのXMLまたはPDFが必要です（{detail_ja}）。",
)
XML_SYNTAX = IntakeRule(
    "JURYO-XML-SYNTAX",
    _F,
    "The XML is not well-formed: {detail}",
    "XMLの構文が正しくありません: {detail}",
)
XML_DTD = IntakeRule(
    "JURYO-XML-DTD",
    _F,
    "The XML contains a DOCTYPE declaration; e-invoices must not, and it was not processed.",
    "XMLにDOCTYPE宣言が含まれています。電子インボイスでは使用できないため処理しません。",
)
XML_ENTITY = IntakeRule(
    "JURYO-XML-ENTITY",
    _F,
    "The XML declares or references entities; they were neither loaded nor expanded.",
    "XMLがエンティティを宣言または参照しています。読み込み・展開は行いません。",
)
XML_TOO_LARGE = IntakeRule(
    "JURYO-XML-SIZE",
    _F,
    "The XML is {size} bytes; the limit is {limit} bytes.",
    "XMLのサイズ（{size}バイト）が上限（{limit}バイト）を超えています。",
)
PDF_CORRUPT = IntakeRule(
    "JURYO-PDF-CORRUPT",
    _F,
    "The PDF cannot be read ({detail}).",
    "PDFを読み取れません（{detail}）。",
)
PDF_ENCRYPTED = IntakeRule(
    "JURYO-PDF-ENCRYPTED",
    _F,
    "The PDF is password-protected; send it without a password.",
    "PDFにパスワードが設定されています。パスワードなしで送付してください。",
)
PDF_ENCRYPTED_OPEN = IntakeRule(
    "JURYO-PDF-ENCRYPTED-OPEN",
    _W,
    "The PDF is encrypted without a password; PDF/A (Factur-X) forbids encryption.",
    "PDFが暗号化されています（パスワードなし）。PDF/A（Factur-X）では暗号化は認められません。",
)
PDF_ATTACHMENT_EMPTY = IntakeRule(
    "JURYO-PDF-ATTACHMENT-EMPTY",
    _F,
    "The embedded invoice file {name!r} is empty.",
    "埋め込まれた請求書ファイル「{name}」が空です。",
)
PDF_ATTACHMENT_TOO_LARGE = IntakeRule(
    "JURYO-PDF-ATTACHMENT-SIZE",
    _F,
    "The embedded invoice file {name!r} is larger than {limit} bytes.",
    "埋め込まれた請求書ファイル「{name}」が上限（{limit}バイト）を超えています。",
)
PDF_ATTACHMENT_UNREADABLE = IntakeRule(
    "JURYO-PDF-ATTACHMENT-UNREADABLE",
    _F,
    "The embedded invoice file {name!r} cannot be extracted ({detail}).",
    "埋め込まれた請求書ファイル「{name}」を取り出せません（{detail}）。",
)
PDF_ATTACHMENT_NOT_XML = IntakeRule(
    "JURYO-PDF-ATTACHMENT-NOT-XML",
    _F,
    "The embedded invoice file {name!r} is not XML.",
    "埋め込まれた請求書ファイル「{name}」はXMLではありません。",
)
PDF_ATTACHMENT_NOT_INVOICE = IntakeRule(
    "JURYO-PDF-ATTACHMENT-NOT-INVOICE",
    _F,
    "The embedded file {name!r} is XML but neither a UBL nor a CII invoice.",
    "埋め込まれたファイル「{name}」はXMLですが、UBL・CIIの請求書ではありません。",
)
PDF_ATTACHMENTS_AMBIGUOUS = IntakeRule(
    "JURYO-PDF-ATTACHMENT-AMBIGUOUS",
    _W,
    "The PDF carries several XML files and none has a standard name; {name!r} was not used.",
    "PDFに複数のXMLファイルがあり、標準の名前のものがありません。「{name}」は使用しません。",
)
PDF_ATTACHMENTS_TOO_MANY = IntakeRule(
    "JURYO-PDF-ATTACHMENT-COUNT",
    _F,
    "The PDF carries more than {limit} attached files; send the invoice with fewer attachments.",
    "PDFの添付ファイルが上限（{limit}個）を超えています。添付を減らして送付してください。",
)
PDF_JAVASCRIPT = IntakeRule(
    "JURYO-PDF-JAVASCRIPT",
    _F,
    "The PDF contains JavaScript; documents with scripts are not accepted (PDF/A forbids them).",
    "PDFにJavaScriptが含まれています。スクリプトを含む文書は受け付けません（PDF/Aでも禁止）。",
)
PDF_TEXT_LIMIT = IntakeRule(
    "JURYO-PDF-TEXT-LIMIT",
    _I,
    "The PDF's page content is too large to read in full; guesses come from the first "
    "{limit} bytes of it at most.",
    "PDFのページ内容が大きすぎるため全体は読み取っていません。推定は先頭の最大{limit}バイト"
    "に基づきます。",
)
PDF_PLAIN = IntakeRule(
    "JURYO-PDF-PLAIN",
    _I,
    "A PDF without invoice data: it needs data entry, and the values shown are only guesses.",
    "請求データを含まないPDFです。データ入力が必要です。表示値は推定にすぎません。",
)
PDF_NO_TEXT = IntakeRule(
    "JURYO-PDF-NO-TEXT",
    _I,
    "The PDF has no extractable text (a scan?); nothing could be guessed.",
    "PDFから文字を抽出できません（スキャン画像の可能性）。推定できる値はありません。",
)
PROFILE_WITHOUT_CONTENT = IntakeRule(
    "JURYO-PROFILE-NO-CONTENT",
    _I,
    "Profile {profile} is not a full invoice: like a plain PDF it needs data entry, and the "
    "values shown, read from its XML, must be checked against the PDF.",
    "プロファイル {profile} は完全な請求書ではありません。PDFのみの請求書と同様にデータ入力が"
    "必要です。表示値はXMLから読み取ったもので、PDFとの照合が必要です。",
)
VALIDATION_FAILED = IntakeRule(
    "JURYO-VALIDATION-ERROR",
    _F,
    "The rule validation could not run ({detail}); the document was not accepted.",
    "検証処理を実行できませんでした（{detail}）。文書は受理していません。",
)
READ_FAILED = IntakeRule(
    "JURYO-READ-ERROR",
    _F,
    "The invoice data could not be read ({detail}).",
    "請求データを読み取れませんでした（{detail}）。",
)
ENVELOPE_NOT_SBD = IntakeRule(
    "JURYO-SBDH-ROOT",
    _F,
    "Not a Peppol Standard Business Document: the root element is {root}.",
    "Peppol の標準ビジネス文書（SBD）ではありません。ルート要素が {root} です。",
)
ENVELOPE_FIELD_MISSING = IntakeRule(
    "JURYO-SBDH-FIELD",
    _F,
    "The envelope header (SBDH) lacks {field}.",
    "封筒ヘッダー（SBDH）に {field} がありません。",
)
ENVELOPE_PARTICIPANT = IntakeRule(
    "JURYO-SBDH-PARTICIPANT",
    _F,
    "The {role} '{value}' is not a Peppol participant id (iso6523-actorid-upis, scheme:id).",
    "{role_ja}「{value}」は Peppol 参加者 ID（iso6523-actorid-upis の scheme:id）ではありません。",
)
ENVELOPE_PAYLOAD = IntakeRule(
    "JURYO-SBDH-PAYLOAD",
    _F,
    "The envelope must carry exactly one business document; it carries {count}.",
    "封筒にはビジネス文書がちょうど 1 つ必要ですが、{count} 個あります。",
)
ENVELOPE_DOCUMENT_TYPE = IntakeRule(
    "JURYO-SBDH-DOCUMENT-TYPE",
    _F,
    "The envelope declares document type '{declared}', but the document is '{actual}'.",
    "封筒の文書タイプ「{declared}」が、文書の実際の種類「{actual}」と一致しません。",
)
ENVELOPE_PROCESS = IntakeRule(
    "JURYO-SBDH-PROCESS",
    _F,
    "The envelope declares process '{declared}', but the document's ProfileID is '{actual}'.",
    "封筒のプロセス「{declared}」が、文書の ProfileID「{actual}」と一致しません。",
)
SELLER_NOT_SENDER = IntakeRule(
    "JURYO-INTAKE-SELLER",
    _F,
    "The seller's registration number {claimed} is not that of your account ({own}).",
    "売手の登録番号 {claimed} は、ご利用アカウントの登録番号（{own}）と異なります。",
)
"""Fatal against invoice data; intake lowers it to a warning against a plain PDF's guess."""
DUPLICATE_NUMBER = IntakeRule(
    "JURYO-INTAKE-DUPLICATE",
    _W,
    "invoice {number} of {issue_date} was already received with different content",
    "請求書番号 {number}（{issue_date}）は内容の異なるものを受領済みです。",
)
NTA_NOT_REGISTERED = IntakeRule(
    "JURYO-INTAKE-NTA-NOT-REGISTERED",
    _W,
    "The registration number {number} was not registered as a qualified-invoice issuer on the "
    "issue date {issue_date} (NTA registry as of {as_of}{detail}): the city may not claim the "
    "consumption-tax credit on this invoice. The invoice is still owed.",
    "登録番号 {number} は、請求書の発行日 {issue_date} に適格請求書発行事業者として登録されて"
    "いません（国税庁公表データ {as_of} 時点{detail_ja}）。この請求書では市は仕入税額控除を"
    "受けられない可能性があります。支払義務は変わりません。",
)
"""Never registered, deleted from the registry, or registered only after the issue date."""
NTA_INACTIVE = IntakeRule(
    "JURYO-INTAKE-NTA-INACTIVE",
    _W,
    "The registration of {number} was {how_en} on {ended}, before the issue date {issue_date} "
    "(NTA registry as of {as_of}): the city may not claim the consumption-tax credit on this "
    "invoice. The invoice is still owed.",
    "登録番号 {number} の登録は {ended} に{how_ja}されており、請求書の発行日 {issue_date} "
    "より前です（国税庁公表データ {as_of} 時点）。この請求書では市は仕入税額控除を受けられ"
    "ない可能性があります。支払義務は変わりません。",
)
"""Cancelled (取消) or expired (失効) on or before the issue date."""
NTA_NAME_MISMATCH = IntakeRule(
    "JURYO-INTAKE-NTA-NAME",
    _W,
    "The seller's name on the invoice, '{invoice_name}', differs from the name registered "
    "with the NTA for {number}: '{registered_name}'. Check that the number is the seller's.",
    "請求書の売手名「{invoice_name}」が、国税庁に登録された {number} の名称「{registered_name}」"
    "と異なります。登録番号が売手のものか確認してください。",
)
NTA_UNKNOWN = IntakeRule(
    "JURYO-NTA-UNKNOWN",
    _I,
    "The registration number {number} was not checked against the NTA registry: {reason_en}. "
    "Nothing is claimed either way.",
    "登録番号 {number} は国税庁の公表データと照合していません（{reason_ja}）。登録の有無は"
    "判断していません。",
)
"""No registry imported, or the newest import older than the allowed age."""
MALWARE = IntakeRule(
    "JURYO-INTAKE-MALWARE",
    _F,
    "The malware scan found {signature} in the file; it was refused and kept in quarantine.",
    "マルウェア検査で {signature} が検出されたため、このファイルは受け付けず隔離しました。",
)
PEPPOL_RECEIVER = IntakeRule(
    "JURYO-PEPPOL-RECEIVER",
    _F,
    "The receiver {receiver} is not one of the city's Peppol participant ids.",
    "受信者 {receiver} は、市の Peppol 参加者 ID ではありません。",
)
PEPPOL_SENDER_UNKNOWN = IntakeRule(
    "JURYO-PEPPOL-SENDER",
    _F,
    "The sender {sender} is not a Peppol participant id of any registered supplier.",
    "送信者 {sender} は、登録された事業者の Peppol 参加者 ID ではありません。",
)
PEPPOL_REFUSED = IntakeRule(
    "JURYO-PEPPOL-REFUSED",
    _F,
    "The document was refused (HTTP {status}): {detail}",
    "文書は受け付けられませんでした（HTTP {status}）：{detail}",
)
"""A document intake refused as it refuses an upload (e.g. the supplier is not approved)."""
