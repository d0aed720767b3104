"""举报: tip-offs from the public, with a reference number and a secret status page, the reporter's identity encrypted at rest, and staff handling to the end."""
