"""Who may see and change which part of the register: a roles × objects matrix.

The world: subdistrict S1 holds communities A and B, subdistrict S2 holds C. Each role
but the anonymous user and the superuser has a person record of its own ("own"), placed
so that being oneself and being staff are told apart: editor_a lives in B, so it may
read its own record but not change it.

Every cell is checked twice: through the permission functions and through the real
views with the test client (including a real write: the staff form for a mobile number).
"""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from neighbourhoods import permissions
from neighbourhoods.models import StaffAssignment
from tests.neighbourhoods.factories import (
    CommunityFactory,
    PersonFactory,
    StaffAssignmentFactory,
    SubdistrictFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

VIEWER = StaffAssignment.Role.VIEWER
EDITOR = StaffAssignment.Role.EDITOR

# Where each role's own person record lives (None: the role has no record).
HOME = {
    "anonymous": None,
    "resident_a": "A",
    "resident_b": "B",
    "viewer_a": "A",
    "editor_a": "B",
    "editor_b": "B",
    "sub_viewer": "A",
    "other_sub_staff": "C",
    "superuser": None,
}
ROLES = list(HOME)

# fmt: off
# The permission functions. T = True, F = False, "-" = no such cell (no own record).
#   view_reg / change_reg: can_view_register / can_change_register on community A, B
#   view_person / change_person: can_view_person / can_change_person on a person of A,
#   a person of B, and the user's own record
T, F, NA = True, False, "-"
FUNCTIONS = {
    #                  view_reg  change_reg  view_person   change_person
    #                  A  B      A  B        A  B  own     A  B  own
    "anonymous":       (F, F,    F, F,       F, F, NA,     F, F, NA),
    "resident_a":      (F, F,    F, F,       F, F, T,      F, F, F),
    "resident_b":      (F, F,    F, F,       F, F, T,      F, F, F),
    "viewer_a":        (T, F,    F, F,       T, F, T,      F, F, F),
    "editor_a":        (T, F,    T, F,       T, F, T,      T, F, F),
    "editor_b":        (F, T,    F, T,       F, T, T,      F, T, T),
    "sub_viewer":      (T, T,    F, F,       T, T, T,      F, F, F),
    "other_sub_staff": (F, F,    F, F,       F, F, T,      F, F, T),
    "superuser":       (T, T,    T, T,       T, T, NA,     T, T, NA),
}

# The read views, as HTTP outcomes: 200, 403, LOGIN (302 to the login page), "-".
LOGIN = "login"
VIEWS = {
    #                  register        person                index  my data
    #                  A     B         A     B     own
    "anonymous":       (LOGIN, LOGIN,  LOGIN, LOGIN, NA,     LOGIN, LOGIN),
    "resident_a":      (403,   403,    403,   403,   200,    403,   200),
    "resident_b":      (403,   403,    403,   403,   200,    403,   200),
    "viewer_a":        (200,   403,    200,   403,   200,    200,   200),
    "editor_a":        (200,   403,    200,   403,   200,    200,   200),
    "editor_b":        (403,   200,    403,   200,   200,    200,   200),
    "sub_viewer":      (200,   200,    200,   200,   200,    200,   200),
    "other_sub_staff": (403,   403,    403,   403,   200,    200,   200),
    "superuser":       (200,   200,    200,   200,   NA,     200,   200),
}

# The write view (POST a new mobile number): CHANGED = 302 back to the person page
# with the number saved; 403 and LOGIN leave it untouched.
CHANGED = "changed"
WRITES = {
    #                  person A  person B  own
    "anonymous":       (LOGIN,   LOGIN,    NA),
    "resident_a":      (403,     403,      403),
    "resident_b":      (403,     403,      403),
    "viewer_a":        (403,     403,      403),
    "editor_a":        (CHANGED, 403,      403),
    "editor_b":        (403,     CHANGED,  CHANGED),
    "sub_viewer":      (403,     403,      403),
    "other_sub_staff": (403,     403,      CHANGED),
    "superuser":       (CHANGED, CHANGED,  NA),
}

# Which communities the register index lists for each role that may open it.
INDEX_LISTS = {
    "viewer_a": {"A"},
    "editor_a": {"A"},
    "editor_b": {"B"},
    "sub_viewer": {"A", "B"},
    "other_sub_staff": {"C"},
    "superuser": {"A", "B", "C"},
}
# fmt: on

FUNCTION_CELLS = [
    ("can_view_register", "A"),
    ("can_view_register", "B"),
    ("can_change_register", "A"),
    ("can_change_register", "B"),
    ("can_view_person", "person_a"),
    ("can_view_person", "person_b"),
    ("can_view_person", "own"),
    ("can_change_person", "person_a"),
    ("can_change_person", "person_b"),
    ("can_change_person", "own"),
]
VIEW_CELLS = ["register_a", "register_b", "person_a", "person_b", "own", "index", "me"]
WRITE_CELLS = ["person_a", "person_b", "own"]
NEW_PHONE = "13700007777"


def _cells(table, columns):
    """One test per cell of `table`, named role-column; "-" cells have no test."""
    return [
        pytest.param(role, column, expected, id=f"{role}-{_name(column)}")
        for role, row in table.items()
        for column, expected in zip(columns, row, strict=True)
        if expected != NA
    ]


def _name(column) -> str:
    return "-".join(column) if isinstance(column, tuple) else column


@pytest.fixture
def world():
    s1 = SubdistrictFactory(name="一号街道")
    s2 = SubdistrictFactory(name="二号街道")
    communities = {
        "A": CommunityFactory(subdistrict=s1, name="甲社区", slug="jia"),
        "B": CommunityFactory(subdistrict=s1, name="乙社区", slug="yi"),
        "C": CommunityFactory(subdistrict=s2, name="丙社区", slug="bing"),
    }
    users = {"anonymous": AnonymousUser()}
    for role in ROLES[1:]:
        users[role] = UserFactory(
            username=role,
            email=f"{role}@example.cn",
            is_superuser=role == "superuser",
            is_staff=role == "superuser",
        )
    scopes = {
        "viewer_a": {"community": communities["A"], "role": VIEWER},
        "editor_a": {"community": communities["A"], "role": EDITOR},
        "editor_b": {"community": communities["B"], "role": EDITOR},
        "sub_viewer": {"community": None, "subdistrict": s1, "role": VIEWER},
        "other_sub_staff": {"community": None, "subdistrict": s2, "role": EDITOR},
    }
    for role, scope in scopes.items():
        StaffAssignmentFactory(user=users[role], **scope)
    own = {
        role: PersonFactory(
            full_name=f"{role}本人", user=users[role], home_community=communities[home]
        )
        for role, home in HOME.items()
        if home is not None
    }
    return SimpleNamespace(
        communities=communities,
        users=users,
        own=own,
        person_a=PersonFactory(full_name="甲居民", home_community=communities["A"]),
        person_b=PersonFactory(full_name="乙居民", home_community=communities["B"]),
    )


def _target(world, role, name):
    if name in world.communities:
        return world.communities[name]
    return world.own[role] if name == "own" else getattr(world, name)


# --- the permission functions -----------------------------------------------------


@pytest.mark.parametrize(
    ("role", "cell", "expected"), _cells(FUNCTIONS, FUNCTION_CELLS)
)
def test_permission_function(world, role, cell, expected):
    function, target = cell
    answer = getattr(permissions, function)(
        world.users[role], _target(world, role, target)
    )
    assert answer is expected


def test_inactive_staff_lose_every_permission(world):
    editor = world.users["editor_a"]
    editor.is_active = False
    editor.save()
    assert not permissions.can_view_register(editor, world.communities["A"])
    assert not permissions.can_change_person(editor, world.person_a)
    assert not permissions.is_register_staff(editor)


def test_communities_for_matches_the_index_table(world):
    for role, expected in INDEX_LISTS.items():
        listed = {
            name
            for name, community in world.communities.items()
            if community in permissions.communities_for(world.users[role])
        }
        assert listed == expected, role


# --- the read views ---------------------------------------------------------------


def _url(world, role, cell):
    if cell.startswith("register_"):
        community = world.communities[cell[-1].upper()]
        return reverse("neighbourhoods:register_community", args=[community.slug])
    if cell == "index":
        return reverse("neighbourhoods:register_index")
    if cell == "me":
        return reverse("neighbourhoods:my_data")
    return reverse("neighbourhoods:person", args=[_target(world, role, cell).pk])


def _client_as(client, world, role):
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def _assert_outcome(response, expected, url):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
        assert url in response["Location"]
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(("role", "cell", "expected"), _cells(VIEWS, VIEW_CELLS))
def test_read_view(client, world, role, cell, expected):
    url = _url(world, role, cell)
    response = _client_as(client, world, role).get(url)
    _assert_outcome(response, expected, url)
    if expected == 403:
        assert "无权访问" in response.content.decode()


@pytest.mark.parametrize("role", list(INDEX_LISTS))
def test_register_index_lists_only_the_communities_in_scope(client, world, role):
    html = _client_as(client, world, role).get(_url(world, role, "index")).content
    shown = {
        name
        for name, community in world.communities.items()
        if community.name in html.decode()
    }
    assert shown == INDEX_LISTS[role]


@pytest.mark.parametrize(
    ("role", "cell"),
    [
        (role, cell)
        for role, row in VIEWS.items()
        for cell, outcome in zip(VIEW_CELLS, row, strict=True)
        if outcome == 200 and cell in {"person_a", "person_b", "own"}
    ],
)
def test_person_page_offers_the_edit_form_only_to_editors(client, world, role, cell):
    person = _target(world, role, cell)
    html = _client_as(client, world, role).get(_url(world, role, cell)).content.decode()
    form_action = reverse("neighbourhoods:person_contact", args=[person.pk])
    assert (form_action in html) is permissions.can_change_person(
        world.users[role], person
    )


# --- the write view ---------------------------------------------------------------


@pytest.mark.parametrize(("role", "cell", "expected"), _cells(WRITES, WRITE_CELLS))
def test_write_view(client, world, role, cell, expected):
    person = _target(world, role, cell)
    before = person.phone
    url = reverse("neighbourhoods:person_contact", args=[person.pk])
    response = _client_as(client, world, role).post(url, {"phone": NEW_PHONE})
    person.refresh_from_db()
    if expected == CHANGED:
        assert response.status_code == 302
        assert response["Location"] == reverse(
            "neighbourhoods:person", args=[person.pk]
        )
        assert person.phone == NEW_PHONE
    else:
        _assert_outcome(response, expected, url)
        assert person.phone == before


def test_the_tables_agree():
    """The view tables follow from the function table (a typo in one shows here)."""
    for role in ROLES:
        functions = dict(zip(FUNCTION_CELLS, FUNCTIONS[role], strict=True))
        views = dict(zip(VIEW_CELLS, VIEWS[role], strict=True))
        writes = dict(zip(WRITE_CELLS, WRITES[role], strict=True))
        for target in ("person_a", "person_b", "own"):
            can_view = functions[("can_view_person", target)]
            can_change = functions[("can_change_person", target)]
            if role == "anonymous" or can_view == NA:
                continue
            assert views[target] == (200 if can_view else 403), (role, target)
            assert writes[target] == (CHANGED if can_change else 403), (role, target)
        if role != "anonymous":
            for community in "AB":
                can_view = functions[("can_view_register", community)]
                assert views[f"register_{community.lower()}"] == (
                    200 if can_view else 403
                ), (role, community)
            assert views["index"] == (200 if role in INDEX_LISTS else 403), role


@pytest.mark.parametrize("role", [VIEWER, EDITOR])
@pytest.mark.parametrize("where", ["community", "subdistrict", "neighbour", "none"])
def test_is_staff_for_agrees_with_the_register_rule(
    role, where, django_assert_num_queries
):
    """The in-memory form (`is_staff_for`, read once per request) and the query
    form (`can_view_register` / `can_change_register`) give the same answers."""
    community = CommunityFactory()
    neighbour = CommunityFactory()
    user = UserFactory()
    if where == "community":
        StaffAssignmentFactory(user=user, community=community, role=role)
    elif where == "subdistrict":
        StaffAssignmentFactory(
            user=user, community=None, subdistrict=community.subdistrict, role=role
        )
    elif where == "neighbour":
        StaffAssignmentFactory(user=user, community=neighbour, role=role)
    with django_assert_num_queries(1):  # the assignments, once for every question
        answers = [
            permissions.is_staff_for(user, community),
            permissions.is_staff_for(user, community, edit=True),
            permissions.is_staff_for(user, neighbour),
        ]
    assert answers == [
        permissions.can_view_register(user, community),
        permissions.can_change_register(user, community),
        permissions.can_view_register(user, neighbour),
    ]
    assert permissions.is_staff_for(AnonymousUser(), community) is False
