"""Messages for the native EN 16931 UBL rules, in juryo's words (English and Japanese).

Written by juryo, not copied from the artefact: the BR-nn, BR-CO and BR-CL rules each have their
own wording; the rest are worded by family (the family says what kind of requirement failed,
the business term, when the rule names one, says where), and the VAT category families share
one wording per rule number with the category's name filled in.
"""

from __future__ import annotations

import re

__all__ = ["for_rule"]

_CATEGORY = {
    "S": ("standard rated", "標準税率"),
    "Z": ("zero rated", "ゼロ税率"),
    "E": ("exempt from VAT", "非課税"),
    "AE": ("reverse charge", "リバースチャージ"),
    "IC": ("intra-community supply", "EU域内供給"),
    "G": ("export outside the EU", "EU域外への輸出"),
    "O": ("not subject to VAT", "VAT対象外"),
    "AF": ("IGIC (Canary Islands)", "IGIC（カナリア諸島）"),
    "AG": ("IPSI (Ceuta and Melilla)", "IPSI（セウタ・メリリャ）"),
}

_VAT_TOPIC = {
    "01": (
        "the VAT breakdown must have exactly one entry for this category when it is used",
        "このカテゴリを使う場合、VAT内訳にはこのカテゴリの行がちょうど1つ必要です",
    ),
    "02": (
        "an invoice line in this category needs the right seller or buyer VAT identifiers",
        "このカテゴリの請求明細には、売手または買手の適切なVAT識別子が必要です",
    ),
    "03": (
        "a document allowance in this category needs the right VAT identifiers",
        "このカテゴリの文書レベル値引には、適切なVAT識別子が必要です",
    ),
    "04": (
        "a document charge in this category needs the right VAT identifiers",
        "このカテゴリの文書レベル追加料金には、適切なVAT識別子が必要です",
    ),
    "05": (
        "the VAT rate of an invoice line in this category is not allowed",
        "このカテゴリの請求明細の税率が許されない値です",
    ),
    "06": (
        "the VAT rate of a document allowance in this category is not allowed",
        "このカテゴリの文書レベル値引の税率が許されない値です",
    ),
    "07": (
        "the VAT rate of a document charge in this category is not allowed",
        "このカテゴリの文書レベル追加料金の税率が許されない値です",
    ),
    "08": (
        "the taxable amount of this category does not equal its lines, allowances and charges",
        "このカテゴリの課税標準額が、明細・値引・追加料金の合計と一致しません",
    ),
    "09": (
        "the VAT amount of this category is not what its rate and taxable amount give",
        "このカテゴリの税額が、税率と課税標準額から求めた値と一致しません",
    ),
    "10": (
        "the exemption reason of this category is missing or not allowed",
        "このカテゴリの免税理由が欠けているか、記載が許されません",
    ),
    "11": (
        "this category cannot be combined with other categories, or needs delivery details",
        "このカテゴリは他のカテゴリと併用できないか、納品情報が必要です",
    ),
    "12": (
        "this category cannot be combined with other categories, or needs the delivery country",
        "このカテゴリは他のカテゴリと併用できないか、納品先の国が必要です",
    ),
    "13": (
        "a document allowance must be in this category when the invoice uses it",
        "請求書がこのカテゴリを使う場合、文書レベル値引もこのカテゴリでなければなりません",
    ),
    "14": (
        "a document charge must be in this category when the invoice uses it",
        "請求書がこのカテゴリを使う場合、文書レベル追加料金もこのカテゴリでなければなりません",
    ),
}

_FAMILY = {
    "BR": (
        "A required EN 16931 business rule is not met",
        "EN 16931 のビジネスルールを満たしていません",
    ),
    "BR-B": (
        "Split payment (VAT category B) is used in a way EN 16931 does not allow",
        "分割支払（VATカテゴリB）の使い方が EN 16931 で許されていません",
    ),
    "BR-CO": (
        "A calculated or conditional value is inconsistent with the rest of the invoice",
        "計算値または条件付きの値が、請求書の他の内容と整合していません",
    ),
    "BR-DEC": (
        "The amount has more than two decimal places",
        "金額の小数点以下が2桁を超えています",
    ),
    "BR-CL": (
        "The code is not in the code list EN 16931 prescribes",
        "コードが EN 16931 の定めるコードリストにありません",
    ),
    "UBL-SR": (
        "The UBL element occurs more often than EN 16931 allows, or is incomplete",
        "UBL の要素が EN 16931 で許される回数を超えているか、不完全です",
    ),
    "UBL-DT": (
        "A UBL data type attribute or value is not used as EN 16931 prescribes",
        "UBL のデータ型の属性または値が EN 16931 の定めどおりではありません",
    ),
    "UBL-CR": (
        "This UBL element is not part of EN 16931 and should be left out",
        "この UBL 要素は EN 16931 の範囲外のため、記載しないでください",
    ),
}

_SPECIFIC: dict[str, tuple[str, str]] = {
    "BR-01": ("The specification identifier is missing", "仕様ID（カスタマイズID）がありません"),
    "BR-02": ("The invoice number is missing", "請求書番号がありません"),
    "BR-03": ("The issue date is missing", "発行日がありません"),
    "BR-04": ("The invoice type code is missing", "請求書タイプコードがありません"),
    "BR-05": ("The invoice currency code is missing", "請求書の通貨コードがありません"),
    "BR-06": ("The seller's name is missing", "売手の名称がありません"),
    "BR-07": ("The buyer's name is missing", "買手の名称がありません"),
    "BR-08": ("The seller's postal address is missing", "売手の住所がありません"),
    "BR-09": ("The seller's address has no country code", "売手の住所に国コードがありません"),
    "BR-10": ("The buyer's postal address is missing", "買手の住所がありません"),
    "BR-11": ("The buyer's address has no country code", "買手の住所に国コードがありません"),
    "BR-12": ("The sum of the line net amounts is missing", "明細金額の合計がありません"),
    "BR-13": ("The total without VAT is missing", "税抜合計額がありません"),
    "BR-14": ("The total with VAT is missing", "税込合計額がありません"),
    "BR-15": ("The amount due for payment is missing", "支払請求額がありません"),
    "BR-16": ("The invoice has no line", "請求明細が1行もありません"),
    "BR-17": (
        "A payee other than the seller needs a name",
        "売手と異なる支払先には名称が必要です",
    ),
    "BR-18": ("The seller's tax representative needs a name", "売手の税務代理人の名称が必要です"),
    "BR-19": (
        "The seller's tax representative needs a postal address",
        "売手の税務代理人の住所が必要です",
    ),
    "BR-20": (
        "The tax representative's address needs a country code",
        "税務代理人の住所に国コードが必要です",
    ),
    "BR-21": ("An invoice line has no identifier", "請求明細に明細IDがありません"),
    "BR-22": ("An invoice line has no quantity", "請求明細に数量がありません"),
    "BR-23": (
        "An invoice line's quantity has no unit code",
        "請求明細の数量に単位コードがありません",
    ),
    "BR-24": ("An invoice line has no net amount", "請求明細に明細金額がありません"),
    "BR-25": ("An invoice line has no item name", "請求明細に品名がありません"),
    "BR-26": ("An invoice line has no net price", "請求明細に正味単価がありません"),
    "BR-27": ("The item net price is negative", "正味単価がマイナスです"),
    "BR-28": ("The item gross price is negative", "総額単価がマイナスです"),
    "BR-29": (
        "The invoicing period ends before it starts",
        "請求期間の終了日が開始日より前です",
    ),
    "BR-30": (
        "A line's invoicing period ends before it starts",
        "明細の請求期間の終了日が開始日より前です",
    ),
    "BR-31": ("A document allowance has no amount", "文書レベル値引に金額がありません"),
    "BR-32": (
        "A document allowance has no VAT category",
        "文書レベル値引にVATカテゴリがありません",
    ),
    "BR-33": (
        "A document allowance needs a reason or a reason code",
        "文書レベル値引には理由または理由コードが必要です",
    ),
    "BR-36": ("A document charge has no amount", "文書レベル追加料金に金額がありません"),
    "BR-37": (
        "A document charge has no VAT category",
        "文書レベル追加料金にVATカテゴリがありません",
    ),
    "BR-38": (
        "A document charge needs a reason or a reason code",
        "文書レベル追加料金には理由または理由コードが必要です",
    ),
    "BR-41": ("A line allowance has no amount", "明細値引に金額がありません"),
    "BR-42": (
        "A line allowance needs a reason or a reason code",
        "明細値引には理由または理由コードが必要です",
    ),
    "BR-43": ("A line charge has no amount", "明細追加料金に金額がありません"),
    "BR-44": (
        "A line charge needs a reason or a reason code",
        "明細追加料金には理由または理由コードが必要です",
    ),
    "BR-45": ("A VAT breakdown has no taxable amount", "VAT内訳に課税標準額がありません"),
    "BR-46": ("A VAT breakdown has no VAT amount", "VAT内訳に税額がありません"),
    "BR-47": ("A VAT breakdown has no VAT category code", "VAT内訳にVATカテゴリコードがありません"),
    "BR-48": (
        "A VAT breakdown needs a rate unless it is 'not subject to VAT'",
        "VAT内訳には税率が必要です（VAT対象外を除く）",
    ),
    "BR-49": (
        "A payment instruction has no payment means code",
        "支払指示に支払手段コードがありません",
    ),
    "BR-50": (
        "A credit transfer needs the payment account identifier",
        "口座振込には振込先口座の識別子が必要です",
    ),
    "BR-51": (
        "Only the last digits of a card number may appear on an invoice",
        "カード番号は下数桁のみ記載できます",
    ),
    "BR-52": (
        "A supporting document has no reference",
        "添付書類に参照番号がありません",
    ),
    "BR-53": (
        "With a VAT accounting currency, the total VAT in that currency is required",
        "税額計算通貨を指定した場合、その通貨での税額合計が必要です",
    ),
    "BR-54": (
        "An item attribute needs both a name and a value",
        "品目属性には名称と値の両方が必要です",
    ),
    "BR-55": (
        "A preceding invoice reference has no invoice number",
        "先行請求書の参照に請求書番号がありません",
    ),
    "BR-56": (
        "The seller's tax representative has no VAT identifier",
        "売手の税務代理人にVAT識別子がありません",
    ),
    "BR-57": ("The deliver-to address has no country code", "納品先住所に国コードがありません"),
    "BR-61": (
        "This credit transfer needs the payment account identifier",
        "この振込方法には振込先口座の識別子が必要です",
    ),
    "BR-62": (
        "The seller's electronic address has no scheme",
        "売手の電子アドレスにスキームIDがありません",
    ),
    "BR-63": (
        "The buyer's electronic address has no scheme",
        "買手の電子アドレスにスキームIDがありません",
    ),
    "BR-64": (
        "The item standard identifier has no scheme",
        "品目の標準識別子にスキームIDがありません",
    ),
    "BR-65": (
        "The item classification code has no list identifier",
        "品目分類コードにリストIDがありません",
    ),
    "BR-CO-03": (
        "Give either the tax point date or its code, not both",
        "課税時期の日付とそのコードは、どちらか一方だけを記載してください",
    ),
    "BR-CO-04": ("An invoice line has no VAT category", "請求明細にVATカテゴリがありません"),
    "BR-CO-05": (
        "The allowance reason and its code do not agree",
        "値引理由と理由コードが一致していません",
    ),
    "BR-CO-06": (
        "The charge reason and its code do not agree",
        "追加料金の理由と理由コードが一致していません",
    ),
    "BR-CO-07": (
        "The line allowance reason and its code do not agree",
        "明細値引の理由と理由コードが一致していません",
    ),
    "BR-CO-08": (
        "The line charge reason and its code do not agree",
        "明細追加料金の理由と理由コードが一致していません",
    ),
    "BR-CO-09": (
        "A VAT identifier does not start with a valid country prefix",
        "VAT識別子が正しい国コードの接頭辞で始まっていません",
    ),
    "BR-CO-10": (
        "The sum of line net amounts does not equal the lines",
        "明細金額の合計が各明細の合計と一致しません",
    ),
    "BR-CO-11": (
        "The allowance total does not equal the document allowances",
        "値引合計が文書レベル値引の合計と一致しません",
    ),
    "BR-CO-12": (
        "The charge total does not equal the document charges",
        "追加料金合計が文書レベル追加料金の合計と一致しません",
    ),
    "BR-CO-13": (
        "The total without VAT is not lines minus allowances plus charges",
        "税抜合計額が、明細合計から値引を引き追加料金を足した額と一致しません",
    ),
    "BR-CO-14": (
        "The total VAT does not equal the VAT breakdown",
        "税額合計がVAT内訳の税額の合計と一致しません",
    ),
    "BR-CO-15": (
        "The total with VAT is not the total without VAT plus the VAT",
        "税込合計額が税抜合計額と税額合計の和と一致しません",
    ),
    "BR-CO-16": (
        "The amount due is not the total with VAT minus prepaid plus rounding",
        "支払請求額が、税込合計から前払額を引き端数調整を足した額と一致しません",
    ),
    "BR-CO-17": (
        "A VAT amount is not its taxable amount times its rate",
        "税額が課税標準額に税率を掛けた額と一致しません",
    ),
    "BR-CO-18": ("The invoice has no VAT breakdown", "VAT内訳が1つもありません"),
    "BR-CO-19": (
        "An invoicing period needs a start date, an end date or both",
        "請求期間には開始日・終了日の少なくとも一方が必要です",
    ),
    "BR-CO-20": (
        "A line's invoicing period needs a start date, an end date or both",
        "明細の請求期間には開始日・終了日の少なくとも一方が必要です",
    ),
    "BR-CO-21": (
        "A document allowance needs a reason or a reason code",
        "文書レベル値引には理由または理由コードが必要です",
    ),
    "BR-CO-22": (
        "A document charge needs a reason or a reason code",
        "文書レベル追加料金には理由または理由コードが必要です",
    ),
    "BR-CO-23": (
        "A line allowance needs a reason or a reason code",
        "明細値引には理由または理由コードが必要です",
    ),
    "BR-CO-24": (
        "A line charge needs a reason or a reason code",
        "明細追加料金には理由または理由コードが必要です",
    ),
    "BR-CO-26": (
        "The seller needs an identifier, a legal registration number or a VAT identifier",
        "売手には識別子、法人登録番号またはVAT識別子のいずれかが必要です",
    ),
    "BR-CL-01": (
        "Unknown document type code (UNTDID 1001)",
        "文書タイプコードが不正です（UNTDID 1001）",
    ),
    "BR-CL-03": ("Unknown currency (ISO 4217)", "通貨コードが不正です（ISO 4217）"),
    "BR-CL-04": ("Unknown invoice currency (ISO 4217)", "請求書の通貨コードが不正です（ISO 4217）"),
    "BR-CL-05": (
        "Unknown VAT accounting currency (ISO 4217)",
        "税額計算通貨が不正です（ISO 4217）",
    ),
    "BR-CL-06": (
        "Unknown tax point date code (UNTDID 2005)",
        "課税時期コードが不正です（UNTDID 2005）",
    ),
    "BR-CL-07": (
        "Unknown object identifier scheme (UNTDID 1153)",
        "対象IDのスキームが不正です（UNTDID 1153）",
    ),
    "BR-CL-08": (
        "Unknown note subject code (UNCL 4451)",
        "注記の主題コードが不正です（UNCL 4451）",
    ),
    "BR-CL-10": (
        "Unknown identifier scheme (ISO 6523 ICD)",
        "識別子のスキームが不正です（ISO 6523 ICD）",
    ),
    "BR-CL-11": (
        "Unknown registration identifier scheme (ISO 6523 ICD)",
        "登録番号のスキームが不正です（ISO 6523 ICD）",
    ),
    "BR-CL-13": (
        "Unknown item classification scheme (UNTDID 7143)",
        "品目分類のスキームが不正です（UNTDID 7143）",
    ),
    "BR-CL-14": ("Unknown country code (ISO 3166-1)", "国コードが不正です（ISO 3166-1）"),
    "BR-CL-15": ("Unknown country of origin (ISO 3166-1)", "原産国コードが不正です（ISO 3166-1）"),
    "BR-CL-16": ("Unknown payment means code (UNCL 4461)", "支払手段コードが不正です（UNCL 4461）"),
    "BR-CL-17": (
        "Unknown VAT category code (UNCL 5305)",
        "VATカテゴリコードが不正です（UNCL 5305）",
    ),
    "BR-CL-18": (
        "Unknown line VAT category code (UNCL 5305)",
        "明細のVATカテゴリコードが不正です（UNCL 5305）",
    ),
    "BR-CL-19": (
        "Unknown allowance reason code (UNCL 5189)",
        "値引理由コードが不正です（UNCL 5189）",
    ),
    "BR-CL-20": (
        "Unknown charge reason code (UNCL 7161)",
        "追加料金理由コードが不正です（UNCL 7161）",
    ),
    "BR-CL-21": (
        "Unknown item standard identifier scheme (ISO 6523 ICD)",
        "品目標準識別子のスキームが不正です（ISO 6523 ICD）",
    ),
    "BR-CL-22": ("Unknown VAT exemption reason code (VATEX)", "免税理由コードが不正です（VATEX）"),
    "BR-CL-23": (
        "Unknown unit code (UN/ECE Rec 20/21)",
        "単位コードが不正です（UN/ECE Rec 20/21）",
    ),
    "BR-CL-24": (
        "Attachment MIME type not allowed",
        "添付ファイルのMIMEタイプが許可されていません",
    ),
    "BR-CL-25": (
        "Unknown electronic address scheme (EAS)",
        "電子アドレスのスキームが不正です（EAS）",
    ),
    "BR-CL-26": (
        "Unknown delivery location scheme (ISO 6523 ICD)",
        "納品場所IDのスキームが不正です（ISO 6523 ICD）",
    ),
}
"""Rules with a wording of their own; the rest are worded by family."""


_VAT_FAMILY = re.compile(r"^BR-(S|Z|E|AE|IC|G|O|AF|AG)-(\d\d)$")


def _vat(category: str, number: str) -> tuple[str, str]:
    name_en, name_ja = _CATEGORY[category]
    topic_en, topic_ja = _VAT_TOPIC[number]
    return (
        f"VAT category {name_en}: {topic_en}.",
        f"VATカテゴリ「{name_ja}」: {topic_ja}。",
    )


def for_rule(rule_id: str, term: str | None) -> tuple[str, str]:
    """English and Japanese message for an official rule id and its business term."""
    vat = _VAT_FAMILY.match(rule_id)
    if rule_id in _SPECIFIC:
        base_en, base_ja = _SPECIFIC[rule_id]
        en, ja = f"{base_en}.", f"{base_ja}。"
    elif vat is not None:
        en, ja = _vat(vat.group(1), vat.group(2))
    else:
        family = rule_id.rsplit("-", 1)[0]
        base_en, base_ja = _FAMILY.get(family, _FAMILY["BR"])
        en, ja = f"{base_en}.", f"{base_ja}。"
    if term:
        en = f"{en} ({term})"
        ja = f"{ja}（{term}）"
    return en, ja
