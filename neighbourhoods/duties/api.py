"""The JSON of community duties (docs/api.md): the lists, the register of
admitted and refused requests, the burden board. Built from the selectors' pages;
no personal data (certificate holders never appear)."""

from __future__ import annotations


def _item(item) -> dict:
    return {
        "position": item.position,
        "title": item.title,
        "legal_basis": item.legal_basis,
        "department": item.department.name if item.department_id else None,
        "funds_follow": item.funds_follow,
        "form": item.form,
        **(
            {
                "verifiable_facts": item.verifiable_facts,
                "validity_days": item.validity_days,
            }
            if item.kind == "certificate"
            else {}
        ),
    }


def lists_json(page: dict) -> dict:
    version = page["version"]
    return {
        "district": {"code": page["district"].code, "name": page["district"].name},
        "version": None
        if version is None
        else {
            "number": version.number,
            "effective_from": version.effective_from.isoformat(),
            "document": version.document,
            "published_at": version.published_at.isoformat(),
        },
        "versions": [
            {"number": v.number, "effective_from": v.effective_from.isoformat()}
            for v in page["versions"]
        ],
        "duties": [_item(i) for i in page["duties"]],
        "assistance": [_item(i) for i in page["assistance"]],
        "certificates": [_item(i) for i in page["certificates"]],
    }


def _request(request) -> dict:
    return {
        "id": request.pk,
        "title": request.title,
        "number": request.number,
        "state": request.state,
        "legal_basis": request.legal_basis,
        "starts_on": request.starts_on.isoformat(),
        "ends_on": request.ends_on.isoformat() if request.ends_on else None,
        "funds_yuan": request.funds_yuan,
        "staff": request.staff,
        "purchased_service": request.purchased_service,
        "decided_on": request.decided_on.isoformat() if request.decided_on else None,
        "reasons": request.decision_reasons,
    }


def register_json(district, rows: list[dict]) -> dict:
    return {
        "district": {"code": district.code, "name": district.name},
        "departments": [
            {
                "name": row["department"].name,
                "level": row["department"].level,
                "admitted": [_request(r) for r in row["admitted"]],
                "refused": [_request(r) for r in row["refused"]],
                "not_admitted_by_communities": [
                    {
                        "number": t.number,
                        "title": t.title,
                        "community": t.community.name,
                        "refused_on": t.refused_on.isoformat(),
                    }
                    for t in row["not_admitted"]
                ],
            }
            for row in rows
        ],
    }


def burden_json(board: dict) -> dict:
    return {
        "district": {"code": board["district"].code, "name": board["district"].name},
        "months": board["months"],
        "communities": [
            {
                "code": row["community"].code,
                "name": row["community"].name,
                "series": row["series"],
            }
            for row in board["rows"]
        ],
        "totals": board["totals"],
    }
