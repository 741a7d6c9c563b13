"""yishi.notifications: the inbox message, delivery after commit by the channels each
user chose (SMS through yishi.sms, e-mail through Django's backend), muted topics,
idempotence by key, nothing sent for a rolled-back change."""

import pytest
from django.core import mail
from django.db import transaction

from tests.neighbourhoods.factories import PersonFactory, UserFactory
from yishi import sms
from yishi.notifications import selectors
from yishi.notifications.models import Message
from yishi.notifications.services import message_read, notify, preference_update
from yishi.notifications.topics import register

pytestmark = pytest.mark.django_db
TOPIC = register("test_topic", "测试")


@pytest.fixture
def user():
    user = UserFactory(email="someone@example.org")
    PersonFactory(user=user, phone="13900139000")
    return user


def test_inbox_and_sms_by_default(user, django_capture_on_commit_callbacks):
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[user], topic=TOPIC, title="诉求已登记", url="/x/")
    assert selectors.unread_count(user) == 1
    assert [m.phone for m in sms.outbox] == ["13900139000"]
    assert "诉求已登记" in sms.outbox[0].text
    assert mail.outbox == []
    assert message_read(actor=user) == 1
    assert selectors.unread_count(user) == 0


def test_email_chosen_and_topic_muted(user, django_capture_on_commit_callbacks):
    preference_update(actor=user, by_email=True, by_sms=False, muted_topics=[])
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[user], topic=TOPIC, title="甲")
    assert len(mail.outbox) == 1
    assert sms.outbox == []
    pref = preference_update(
        actor=user, by_email=True, by_sms=True, muted_topics=[TOPIC, "nope"]
    )
    assert pref.muted_topics == [TOPIC]
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(users=[user], topic=TOPIC, title="乙") == []
    assert len(mail.outbox) == 1


def test_key_makes_it_once(user):
    first = notify(users=[user, user], topic=TOPIC, title="逾期", key="k1")
    again = notify(users=[user], topic=TOPIC, title="逾期", key="k1")
    assert len(first) == 1
    assert again == []
    assert Message.objects.count() == 1


def test_rolled_back_change_sends_nothing(user):
    sms.outbox.clear()

    def change_that_fails():
        with transaction.atomic():
            notify(users=[user], topic=TOPIC, title="不会发送")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert sms.outbox == []
    assert not Message.objects.exists()


def test_pages_need_sign_in_and_list_in_few_queries(
    client, user, django_assert_max_num_queries
):
    assert client.get("/notifications/").status_code == 302
    for i in range(5):
        notify(users=[user], topic=TOPIC, title=f"消息{i}")
    client.force_login(user)
    with django_assert_max_num_queries(8):
        page = client.get("/notifications/")
    assert page.content.decode().count("消息") >= 5
