"""The dashboard's "work waiting for you" panels: each room (blasts, 七进, tip-offs…) says what
waits and for whom; this module draws them all the same way, once.

A room writes ``WorkPanel(name=…, heading=…, rows=[WorkRow(…), …], more_url=…)`` in its
``construct_homepage_panels`` hook, only for users who can act on the rows, and only when there
are rows: an empty panel teaches staff to stop looking.
"""

from dataclasses import dataclass

from wagtail.admin.ui.components import Component


@dataclass
class WorkRow:
    label: str  # what it is (a blast's title, an event's name)
    detail: str  # why it waits or since when
    url: str  # where to act on it


class WorkPanel(Component):
    template_name = "core/admin/work_panel.html"

    def __init__(self, *, name, heading, rows, order=40, more_url="", more_label=""):
        self.name = name
        self.heading = heading
        self.rows = rows
        self.order = order
        self.more_url = more_url
        self.more_label = more_label

    def get_context_data(self, parent_context):
        return {
            "panel_id": self.name,
            "heading": self.heading,
            "rows": self.rows,
            "more_url": self.more_url,
            "more_label": self.more_label,
        }
