"""Rebuild the folded name index of every entity (after a change to website.firms.normalise,
whose output the index stores)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from website.firms.models import Entity, EntityName, names_for

BATCH = 2000


class Command(BaseCommand):
    help = "重建名单机构的名称索引（修改名称比对规则后运行）。"

    def handle(self, *args, **options):
        done = 0
        last = 0
        while True:
            batch = list(Entity.objects.filter(pk__gt=last).order_by("pk")[:BATCH])
            if not batch:
                break
            with transaction.atomic():
                EntityName.objects.filter(entity__in=batch).delete()
                EntityName.objects.bulk_create([row for e in batch for row in names_for(e)])
            last = batch[-1].pk
            done += len(batch)
        self.stdout.write(f"已重建 {done} 个机构的名称索引。")
