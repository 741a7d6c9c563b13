import pytest

pytestmark = pytest.mark.django_db


def test_home_page_is_served_in_chinese(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-Hans"' in html
    assert home_page.title in html


def test_unknown_page_is_a_chinese_404(client, home_page):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_factories_build_a_register():
    from tests.neighbourhoods.factories import OwnershipFactory, ResidencyFactory

    ownership = OwnershipFactory()
    residency = ResidencyFactory()
    assert ownership.part.building.compound.communities.count() == 1
    assert residency.household.community == residency.person.home_community
