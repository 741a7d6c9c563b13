"""Login and logout, the error pages, and malformed requests that are never a 500."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client

from tests.neighbourhoods.factories import (
    CommunityFactory,
    StaffAssignmentFactory,
    UserFactory,
)
from tests.site.raising_urls import SECRET_IN_EXCEPTION

pytestmark = pytest.mark.django_db

PASSWORD = "pass-Yishi-2026"  # UserFactory's


@pytest.fixture
def user():
    return UserFactory(username="laowang")


def _lang(html: str) -> str:
    return re.search(r'<html lang="([^"]+)"', html)[1]


def assert_stays_on_site(location: str):
    """A redirect a browser resolves to this site: a path, with no host in it."""
    assert location.startswith("/")
    assert not location.startswith(("//", "/\\"))
    assert urlsplit(location).netloc == ""
    assert "\r" not in location
    assert "\n" not in location


# --- login and logout --------------------------------------------------------------


def test_login_page_is_chinese(client, home_page):
    response = client.get("/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert _lang(html) == "zh-Hans"
    assert "用户名" in html
    assert "密码" in html


def test_login_with_the_right_password(client, user, home_page):
    response = client.post("/login/", {"username": "laowang", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session[SESSION_KEY] == str(user.pk)


def test_login_follows_a_local_next(client, user):
    response = client.post(
        "/login/",
        {"username": "laowang", "password": PASSWORD, "next": "/register/me/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/register/me/"


def test_login_with_a_wrong_password_says_so_in_chinese(client, user, home_page):
    response = client.post("/login/", {"username": "laowang", "password": "wrong"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "用户名或密码不正确" in html
    assert "Wrong username or password" in html
    assert html.index("用户名或密码不正确") < html.index("Wrong username")
    assert SESSION_KEY not in client.session
    # The username is kept, the password is not echoed.
    assert 'value="laowang"' in html
    assert 'value="wrong"' not in html


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example.com/",
        "//evil.example.com/",
        "http://evil.example.com/register/",
        "https:/\\evil.example.com/",
        "javascript:alert(1)",
        "/\r\nLocation: https://evil.example.com/",
    ],
)
def test_login_never_redirects_off_site(client, user, next_url):
    response = client.post(
        "/login/", {"username": "laowang", "password": PASSWORD, "next": next_url}
    )
    assert response.status_code == 302
    assert_stays_on_site(response["Location"])


def test_login_page_does_not_carry_a_foreign_next(client, home_page):
    html = client.get("/login/?next=https://evil.example.com/").content.decode()
    nexts = re.findall(r'name="next" value="([^"]*)"', html)
    assert len(nexts) == 2  # the login form and the text-size form (language: a link)
    # The login form drops it; the others only come back to this page.
    assert "" in nexts
    for value in nexts:
        assert value == "" or value.startswith("/login/")


def test_logout_by_post(client, user, home_page):
    client.force_login(user)
    response = client.post("/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert SESSION_KEY not in client.session


def test_logout_by_get_is_refused(client, user):
    client.force_login(user)
    assert client.get("/logout/").status_code == 405
    assert client.session[SESSION_KEY] == str(user.pk)


def test_pages_offer_logout_as_a_form(client, user, home_page):
    client.force_login(user)
    html = client.get("/").content.decode()
    assert re.search(r'<form method="post" action="/logout/"', html)


# --- error pages -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "lang"),
    [
        ("/no-such-page/", "zh-Hans"),
        ("/register/no/such/thing/", "zh-Hans"),
        ("/en/no-such-page/", "en"),
        ("/en/register/people/abc/", "en"),
    ],
)
def test_unknown_url_is_a_404_page(client, home_page, path, lang):
    response = client.get(path)
    html = response.content.decode()
    assert response.status_code == 404
    assert _lang(html) == lang
    assert "Page not found." in html
    if lang == "zh-Hans":
        assert "页面不存在" in html


@pytest.fixture
def raising_client(settings):
    settings.ROOT_URLCONF = "tests.site.raising_urls"
    client = Client()
    client.raise_request_exception = False
    return client


def test_server_error_is_the_chinese_500_page(raising_client, home_page):
    response = raising_client.get("/crash/")
    html = response.content.decode()
    assert response.status_code == 500
    assert _lang(html) == "zh-Hans"
    assert "系统暂时出错" in html
    assert "something went wrong" in html
    assert SECRET_IN_EXCEPTION not in html
    assert "RuntimeError" not in html


def test_suspicious_request_is_the_chinese_400_page(raising_client, home_page):
    response = raising_client.get("/suspicious/")
    html = response.content.decode()
    assert response.status_code == 400
    assert "请求有误" in html
    assert SECRET_IN_EXCEPTION not in html


def test_permission_denied_is_the_chinese_403_page(client, home_page):
    client.force_login(UserFactory())
    response = client.get("/register/")
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


def test_csrf_failure_is_a_chinese_page(home_page):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/text-size/", {"size": "large"})
    html = response.content.decode()
    assert response.status_code == 403
    assert _lang(html) == "zh-Hans"
    assert "页面已过期" in html
    assert "yishi_text_size" not in response.cookies


# --- malformed requests never answer 500 -------------------------------------------

LONG = "社" * 10_000


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/register/people/abc/", 404),
        ("/search/?page=xyz", 200),
        ("/search/?page=-5", 200),
        ("/search/?page=99999999999999999999", 200),
        ("/search/?q=" + LONG, 200),
        ("/search/?q=%00", 200),
        ("/search/?q=%22%27%28%29*-:", 200),
        ("/search/?q=%ff%fe", 200),
        ("/en/search/?q=" + LONG, 200),
        ("/text-size/?size=huge", 302),
        ("/register/" + "x" * 3000 + "/", 302),
        ("/" + "页" * 2000 + "/", 404),
    ],
)
def test_malformed_get_is_never_a_500(client, home_page, path, expected):
    response = client.get(path)
    assert response.status_code == expected


@pytest.mark.parametrize(
    "path",
    [
        "/register/people/abc/",
        "/register/people/99999999999999999999999/",
        "/register/people/1/contact/",
        "/register/no-such-community/",
        "/register/" + "x" * 3000 + "/",
    ],
)
def test_malformed_register_urls_for_staff(client, home_page, path):
    client.force_login(StaffAssignmentFactory(community=CommunityFactory()).user)
    response = client.get(path)
    assert response.status_code in {404, 405}


def test_search_query_is_cut_and_escaped(client, home_page):
    html = client.get("/search/?q=<script>alert(1)</script>" + LONG).content.decode()
    assert "<script>alert(1)" not in html
    assert LONG not in html


def test_unknown_text_size_sets_no_cookie(client, home_page):
    response = client.post("/text-size/", {"size": "huge", "next": "/search/"})
    assert response.status_code == 302
    assert response["Location"] == "/search/"
    assert "yishi_text_size" not in response.cookies


def test_known_text_size_is_kept(client, home_page):
    response = client.post("/text-size/", {"size": "large", "next": "/"})
    assert response.cookies["yishi_text_size"].value == "large"
    assert 'class="text-large"' in client.get("/").content.decode()


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example.com/",
        "//evil.example.com/",
        "///evil.example.com/",
        "https:/\\evil.example.com/",
        "\\\\evil.example.com",
        "javascript:alert(1)",
        "/ok/\r\nSet-Cookie: x=1",
        "",
    ],
)
def test_text_size_never_redirects_off_site(client, home_page, next_url):
    response = client.post("/text-size/", {"size": "small", "next": next_url})
    assert response.status_code == 302
    assert_stays_on_site(response["Location"])
    assert "x" not in response.cookies


def test_a_forged_text_size_cookie_is_ignored(client, home_page):
    client.cookies["yishi_text_size"] = "<script>alert(1)</script>"
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="text-medium"' in html
    assert "<script>alert(1)" not in html
    assert "alert(1)" not in html


def test_unknown_language_is_ignored(client, home_page):
    response = client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert response.status_code == 302
    assert _lang(client.get("/").content.decode()) == "zh-Hans"


def test_login_with_a_nul_byte_is_a_form_error(client, user, home_page):
    response = client.post("/login/", {"username": "lao\x00wang", "password": "x"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
