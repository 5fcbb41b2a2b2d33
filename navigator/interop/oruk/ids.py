"""Stable UUIDs for a feed: UUIDv5 from a council's namespace and Navigator's own ids.

HSDS requires every `id` to be a UUID, and a consumer that has stored
yesterday's feed must find the same service under the same id today, so ids
are never random: each is `uuid5(namespace, "<kind>:<navigator id>")`. Two
councils with their own namespaces never collide, even for a service both
call `carers-assessment`. The namespace is a setting (`oruk_namespace`);
without one it is derived from the place's name, which is stable but not
unique between councils that share a name, so a council should set its own.
"""

from __future__ import annotations

import uuid

NAVIGATOR_NAMESPACE = uuid.UUID("5b3f6c1e-8d0a-5f43-9d3e-0a7c2b1e4f60")
"""The root from which a place's default namespace is derived (fixed forever)."""


class NamespaceError(ValueError):
    """A configured namespace that is not a UUID, with a message saying how to make one."""


def namespace_for(configured: str | None, place_name: str) -> uuid.UUID:
    """The council's namespace: the configured UUID, else one derived from the place name."""
    if configured:
        try:
            return uuid.UUID(configured.strip())
        except ValueError:
            raise NamespaceError(
                f"the ORUK namespace '{configured[:60]}' is not a UUID. Make one once with "
                "`python3 -c 'import uuid; print(uuid.uuid4())'` and keep it for ever "
                "(setting oruk_namespace, or --namespace)"
            ) from None
    return uuid.uuid5(NAVIGATOR_NAMESPACE, f"place:{place_name.strip().lower()}")


def oruk_id(namespace: uuid.UUID, kind: str, navigator_id: str) -> str:
    """The feed's id for a Navigator thing of `kind` ("service", "phone", ...) and id."""
    return str(uuid.uuid5(namespace, f"{kind}:{navigator_id}"))
