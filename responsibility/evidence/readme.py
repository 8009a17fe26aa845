"""The Chinese README of an evidence package: how to check every file offline.

The commands are run by ``tests/integration/evidence`` against a real package, so they stay true.
"""

from __future__ import annotations

import datetime as dt

from ..clock import DEFAULT_ZONE, chinese_zone_label, to_local

__all__ = ["pyhanko_command", "readme_text"]


def pyhanko_command(pdf: str) -> list[str]:
    """The pyHanko CLI call the README documents (trust only our root; nothing fetched)."""
    return ["pyhanko", "sign", "validate", "--trust", "root.pem", "--trust-replace", "--no-revocation-check", pdf]


def openssl_checkpoint_command(name: str) -> list[str]:
    """The OpenSSL call that checks one signed checkpoint of the audit chain."""
    return [
        "openssl", "cms", "-verify", "-binary", "-inform", "DER",
        "-in", f"checkpoints/{name}.p7s", "-content", f"checkpoints/{name}.json",
        "-CAfile", "root.pem", "-purpose", "any", "-out", "/dev/null",
    ]  # fmt: skip


def readme_text(
    *, scope: str, generated_at: dt.datetime, example_pdf: str, crls: list[str], zone: dt.tzinfo = DEFAULT_ZONE
) -> str:
    moment = to_local(generated_at, zone)
    crl_example = crls[0] if crls else "crl/01.crl"
    return f"""证据包说明
==========

范围：{scope or "—"}
生成时间：{moment.strftime("%Y-%m-%d %H:%M:%S")}{chinese_zone_label(zone)}

本证据包用于在不连接本系统的情况下（离线）核验安全责任书的电子签名。

一、文件清单
------------
README.txt                       本说明
manifest.json                    其余每个文件的 SHA-256 摘要，以及每份协议的验证结论
root.pem                         县级根证书（所有签名证书、单位印章证书和时间戳证书都由它签发）
crl/*.crl                        本县证书机构当前的证书吊销列表（DER 格式）
agreements/<文号>/<文号>.pdf      最终签署的协议（登记的最新版本）
agreements/<文号>/verification.json  本系统对该文件的验证报告（机器可读）
agreements/<文号>/verification.pdf   同一报告的可读版本，加盖了教育局单位印章电子签名和可信时间戳
audit-events.jsonl               与这些协议有关的审计日志事件（每行一个，含 prev_hash 与 hash）
checkpoints/*.json, *.p7s        审计日志的签名检查点（单位印章签名 + 时间戳）

二、核对文件摘要
----------------
    sha256sum {example_pdf}
结果应与 manifest.json 中 "files" 下同名文件的摘要一致。

三、用 pyHanko 命令行核验 PDF 签名
----------------------------------
安装：pip install pyhanko-cli
在本目录中执行（只信任 root.pem，不访问网络）：
    {" ".join(pyhanko_command(example_pdf))}
每个签名应显示完整（intact）且可信（trusted）；加 --pretty-print 可看到详细信息。
验证报告本身也可以这样核验：
    {" ".join(pyhanko_command(example_pdf.rsplit("/", 1)[0] + "/verification.pdf"))}

四、核对证书是否被吊销
----------------------
上面的命令不检查吊销状态（离线时无法访问证书中的吊销地址）。请查看吊销列表：
    openssl crl -inform DER -in {crl_example} -noout -text
列出的 "Serial Number" 是已吊销的证书序列号；签名人证书的序列号见 verification.json
中 signatures[].signer.serial（十六进制）。签名时间早于吊销时间的签名仍然有效。

五、核验审计日志
----------------
audit-events.jsonl 中每个事件的 hash = sha256(prev_hash ‖ 规范 JSON)，规范 JSON 为
{{"action","actor","at","data","seq","subject"}} 按键排序、无空格、UTF-8 的 JSON。
检查点文件 checkpoints/NNNNNN.json 记录了某一时刻日志链末端事件的序号（seq）与 hash，
由单位印章签名（含 RFC 3161 时间戳）。用 OpenSSL 核验签名：
    openssl cms -verify -binary -inform DER -in checkpoints/000001.p7s -content checkpoints/000001.json -CAfile root.pem -purpose any -out /dev/null
输出 "Verification successful" 即表示检查点未被改动。即使有人改写了数据库中的历史并重新计算了
整条哈希链，也无法伪造单位印章对检查点的签名。
"""
