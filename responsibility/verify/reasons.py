"""Why a verdict is what it is: a stable machine code per rule, with a plain-Chinese message.

Codes never change meaning (clients and tests key on them); messages are what a reader sees on the
public page, in the API and on the command line. A reason may name the signature field it is about.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MESSAGES", "Reason", "reason"]

#: code → message template (``{field}`` and ``{detail}`` are filled in when given).
MESSAGES: dict[str, str] = {
    # unreadable
    "too_large": "文件超过大小上限（{detail}）",
    "time_limit": "核验超时（time limit），文件可能过于复杂或被构造用于拖垮核验",
    "not_pdf": "不是可读取的 PDF 文件：{detail}",
    "encrypted": "文件已加密，不予核验（encrypted PDF not accepted）",
    "worker_failed": "核验进程异常退出，无法读取该文件",
    "busy": "核验服务繁忙，请稍后重试",
    # document structure
    "no_signatures": "文件中没有数字签名",
    "data_after_eof": "文件最后的 %%EOF 之后还有多余数据",
    "unsigned_revision": "最后一个签名之后还有未签名的修改（增量更新），这不是登记的版本",
    "unknown_signature": "文件含有无法识别的签名（{field}）",
    "non_signature_fields": "文件含有非签名的表单域：{detail}",
    "not_our_document": "文件中没有本系统的文书编号（责任矩阵附件），不是本系统签发的责任书",
    # one signature
    "signature_broken": "签名 {field} 的完整性校验失败：签名之后被篡改或签名数据损坏",
    "signature_invalid": "签名 {field} 无效：{detail}",
    "coverage": "签名 {field} 没有覆盖其所在的整个版本",
    "diff_missing": "签名 {field} 之后的修改无法进行差异分析",
    "modified_after": "签名 {field} 之后的修改不被允许：{detail}",
    "untrusted": "签名 {field} 的证书不能追溯到受信任的根证书",
    "revoked": "签名 {field} 的证书在签署时已被吊销",
    "no_timestamp": "签名 {field} 没有受信任的时间戳",
    "timestamp_invalid": "文档时间戳 {field} 无效或不受信任",
    "unexpected_field_change": "签名 {field} 之后修改了不应修改的表单域：{detail}",
    "wrong_signer": "签名 {field} 的签署人与登记的签署人不符：{detail}",
    "certificate_not_pinned": "签名 {field} 所用证书不是签署人在本系统登记的证书",
    "unexpected_signature": "签名域 {field} 不是该责任书应有的签名域",
    # registry
    "registry_unavailable": "未查询登记库，无法确认该文件是否为登记的最终版本",
    "not_in_registry": "登记库中没有这份责任书（文书编号 {detail}）",
    "number_mismatch": "文件中的文书编号与登记记录不一致（{detail}）",
    "not_a_registered_revision": "文件与登记的任何版本都不一致",
    "unregistered_update": "文件在登记版本之后追加了未登记的修改",
    "earlier_revision": "这是登记的较早版本（第 {detail} 版），不是最终版本",
    "agreement_void": "该责任书已作废或已被替代（状态：{detail}）",
    "missing_signatures": "尚缺签名：{detail}",
}


@dataclass(frozen=True)
class Reason:
    """One broken rule (or missing step), with its stable code."""

    code: str
    """Stable machine code, a key of :data:`MESSAGES`."""
    message: str
    """Plain Chinese, ready to show."""
    field: str | None = None
    """The signature field concerned, if any."""

    def as_json(self) -> dict[str, str | None]:
        return {"code": self.code, "message": self.message, "field": self.field}


def reason(code: str, *, field: str | None = None, detail: str = "") -> Reason:
    """The :class:`Reason` for ``code`` with its message filled in (unknown codes are a bug)."""
    template = MESSAGES[code]
    return Reason(code, template.format(field=field or "", detail=detail), field)
