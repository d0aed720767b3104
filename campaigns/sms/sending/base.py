from dataclasses import dataclass


@dataclass(frozen=True)
class Message:
    key: str  # idempotency key: the ledger row (d123) or code (c45) it comes from
    to: str  # E.164
    text: str


@dataclass(frozen=True)
class Result:
    ACCEPTED = "accepted"  # the gateway took it; gateway_id identifies it there
    REJECTED = "rejected"  # permanent: bad number, blocked content …
    RETRY = "retry"  # transient and certainly not taken: throttled, connection refused
    UNKNOWN = "unknown"  # the gateway may have taken it (timeout, 5xx): settle by lookup

    key: str
    status: str
    gateway_id: str = ""
    error: str = ""


class BaseBackend:
    """A gateway backend. Subclasses implement ``send_batch`` and ``lookup``."""

    batch_size = 100

    def __init__(self, **options):
        self.options = options

    def send_batch(self, messages):
        """Submit up to ``batch_size`` messages; return a Result for each, in order."""
        raise NotImplementedError

    def lookup(self, keys):
        """Return {key: gateway_id} for the keys the gateway has a message for.

        Used to settle rows a dead worker left "submitting": found means sent, never resend.
        """
        raise NotImplementedError
