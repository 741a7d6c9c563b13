"""The demo's texts: 阳光社区居民公约 in three versions (each article keeps its key
from version to version, so the diff shows what changed) and 阳光花园's convention."""

from __future__ import annotations


def _a(key: str, text: str, *items: str) -> dict:
    return {
        "type": "article",
        "id": key,
        "value": {
            "title": "",
            "text": text,
            "items": [
                {"type": "item", "value": item, "id": f"{key}-{n}"}
                for n, item in enumerate(items)
            ],
        },
    }


def _c(key: str, title: str) -> dict:
    return {"type": "chapter", "value": title, "id": key}


def _replaced(body: list[dict], *articles: dict, after: dict | None = None) -> list:
    """`body` with each article of the same key replaced; `after`: (key → new
    article) inserted after the article of that key."""
    by_key = {a["id"]: a for a in articles}
    out = []
    for block in body:
        out.append(by_key.get(block["id"], block))
        for key, added in (after or {}).items():
            if block["id"] == key:
                out.append(added)
    return out


GREEN = ("不得毁坏绿地、花木", "不得私搭乱建")
V1 = [
    _c("yg-c1", "第一章 总则"),
    _a("yg-1", "为建设文明和谐的阳光社区，依据《城市居民委员会组织法》，制定本公约。"),
    _a("yg-2", "本社区居民应当遵守法律法规，履行公民义务，维护社会秩序。"),
    _c("yg-c2", "第二章 公共秩序"),
    _a("yg-3", "居民应当爱护公共绿地和公共设施。", *GREEN),
    _a("yg-4", "居民应当按规定停放车辆，不得占用消防通道。"),
    _a("yg-5", "饲养犬只应当依法登记，出户时束犬链。"),
    _a("yg-6", "邻里之间应当互谅互让、互帮互助。"),
    _c("yg-c3", "第三章 附则"),
    _a("yg-7", "本公约经居民会议讨论通过，报街道办事处备案后施行。"),
]
SHARED = "居民应当共同爱护公共绿地和公共设施。"
RUBBISH = _a("yg-8", "居民应当按规定分类投放生活垃圾。")
V2 = _replaced(
    V1,
    _a("yg-3", SHARED, *GREEN, "不得在公共区域堆放杂物"),
    after={"yg-5": RUBBISH},
)
# The third version: articles 3 and 4 amended after residents' comments, the
# article on rubbish moved up, before the one on dogs.
V3 = _replaced(
    [block for block in V2 if block is not RUBBISH],
    _a("yg-3", SHARED, *GREEN, "不得在公共区域堆放杂物", "不得高空抛物"),
    _a(
        "yg-4",
        "居民应当按规定有序停放车辆和电动自行车，不得占用消防通道，"
        "不得在楼道内为电动自行车充电。",
    ),
    after={"yg-4": RUBBISH},
)
CONVENTION_BODY = [
    _c("hy-c1", "第一章 总则"),
    _a("hy-1", "为维护阳光花园小区的居住环境，经小区居民协商，制定本公约。"),
    _a("hy-2", "本公约适用于阳光花园小区全体居民。"),
    _c("hy-c2", "第二章 共同遵守"),
    _a("hy-3", "夜间二十二时至次日七时，居民应当避免产生影响他人休息的噪声。"),
    _a("hy-4", "小区内车辆限速每小时五公里，按指定位置停放。"),
    _a("hy-5", "加装电梯、改造公共设施等事项，应当依法由业主共同决定。"),
]
