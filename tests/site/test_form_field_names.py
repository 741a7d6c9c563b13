"""No form of any page names two fields alike.

A browser sends every field of a form under its name, and Django's
`request.POST.get` reads the last value of a name: a form with two fields named
alike loses one. (The district office's list-item form had a hidden
`<input name="form" value="item">`, its dispatcher, and a text box also named
`form`: a browser's post named no known form and got 404.)
tests/neighbourhoods/duties/test_page_forms.py checks the duties' staff pages; this
checks every page tests/site/test_hostile_queries.py visits (its `demo_pages`: each
route once with the demo's real objects, every Wagtail page type), as each of its
users. Check boxes and radio buttons share a name on purpose, and buttons (only the
one pressed is sent) may too, so those are left out.

The demo's list version is published, so the office page would not show the
list-item form of a draft (the one that had the fault): a draft is added first.
"""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

from django.core.cache import cache as django_cache
from django.utils import timezone

from neighbourhoods.duties.models import ListVersion
from neighbourhoods.models import District
from tests.site.test_hostile_queries import (
    USERS,
    _client,
    demo_pages,  # noqa: F401 (a fixture, used by name)
    quiet,  # noqa: F401 (a fixture, used by name)
)

# Inputs that share a name on purpose (check boxes, radio buttons) or are sent only
# when pressed (buttons); a reset button is never sent.
SHARED = frozenset({"checkbox", "radio", "submit", "button", "image", "reset"})
OFFICE = "/duties/dongqu/office/"  # the page that had the fault (the demo's district)
# Forms of pages we do not write, naming a field twice harmlessly, as {(page, name):
# why}. Only for another project's markup whose doubled fields carry one value.
THIRD_PARTY_DOUBLES = {
    ("/admin/account/", "csrfmiddlewaretoken"): (
        "Wagtail 8's account page: wagtailadmin/generic/form.html and account.html "
        "each print the CSRF token, the same value twice"
    ),
}

Forms = list[tuple[str, list[str]]]  # (action, the names of its fields), by form


class FormFields(HTMLParser):
    """The names of each <form>'s fields (input, textarea, select) in page order, by
    its action: `forms`, [(action, [name, …]), …]. A field outside the form that
    names it (`form="its id"`) counts in it; a form nested in another is ignored,
    as a browser ignores it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, list[str]]] = []
        self._ids: dict[str, list[str]] = {}
        self._elsewhere: list[tuple[str, str]] = []  # (form id, name)
        self._open: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {key: value or "" for key, value in attrs}
        if tag == "form" and self._open is None:
            self._open = []
            shown = attrs.get("action") or "(the page itself)"
            if attrs.get("id"):
                self._ids[attrs["id"]] = self._open
                shown += f" #{attrs['id']}"
            self.forms.append((shown, self._open))
        elif tag in ("input", "textarea", "select") and attrs.get("name"):
            if tag == "input" and attrs.get("type", "").lower() in SHARED:
                return
            if attrs.get("form"):
                self._elsewhere.append((attrs["form"], attrs["name"]))
            elif self._open is not None:
                self._open.append(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = None

    def close(self):
        super().close()
        for form_id, name in self._elsewhere:
            if form_id in self._ids:
                self._ids[form_id].append(name)


def forms_of(html: str) -> Forms:
    """Each form of `html` as (action, the names of its fields)."""
    parser = FormFields()
    parser.feed(html)
    parser.close()
    return parser.forms


def doubled_names(forms: Forms) -> Forms:
    """(action, the names given twice or more) of each form that has any."""
    found = []
    for action, names in forms:
        doubled = sorted({name for name in names if names.count(name) > 1})
        if doubled:
            found.append((action, doubled))
    return found


def test_the_parser_finds_a_name_given_twice():
    page = """
    <form method="post" action="/duties/dongqu/office/">
      <input type="hidden" name="form" value="item"><input name="version" value="1">
      <select name="kind"><option value="duty">duty</option></select>
      <label><input type="checkbox" name="funds_follow" value="1"></label>
      <input name="form" maxlength="200"><button name="go" value="1">add</button>
    </form>
    <form id="f2"><input type="radio" name="r" value="1"><input type="radio"
      name="r" value="2"><button name="a" value="x"></button><button name="a"
      value="y"></button><input type="submit" name="s"><input type="SUBMIT" name="s">
      <input type="hidden" name="t"></form>
    <textarea name="t" form="f2"></textarea>
    <form><input name="q"></form><input name="q">
    """
    assert doubled_names(forms_of(page)) == [
        ("/duties/dongqu/office/", ["form"]),
        ("(the page itself) #f2", ["t"]),
    ]


def _walk(who: str, urls: list[str]) -> tuple[list[str], dict[str, Forms]]:
    """Each page's forms as `who` sees them: the offenders, and the pages read (200,
    HTML) with their forms."""
    client = _client(who)
    found, read = [], {}
    for url in urls:
        response = client.get(url)
        kind = response.get("Content-Type", "")
        if response.status_code != 200 or not kind.startswith("text/html"):
            continue
        html = response.content.decode(response.charset or "utf-8")
        read[url] = forms_of(html)
        for action, doubled in doubled_names(read[url]):
            names = [name for name in doubled if (url, name) not in THIRD_PARTY_DOUBLES]
            if names:
                found.append(f"{url} as {who}: form {action} names {', '.join(names)}")
    return found, read


def _draft_list_version() -> None:
    district = District.objects.get(slug="dongqu")
    ListVersion.objects.create(
        district=district,
        number=district.list_versions.count() + 1,
        effective_from=timezone.localdate() + dt.timedelta(days=30),
    )


def test_no_form_names_two_fields_alike(demo_pages, db, quiet):  # noqa: F811
    _draft_list_version()
    django_cache.clear()  # no page answered from a page kept by an earlier run
    failures, read = [], {}
    for who in USERS:
        found, read[who] = _walk(who, demo_pages)
        failures += found
    # The page that had the fault was read, with the draft's list-item form.
    office = read["admin"].get(OFFICE, [])
    assert any("legal_basis" in names for _, names in office), f"{OFFICE}: no draft"
    pages = sum(len(forms) for forms in read.values())
    forms = sum(len(f) for forms in read.values() for f in forms.values())
    assert not failures, (
        f"{len(failures)} of {forms} forms ({pages} pages read of "
        f"{len(demo_pages)} x {len(USERS)} users) name a field twice or more:\n"
        + "\n".join(failures)
    )
