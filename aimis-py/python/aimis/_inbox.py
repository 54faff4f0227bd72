"""``aimis.Inbox``: claim the callbacks ``aimis inbox serve`` stored, one at a time,
decrypted, and acknowledge each once the HIS has it."""

from __future__ import annotations

import builtins
from typing import Any, Iterator, Optional

from aimis import _native
from aimis._generated import Callback


class InboxItem:
    """A claimed callback: ``id`` (to ``ack`` or ``nack``), ``callback`` (the decrypted
    record, as ``verify_callback`` returns it), ``received_at`` (RFC 3339, UTC),
    ``attempts`` (claims so far, this one included) and ``unconfirmed``: with
    ``aimis inbox serve --confirm``, the fields delivered as the body said them, which
    the platform's answer cannot vouch for (``["status"]``); empty otherwise."""

    __slots__ = ("id", "callback", "received_at", "attempts", "unconfirmed")

    def __init__(
        self, id: int, callback: Callback, received_at: str, attempts: int, unconfirmed: list[str]
    ) -> None:
        self.id = id
        self.callback = callback
        self.received_at = received_at
        self.attempts = attempts
        self.unconfirmed = unconfirmed

    def __repr__(self) -> str:
        return f"aimis.InboxItem(id={self.id}, received_at={self.received_at!r}, attempts={self.attempts})"


class Inbox:
    """The callbacks ``aimis inbox serve`` received, from its store (``sqlite:PATH`` or
    ``postgres://...``), with the credentials that decrypt them. Each ``next`` claims
    the oldest pending callback for ``lease`` seconds: unacknowledged by then, it is
    handed out again, so a consumer that crashes loses nothing. A study's callbacks come
    one at a time, in order. Safe to share between threads; every claim goes to one
    consumer only, across processes too."""

    __slots__ = ("_native",)

    def __init__(self, store: str = "sqlite:aimis-inbox.db", *, app_id: str, token: str) -> None:
        self._native = _native.Inbox(store, app_id, token)

    def next(self, lease: float = 60) -> Optional[InboxItem]:
        """The oldest pending callback, claimed for ``lease`` seconds; None if none."""
        claimed = self._native.next(lease)
        if claimed is None:
            return None
        id, callback, received_at, attempts, unconfirmed = claimed
        return InboxItem(id, callback, received_at, attempts, unconfirmed)

    def ack(self, id: int) -> None:
        """Marks callback ``id`` handled: it is not handed out again."""
        self._native.ack(id)

    def nack(self, id: int) -> None:
        """Gives callback ``id`` back, pending again now."""
        self._native.nack(id)

    def list(self, state: str = "all") -> builtins.list[dict[str, Any]]:
        """The stored callbacks in ``state`` (``pending``, ``delivered``, ``superseded``,
        ``dead`` or ``all``), oldest first, as ``aimis inbox list --json`` prints them:
        dicts with ``id``, ``state``, ``received_at``, ``attempts``, ``leased``,
        ``confirmation`` and ``callback``, its patient data masked as ``***``."""
        return self._native.list(state)

    def stats(self) -> dict[str, Any]:
        """The counts, as ``aimis inbox stats --json`` prints them: ``received``,
        ``duplicates``, ``replays_refused``, ``same_millisecond``, ``links_mismatched``,
        ``fields_mismatched``, ``not_confirmed``, ``refused``, ``refused_by_reason``,
        ``pending``, ``leased``, ``awaiting_confirmation``, ``delivered``, ``superseded``,
        ``dead``."""
        return self._native.stats()

    def __iter__(self) -> Iterator[InboxItem]:
        """Claims callbacks until none is pending (each for 60 seconds): acknowledge
        each as it is handled."""
        while True:
            item = self.next()
            if item is None:
                return
            yield item
