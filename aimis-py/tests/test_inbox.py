"""``aimis.Inbox`` over the store of a real ``aimis inbox serve``, which the simulator
sends a real signed status callback to."""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import subprocess
import threading
import time
import urllib.request
from pathlib import Path
from typing import Iterator, Tuple

import pytest

import aimis
from conftest import APP_ID, ID_NUM, PHONE, TOKEN, Sim, sim_binary


@contextlib.contextmanager
def serving(store: str, *options: str) -> Iterator[str]:
    """`aimis inbox serve` on loopback over ``store``: yields its URL."""
    process = subprocess.Popen(
        [str(sim_binary()), "inbox", "serve", "--listen", "127.0.0.1:0", "--store", store,
         "--app-id", APP_ID, "--token", TOKEN, *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline().strip()
        match = re.fullmatch(r"aimis inbox listening on (http://\S+)", first)
        assert match, first
        threading.Thread(target=process.stdout.read, daemon=True).start()
        yield match.group(1)
    finally:
        process.terminate()
        process.wait()


@pytest.fixture
def receiver(tmp_path: Path) -> Iterator[Tuple[str, str]]:
    """`aimis inbox serve` on loopback: (its URL, its store's URL)."""
    store = f"sqlite:{tmp_path / 'inbox.db'}"
    with serving(store) as url:
        yield url, store


def send_report_ready(sim: Sim, url: str) -> None:
    """The simulator sends S0004's report-ready callback to the receiver at ``url``."""
    sim.admin("PUT", "/callback-url", {"url": url})
    try:
        delivery = sim.admin("POST", "/studies/S0004/status", {"status": 1})
    finally:
        sim.admin("PUT", "/callback-url", {"url": None})
    assert delivery["delivered"] is True, delivery


def test_a_callback_the_platform_sent_is_claimed_decrypted_and_acknowledged(
    sim: Sim, receiver: Tuple[str, str]
) -> None:
    url, store = receiver
    send_report_ready(sim, url)
    inbox = aimis.Inbox(store, app_id=APP_ID, token=TOKEN)
    item = inbox.next(lease=30)
    assert item is not None
    assert item.callback.study_id == "S0004" and item.callback.status == aimis.StudyStatus.REPORT_READY
    assert item.callback.phone_num == PHONE and item.callback.id_num == ID_NUM
    assert item.attempts == 1 and item.received_at.endswith("Z") and item.unconfirmed == []
    assert PHONE not in repr(item) and ID_NUM not in repr(item)
    assert inbox.next() is None, "claimed: not handed out twice"
    inbox.nack(item.id)
    again = list(inbox)
    assert [i.id for i in again] == [item.id] and again[0].attempts == 2
    inbox.ack(item.id)
    assert inbox.next() is None and list(inbox) == []


def test_inbox_errors_name_the_problem(tmp_path: Path) -> None:
    with pytest.raises(aimis.ConfigurationError, match="the store argument mysql://x: must be sqlite:PATH"):
        aimis.Inbox("mysql://x", app_id=APP_ID, token=TOKEN)
    with pytest.raises(aimis.ConfigurationError):
        aimis.Inbox(f"sqlite:{tmp_path / 'x.db'}", app_id=APP_ID, token="short")
    inbox = aimis.Inbox(f"sqlite:{tmp_path / 'empty.db'}", app_id=APP_ID, token=TOKEN)
    assert inbox.next() is None
    with pytest.raises(aimis.ValidationError, match="no callback has id 42"):
        inbox.ack(42)
    with pytest.raises(aimis.ConfigurationError, match="lease"):
        inbox.next(lease=0)


def test_a_store_the_inbox_creates_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    # The usual umask 022 would leave a file created with the default mode world-readable.
    before = os.umask(0o022)
    try:
        inbox = aimis.Inbox(f"sqlite:{tmp_path / 'inbox.db'}", app_id=APP_ID, token=TOKEN)
        assert inbox.next() is None
        modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir()}
    finally:
        os.umask(before)
    assert modes == {"inbox.db": 0o600, "inbox.db-wal": 0o600, "inbox.db-shm": 0o600}, modes


@pytest.mark.parametrize(
    "store",
    [
        "host=db.hospital password=s3cret-pw dbname=inbox",
        "host=db.hospital password = 's3cret pw' dbname=inbox",
        "mysql://his:s3cret-pw@db.hospital/inbox",
    ],
)
def test_a_bad_store_never_shows_its_password(store: str) -> None:
    with pytest.raises(aimis.ConfigurationError) as raised:
        aimis.Inbox(store, app_id=APP_ID, token=TOKEN)
    message = str(raised.value)
    assert "the store argument" in message and "--store" not in message, message
    assert "s3cret" not in message and "s3cret" not in repr(raised.value), message


def test_list_and_stats_mask_patient_data(sim: Sim, receiver: Tuple[str, str]) -> None:
    url, store = receiver
    send_report_ready(sim, url)
    inbox = aimis.Inbox(store, app_id=APP_ID, token=TOKEN)
    listed = inbox.list()
    assert [(i["id"], i["state"], i["leased"], i["confirmation"]) for i in listed] == [
        (1, "pending", False, None)
    ]
    assert listed[0]["callback"]["studyId"] == "S0004"
    assert listed[0]["callback"]["phoneNum"] == "***"
    stats = inbox.stats()
    assert (stats["received"], stats["pending"], stats["delivered"]) == (1, 1, 0)
    assert stats["awaiting_confirmation"] == 0 and stats["links_mismatched"] == 0
    item = inbox.next(lease=30)
    assert item is not None
    inbox.ack(item.id)
    assert inbox.list("pending") == []
    assert [i["id"] for i in inbox.list(state="delivered")] == [item.id]
    assert inbox.stats()["delivered"] == 1
    # Patient data (phone, ID, patient and HIS ids, report links) never shows.
    shown = repr(inbox.list()) + repr(inbox.stats())
    for secret in (PHONE, ID_NUM, "P0001", "HIS0004", "h5.aimis-sim.example", TOKEN):
        assert secret not in shown, secret
    with pytest.raises(aimis.ValidationError, match="must be pending, delivered"):
        inbox.list("bogus")


def test_with_confirm_only_the_platforms_links_are_handed_out(sim: Sim, tmp_path: Path) -> None:
    """`--confirm`: a genuine callback reaches Python with the links the platform answers
    for its report; under replayed headers, a forged link is replaced by the platform's
    and a report the platform never issued is never handed out."""
    evil = "https://evil.example/phish"
    store = f"sqlite:{tmp_path / 'inbox.db'}"
    with serving(store, "--confirm", "--base-url", sim.url) as url:
        send_report_ready(sim, url)
        timestamp = int(time.time() * 1000)
        headers = {"appId": APP_ID, "timestamp": str(timestamp), "signature": aimis.sign(APP_ID, TOKEN, timestamp)}
        for study, report, links in [("S0003", "R0003", evil), ("S0666", "R-FORGED", evil)]:
            body = {
                "status": 1, "phoneNum": aimis.encrypt_field(TOKEN, PHONE),
                "idNum": aimis.encrypt_field(TOKEN, ID_NUM), "patientId": "P0001", "hospitalId": "H0001",
                "studyType": 0, "studyDate": "2025-03-02 14:10:00", "studyId": study, "reportId": report,
                "h5Url": f"{links}/report/{report}", "h5DetailUrl": f"{links}/images/{report}",
            }
            request = urllib.request.Request(url, json.dumps(body).encode(), headers, method="POST")
            with urllib.request.urlopen(request) as response:
                assert json.load(response)["code"] == 0, study
        inbox = aimis.Inbox(store, app_id=APP_ID, token=TOKEN)
        deadline = time.monotonic() + 30
        while inbox.stats()["awaiting_confirmation"]:
            assert time.monotonic() < deadline, inbox.stats()
            time.sleep(0.1)
        handed_out = []
        for item in inbox:
            # Nothing the platform answers vouches for a status or a patientId.
            assert item.unconfirmed == ["status"]
            handed_out.append(item.callback)
            inbox.ack(item.id)
    assert sorted(c.study_id for c in handed_out) == ["S0003", "S0004"]
    for callback in handed_out:
        assert callback.h5_url == f"https://h5.aimis-sim.example/report/{callback.report_id}"
        assert callback.patient_id is None
    stats = inbox.stats()
    assert (stats["links_mismatched"], stats["not_confirmed"], stats["dead"]) == (1, 1, 1)
    assert [i["confirmation"] for i in inbox.list("dead")] == ["not_confirmed"]
