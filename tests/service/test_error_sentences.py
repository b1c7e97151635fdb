"""A refusal named by a catalogue key reads right in each language, including a catalogue word
inside it (``Phrase``), and the API body carries both so a client can show its own user."""

from __future__ import annotations

from service.errors import Conflict, error_response
from service.i18n import Phrase


def test_a_said_error_carries_its_sentence_in_both_languages() -> None:
    error = Conflict.said(
        "admin.suppliers.not_pending",
        number="T1",
        state=Phrase("supplier.state.rejected"),
    )
    assert "却下" in error.message("ja")
    assert "却下" in error.extra["message_ja"]
    assert "rejected" in error.message("en")
    assert "rejected" in error.detail
    assert "却下" not in error.extra["message_en"]
    body = error_response(error).body.decode()
    assert '"message_ja":"登録番号 T1 の申請は承認待ちではありません（却下）。"' in body
    assert '"message_en":"The sign-up for T1 is not pending (rejected)."' in body
