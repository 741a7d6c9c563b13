"""Every post form of every page, sent as a browser sends it, reaches its view.

tests/site/test_form_field_names.py found a staff form whose browser post could
never be dispatched (404): tests had posted idealised data, never what the page's
own form sends. Here every page that test walks (tests/site/test_hostile_queries.py's
`demo_pages`: each route once with the demo's real objects, every Wagtail page type)
is read as the demo's administrator and as its resident, and each of its
`<form method="post">` is submitted with its default values, as a browser does when
the button is pressed without typing anything:

* every named, enabled field of the form in document order (those outside it that
  name it with `form="…"` included): inputs with their `value`, textareas with
  their text (line breaks as CR LF), selects with their selected options, else
  their first; check boxes and radio buttons only when checked; a file input as an
  empty file part (multipart) or an empty value; the first submit button's name and
  value, when it has a name (its `formaction`, `formmethod` and `formenctype`
  included); the page's own CSRF token, a hidden field like any other. (The client
  of `_client` does not check CSRF, as Django's test client never does unless
  asked: the token is sent, not judged.) `required` is not enforced, as a browser
  with validation off (or a script) would not;
* encoded as the form says (`application/x-www-form-urlencoded`, the default, or
  `multipart/form-data`, written here with empty file parts as a browser writes
  them), to its action resolved against the page's address (no action: the page).

Each page is read, then its forms posted in page order, one page after the other in
`demo_pages`' (sorted) order; one pass per user, each in its own savepoint, so the
writes roll back. A post may change what later pages show (that is the demo as a
browser would leave it); nothing is asserted of success. Asserted, all offenders
gathered and reported at once: no answer >= 500 and no exception; no 404 or 405
from a form's own action (a page must not offer a form its server cannot take),
except those in ALLOWED. Redirects are not followed: the answer judged is the
action's own. Forms not sent (SKIPPED): actions on another site, Wagtail's own
admin (/admin/), signing out and language switching.

A 404 is reported with the reason it was raised with (`Http404("…")`), caught on
its way to the 404 page, which shows the same text for all.
"""

from __future__ import annotations

import re
import time
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.core.cache import cache as django_cache
from django.core.handlers import exception as handlers_exception
from django.urls import Resolver404

from tests.site.test_form_field_names import _draft_list_version
from tests.site.test_hostile_queries import (
    _client,
    _where,
    demo_pages,  # noqa: F401 (a fixture, used by name)
    quiet,  # noqa: F401 (a fixture, used by name)
)

URLENCODED = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
# Forms not sent, by the path of their action: (pattern, why).
SKIPPED = (
    (r"^/admin/", "Wagtail's own admin: another project's forms, not our views"),
    (r"(^|/)logout/$", "signing out ends the session the rest of the walk needs"),
    (
        r"^(/en)?/i18n/",
        "a language switch (Django's set_language) would change the language of "
        "every later page; base.html's switch is a link today, so none is seen",
    ),
)
# A 404 or 405 allowed by design, as {(action path pattern, status): why}. Empty:
# none is needed today.
ALLOWED: dict[tuple[str, int], str] = {}
USERS_SENDING = ("admin", "resident")
SENT_AT_LEAST = {"admin": 40, "resident": 3}  # forms sent: the walk saw the pages


# ---- the forms of a page, as a browser reads them ----------------------------------


@dataclass
class Form:
    """A <form>: its attributes, its fields as (order, name, value, is a file), and
    its first submit button's (name, value, attributes)."""

    attrs: dict[str, str]
    fields: list[tuple[int, str, str, bool]] = field(default_factory=list)
    submitter: tuple[int, str | None, str, dict[str, str]] | None = None

    def offer(self, order: int, name: str | None, value: str, attrs: dict) -> None:
        if self.submitter is None or order < self.submitter[0]:
            self.submitter = (order, name, value, attrs)

    def pairs(self) -> list[tuple[str, str, bool]]:
        """(name, value, is a file) of what is sent, in document order: the fields,
        and the submit button where it stands if it has a name."""
        fields = list(self.fields)
        if self.submitter and self.submitter[1]:
            order, name, value, _attrs = self.submitter
            fields.append((order, name, value, False))
        return [(name, value, file) for _order, name, value, file in sorted(fields)]

    def target(self, attribute: str, default: str) -> str:
        """The form's `attribute` (action, method, enctype), or its submit button's
        form… override."""
        button = self.submitter[3] if self.submitter else {}
        override = button.get(f"form{attribute}")
        return override if override is not None else self.attrs.get(attribute, default)


def _text(text: str) -> str:
    return " ".join(text.split())


class BrowserForms(HTMLParser):
    """Each <form> of a page as a browser submits it (`forms`). A nested <form> is
    ignored, as a browser ignores it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._ids: dict[str, Form] = {}
        self._named: dict[str, Form] = {}  # fields naming a form by id, by that id
        self._open: Form | None = None
        self._order = 0
        self._select: tuple[Form | None, int, dict, list] | None = None
        self._option: list | None = None  # [value or None, selected, text, disabled]
        self._textarea: tuple[Form | None, int, str, list[str]] | None = None

    def _owner(self, attrs: dict[str, str]) -> Form | None:
        """The form a field belongs to: the one its `form="id"` names (wherever the
        field is; kept aside until the page is read), else the one it is in."""
        if "form" in attrs:
            return self._named.setdefault(attrs["form"], Form({}))
        return self._open

    def handle_starttag(self, tag, attrs):
        attrs = {key: value or "" for key, value in attrs}
        self._order += 1
        if tag == "form":
            if self._open is None:
                self._open = Form(attrs)
                self.forms.append(self._open)
                if attrs.get("id"):
                    self._ids[attrs["id"]] = self._open
        elif tag == "option" and self._select is not None:
            self._close_option()
            selected, disabled = "selected" in attrs, "disabled" in attrs
            self._option = [attrs.get("value"), selected, "", disabled]
        elif tag in ("input", "button", "select", "textarea"):
            self._field(tag, attrs, self._owner(attrs))

    def _field(self, tag: str, attrs: dict[str, str], owner) -> None:
        kind = attrs.get("type", "submit" if tag == "button" else "text").lower()
        if tag == "select":
            self._select = (owner, self._order, attrs, [])
        elif tag == "textarea":
            self._textarea = (owner, self._order, attrs.get("name", ""), [])
        if owner is None or "disabled" in attrs or tag in ("select", "textarea"):
            return
        name = attrs.get("name")
        if kind in ("submit", "image"):
            default = "Submit" if tag == "input" and kind == "submit" else ""
            owner.offer(self._order, name, attrs.get("value", default), attrs)
            return
        if not name or kind in ("button", "reset"):
            return
        if kind in ("checkbox", "radio"):
            if "checked" in attrs:
                owner.fields.append(
                    (self._order, name, attrs.get("value", "on"), False)
                )
        else:
            file = kind == "file"
            owner.fields.append((self._order, name, attrs.get("value", ""), file))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[3].append(data)
        elif self._option is not None:
            self._option[2] += data

    def _close_option(self) -> None:
        if self._option is not None and self._select is not None:
            value, selected, text, disabled = self._option
            self._select[3].append(
                (_text(text) if value is None else value, selected, disabled)
            )
        self._option = None

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = None
        elif tag == "option":
            self._close_option()
        elif tag == "select" and self._select is not None:
            self._close_option()
            self._end_select(*self._select)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            owner, order, name, parts = self._textarea
            text = "".join(parts).removeprefix("\n").replace("\r\n", "\n")
            if owner is not None and name:
                owner.fields.append((order, name, text.replace("\n", "\r\n"), False))
            self._textarea = None

    def _end_select(self, owner, order: int, attrs: dict, options: list) -> None:
        if owner is None or not attrs.get("name") or "disabled" in attrs:
            return
        chosen = [
            value for value, selected, disabled in options if selected and not disabled
        ]
        if "multiple" not in attrs:
            enabled = [value for value, _selected, disabled in options if not disabled]
            chosen = chosen[-1:] or enabled[:1]
        owner.fields += [(order, attrs["name"], value, False) for value in chosen]

    def close(self):
        super().close()
        for form_id, named in self._named.items():
            if form_id in self._ids:
                self._ids[form_id].fields += named.fields
                if named.submitter:
                    self._ids[form_id].offer(*named.submitter)


def browser_forms(html: str) -> list[Form]:
    parser = BrowserForms()
    parser.feed(html)
    parser.close()
    return parser.forms


# ---- sending one ---------------------------------------------------------------------


def _multipart(pairs: list[tuple[str, str, bool]], boundary: str) -> bytes:
    """The body a browser writes: a part per field, an empty file part per file
    input left empty."""
    body = []
    for name, value, file in pairs:
        quoted = name.replace('"', "%22")
        head = f'Content-Disposition: form-data; name="{quoted}"'
        if file:
            head += '; filename=""\r\nContent-Type: application/octet-stream'
        body.append(f"--{boundary}\r\n{head}\r\n\r\n{'' if file else value}\r\n")
    return ("".join(body) + f"--{boundary}--\r\n").encode("utf-8")


def request_of(form: Form, page: str) -> tuple[str, str, str, bytes | str] | None:
    """(method, address, content type, body) of the form sent from `page`, or None
    for a form sent with GET."""
    if form.target("method", "get").lower() != "post":
        return None
    action = urljoin(f"http://testserver{page}", form.target("action", "") or page)
    pairs = form.pairs()
    if form.target("enctype", URLENCODED).lower() == MULTIPART:
        boundary = f"----yishi{uuid.uuid4().hex}"
        kind, body = f"{MULTIPART}; boundary={boundary}", _multipart(pairs, boundary)
    else:
        kind, body = URLENCODED, urlencode([(name, value) for name, value, _f in pairs])
    return "POST", action.split("#")[0], kind, body


def skipped(address: str) -> str | None:
    """Why a form posted to `address` is not sent, if it is not."""
    parts = urlsplit(address)
    if parts.netloc not in ("", "testserver"):
        return "another site"
    for pattern, why in SKIPPED:
        if re.search(pattern, parts.path):
            return why
    return None


# ---- what came back ---------------------------------------------------------------


VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"}
    | {"source", "track", "wbr"}
)


class MainText(HTMLParser):
    """The text of a page's messages and <main> (else of the whole body)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.main, self.all, self._depth, self._hidden = [], [], 0, 0

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        classes = dict(attrs).get("class") or ""
        if tag == "main" or (tag == "ul" and "messages" in classes) or self._depth:
            self._depth += 1
        self._hidden += tag in ("script", "style")

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        self._depth = max(0, self._depth - 1)
        self._hidden = max(0, self._hidden - (tag in ("script", "style")))

    def handle_data(self, data):
        if not self._hidden:
            (self.main if self._depth else self.all).append(data)


def message_of(response, reasons: list[str]) -> str:
    """The first 200 characters of what the answer says, and why a 404 was raised."""
    kind = response.get("Content-Type", "")
    body = response.content.decode(response.charset or "utf-8", "replace")
    if kind.startswith("text/html"):
        parser = MainText()
        parser.feed(body)
        body = " ".join(parser.main) or " ".join(parser.all)
    text = _text(body)[:200]
    if response.status_code == 405:
        text = f"allowed: {response.get('Allow', '?')} {text}"
    if response.status_code == 404 and reasons:
        text = f"raised: {reasons[-1]} | {text}"
    return text


@pytest.fixture
def reasons(monkeypatch) -> list[str]:
    """The text of each Http404 (and other exception turned into an answer) on its
    way to its error page, last last."""
    seen: list[str] = []
    original = handlers_exception.response_for_exception

    def noting(request, exc):
        if isinstance(exc, Resolver404):
            seen.append("no URL pattern matches")
        else:
            text = _text(str(exc))[:120]
            seen.append(f"{type(exc).__name__}({text!r}) at {_where(exc)}")
        return original(request, exc)

    monkeypatch.setattr(handlers_exception, "response_for_exception", noting)
    return seen


def allowed(path: str, status: int) -> bool:
    return any(
        code == status and re.search(pattern, path) for (pattern, code) in ALLOWED
    )


# ---- the walk -----------------------------------------------------------------------


@dataclass
class Walk:
    """One user's pass: the forms sent, those not sent (by why), the offenders, and
    the pages where a form signed the user out (signed in again, to go on)."""

    who: str
    reasons: list[str]
    failures: list[str] = field(default_factory=list)
    sent: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    signed_out: list[str] = field(default_factory=list)

    def send(self, client, page: str, form: Form) -> None:
        request = request_of(form, page)
        if request is None:
            return
        _method, address, kind, body = request
        why = skipped(address)
        if why:
            self.skipped[why] = self.skipped.get(why, 0) + 1
            return
        path = urlsplit(address).path
        shown = (
            f"{page} as {self.who}: POST {address.removeprefix('http://testserver')}"
        )
        self.sent += 1
        self.reasons.clear()
        try:
            response = client.post(address, body, content_type=kind)
        except Exception as error:  # what the test looks for
            text = _text(str(error))[:200]
            self.failures.append(
                f"{shown} -> {type(error).__name__} ({text!r}) at {_where(error)}"
            )
            return
        status = response.status_code
        if status >= 500 or (status in (404, 405) and not allowed(path, status)):
            message = message_of(response, self.reasons)
            self.failures.append(f"{shown} -> {status}: {message}")

    def page(self, client, url: str) -> None:
        response = client.get(url)
        kind = response.get("Content-Type", "")
        if response.status_code != 200 or not kind.startswith("text/html"):
            return
        html = response.content.decode(response.charset or "utf-8")
        for form in browser_forms(html):
            self.send(client, url, form)
            if "_auth_user_id" not in client.session:  # a form signed us out
                self.signed_out.append(url)
                client.force_login(response.wsgi_request.user)


def test_the_parser_sends_what_a_browser_sends():
    page = """
    <form method="post" action="../b/?x=1#top" id="f">
      <input type="hidden" name="csrfmiddlewaretoken" value="tok">
      <input name="text" value="a &amp; b"><input name="off" value="1" disabled>
      <textarea name="note">
line one
two</textarea>
      <select name="pick"><option value="1">one</option>
        <option value="2" selected>two</option></select>
      <select name="first"><option>  Plain   text </option><option>x</option></select>
      <select name="many" multiple><option>a</option><option selected>b</option>
        <option selected>c</option></select>
      <input type="checkbox" name="c" value="yes"><input type="checkbox" name="c"
        checked><input type="radio" name="r" value="1"><input type="radio" name="r"
        value="2" checked><input type="file" name="doc">
      <button type="button" name="no">x</button>
      <button name="go" value="save">save</button>
      <button name="go" value="del">x</button>
      <form><input name="nested" value="kept"></form>
    </form>
    <input name="outside" value="o" form="f">
    <form method="get"><input name="q"></form>
    <form method="POST" enctype="multipart/form-data"><input type="file" name="f">
      <input type="submit" value="send"></form>
    """
    forms = browser_forms(page)
    method, address, kind, body = request_of(forms[0], "/p/a/")
    assert (method, address, kind) == ("POST", "http://testserver/p/b/?x=1", URLENCODED)
    assert body == (
        "csrfmiddlewaretoken=tok&text=a+%26+b&note=line+one%0D%0Atwo&pick=2"
        "&first=Plain+text&many=b&many=c&c=on&r=2&doc=&go=save&nested=kept&outside=o"
    )
    assert request_of(forms[1], "/p/") is None
    method, address, kind, body = request_of(forms[2], "/p/")
    assert address == "http://testserver/p/"
    assert kind.startswith(MULTIPART)
    assert b'name="f"; filename=""' in body
    assert b"send" not in body  # an unnamed button sends nothing
    for address in ("/admin/pages/", "/logout/", "/en/logout/", "https://a.example/"):
        assert skipped(address), address
    assert not skipped("http://testserver/duties/dongqu/office/")


@pytest.mark.parametrize("who", USERS_SENDING)
def test_every_post_form_reaches_its_view(who, demo_pages, db, quiet, reasons):  # noqa: F811
    _draft_list_version()  # the office then shows its list-item form (the fault's)
    django_cache.clear()  # no page answered from a page kept by an earlier run
    client, walk, started = _client(who), Walk(who, reasons), time.monotonic()
    for url in demo_pages:
        walk.page(client, url)
    took = time.monotonic() - started
    print(
        f"\n{who}: {walk.sent} forms sent from {len(demo_pages)} pages in {took:.0f} s;"
        f" not sent: {walk.skipped}; signed out by a form on: {walk.signed_out}"
    )
    assert walk.sent >= SENT_AT_LEAST[who], f"only {walk.sent} forms sent as {who}"
    assert not walk.failures, (
        f"{len(walk.failures)} of {walk.sent} forms sent as {who} as a browser sends "
        "them answered >= 500, raised, or were refused by their own action (404, "
        "405):\n" + "\n".join(walk.failures)
    )
