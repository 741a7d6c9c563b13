"""`manage.py disclosures_notify`: send the notices that time makes due.

Today: one notice per objection whose reply is overdue, to the supervisory committee
(居务监督委员会) and the subdistrict's staff, recorded so that it is sent once however
often this runs. Production runs it every few minutes from a systemd timer or cron
(README, "Production"); nothing else in the project runs on a timer.
"""

from django.core.management.base import BaseCommand

from consultation.disclosures.services import escalations_notify


class Command(BaseCommand):
    help = "发送逾期答复提醒（幂等）。 Send overdue-reply notices (idempotent)."

    def handle(self, *args, **options):
        sent = escalations_notify()
        self.stdout.write(f"{len(sent)} 条提醒已发送。 {len(sent)} notices sent.")
