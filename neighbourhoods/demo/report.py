"""What `seed_demo` prints: each demo module's lines, the logins table, the address."""

from __future__ import annotations

import unicodedata

from .context import DEMO_PASSWORD, DEMO_URL, DemoLogin


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def render_report(
    lines: list[str], logins: list[DemoLogin], url: str = DEMO_URL
) -> str:
    """The modules' report lines, then the logins table, then the URL (last)."""
    lines = [*lines, "", "演示账号 Demo logins"]
    head = ("用户名 Username", "密码 Password", "身份 Who")
    user_w = max([_width(head[0]), *(_width(lg.username) for lg in logins)]) + 2
    pass_w = max(_width(head[1]), _width(DEMO_PASSWORD)) + 2
    lines.append(_pad(head[0], user_w) + _pad(head[1], pass_w) + head[2])
    lines.append("-" * (user_w + pass_w + 40))
    for login in logins:
        lines.append(
            _pad(login.username, user_w) + _pad(DEMO_PASSWORD, pass_w) + login.who_zh
        )
        lines.append(" " * (user_w + pass_w) + login.who_en)
    lines += [
        "",
        "每次运行都会把以上账号的密码重置为演示密码。 "
        "Each run resets these logins to the demo password.",
        f"网站后台 Admin: {url}admin/",
        f"打开网站 Open: {url}",
    ]
    return "\n".join(lines) + "\n"
