"""Notifications every capability sends: in-site messages, e-mail and text messages.

One call, ``yishi.notifications.services.notify(users=…, topic=…, title=…, body=…,
url=…, key=…)``, inside the capability's transaction: each recipient who has not
turned the topic off gets a message in their in-site inbox (/notifications/), and,
after the transaction commits, an e-mail and/or a text message as they chose
(``NotificationPreference``). E-mail goes through Django's ``EMAIL_BACKEND``; text
messages through ``yishi.sms`` (``YISHI_SMS_BACKEND``): both pluggable, console by
default. A ``key`` makes a send idempotent: a second ``notify`` with the same key
for the same user sends nothing (time-driven sends run from periodic commands).
"""
