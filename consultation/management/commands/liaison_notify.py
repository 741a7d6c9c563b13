"""`manage.py liaison_notify`: send the notices that time makes due for residents'
requests — one per request whose reply is overdue, to its assignee, the community's
editors, the representative and the subdistrict's staff, recorded (`OverdueNotice`,
unique per request and due date) so it is sent once however often this runs.
Production runs it beside `disclosures_notify`, every few minutes (README)."""

from django.core.management.base import BaseCommand

from consultation.liaison.services import overdue_notify


class Command(BaseCommand):
    help = "发送诉求逾期提醒（幂等）。 Send overdue-request notices (idempotent)."

    def handle(self, *args, **options):
        sent = overdue_notify()
        self.stdout.write(f"{len(sent)} 条提醒已发送。 {len(sent)} notices sent.")
