"""Messages for the native EN 16931 UBL rules, in juryo's words (English and Japanese).

Written per rule family rather than copied from the artefact: the family says what kind of
requirement failed, the business term (when the rule names one) says where. The VAT category
families share one wording per rule number, with the category's name filled in.
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
    if vat is not None:
        en, ja = _vat(vat.group(1), vat.group(2))
    else:
        family = rule_id.rsplit("-", 1)[0]
        base_en, base_ja = _FAMILY.get(family, _FAMILY["BR"])
        en, ja = f"{base_en}.", f"{base_ja}。"
    if term:
        en = f"{en} ({term})"
        ja = f"{ja}（{term}）"
    return en, ja
