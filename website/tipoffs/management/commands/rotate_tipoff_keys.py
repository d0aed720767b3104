"""Re-encrypt every stored reporter identity with the newest TIPOFF_ENCRYPTION_KEYS key."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from website.tipoffs import crypto
from website.tipoffs.models import Report


class Command(BaseCommand):
    help = "Re-encrypt reporters' identities with the first key of TIPOFF_ENCRYPTION_KEYS."

    def handle(self, *args, **options):
        done = 0
        rows = Report.objects.exclude(identity_token="").values_list("pk", "identity_token")
        for pk, token in rows.iterator(chunk_size=500):
            try:
                fresh = crypto.rotate(token)
            except crypto.InvalidToken as exc:
                raise CommandError(
                    f"report {pk}: no configured key opens its identity; "
                    "keep the old key in TIPOFF_ENCRYPTION_KEYS until this command succeeds"
                ) from exc
            with transaction.atomic():
                Report.objects.filter(pk=pk, identity_token=token).update(identity_token=fresh)
            done += 1
        self.stdout.write(f"re-encrypted {done} identities")
