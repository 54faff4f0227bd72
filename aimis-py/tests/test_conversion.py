"""Python values -> the request's JSON: nesting is bounded and reference cycles are found,
so no request, however built, can crash the interpreter.

The cases that crashed (a stack overflow kills the process with SIGSEGV) run in a child
interpreter: a crash fails the test instead of ending pytest.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from typing import Any

import pytest
from conftest import APP_ID, STUDIES_2025, TOKEN, Sim

import aimis

# serde_json refuses the 128th level of nesting; C and the CLI parse requests with it, so
# Python allows the same 127 levels (the request dict is the first).
MAX_DEPTH = 127


def run_isolated(sim: Sim, build: str, call: str) -> dict[str, Any]:
    """Runs `build` (which sets `value`) and then `call` in a fresh interpreter; returns
    the exception it raised, as a dict."""
    script = textwrap.dedent(
        """
        import json, sys
        import aimis
        client = aimis.Client(app_id=sys.argv[1], token=sys.argv[2], base_url=sys.argv[3])
        {build}
        try:
            {call}
        except BaseException as e:
            print(json.dumps({{"type": type(e).__name__, "aimis": isinstance(e, aimis.AimisError),
                              "field": getattr(e, "field", None), "rule": getattr(e, "rule", None),
                              "message": str(e)}}))
        else:
            print(json.dumps({{"type": None}}))
        """
    ).format(build=build, call=call)
    done = subprocess.run(
        [sys.executable, "-c", script, APP_ID, TOKEN, sim.url], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, f"the interpreter died (status {done.returncode}): {done.stderr[-2000:]}"
    return json.loads(done.stdout)


REQUEST = "dict(phoneNum='13800138000', idNum='110101199003074518', hospitalId='H0001', unionId=value)"

CRASHERS = [
    ("list-contains-itself", "value = []; value.append(value)", "cycle"),
    ("dict-contains-itself", "value = {}; value['again'] = value", "cycle"),
    ("cycle-through-a-tuple", "inner = []; value = (inner,); inner.append(value)", "cycle"),
    ("lists-200000-deep", "value = []\nfor _ in range(200_000): value = [value]", "deep"),
    ("dicts-200000-deep", "value = {}\nfor _ in range(200_000): value = {'k': value}", "deep"),
    ("tuples-200000-deep", "value = ()\nfor _ in range(200_000): value = (value,)", "deep"),
]


@pytest.mark.parametrize(("build", "word"), [(b, w) for _, b, w in CRASHERS], ids=[n for n, _, _ in CRASHERS])
@pytest.mark.parametrize(
    "call",
    [f"client.call('patientConsultations', {REQUEST} | {{'hisId': 'HIS0001'}})",
     "client.patient_consultations(his_id='HIS0001', phone_num='1', id_num='2', hospital_id='H0001', union_id=value)"],
    ids=["call", "keywords"],
)
def test_cycles_and_deep_nesting_are_validation_errors_naming_the_field(
    sim: Sim, build: str, word: str, call: str
) -> None:
    before = sim.request_count()
    error = run_isolated(sim, build, call)
    assert error["type"] == "ValidationError", error
    assert error["field"] == "unionId"
    assert word in error["rule"]
    assert "unionId" in error["message"]
    assert sim.request_count() == before


def nested(levels: int) -> Any:
    value: Any = "x"
    for _ in range(levels):
        value = [value]
    return value


def test_nesting_stops_where_the_json_parser_stops(client: aimis.Client, sim: Sim) -> None:
    # The request dict is one level: at the limit, the conversion goes through and the
    # spec's own rule speaks; one level more is refused by the conversion.
    with pytest.raises(aimis.ValidationError) as at_limit:
        client.patient_studies(**{**STUDIES_2025, "union_id": nested(MAX_DEPTH - 1)})
    assert at_limit.value.field == "unionId" and at_limit.value.rule == "must be a string"
    with pytest.raises(aimis.ValidationError) as over:
        client.patient_studies(**{**STUDIES_2025, "union_id": nested(MAX_DEPTH)})
    assert over.value.field == "unionId" and "deep" in over.value.rule and str(MAX_DEPTH) in over.value.rule


def test_the_same_object_twice_is_not_a_cycle(client: aimis.Client) -> None:
    shared = ["a"]
    with pytest.raises(aimis.ValidationError) as info:
        client.patient_studies(**{**STUDIES_2025, "union_id": [shared, shared, (shared, shared)]})
    assert info.value.rule == "must be a string"


class Evil:
    """Every hook a conversion might call raises."""

    def __getattribute__(self, name: str) -> Any:
        raise RuntimeError(f"looked up {name}")


class EvilList(list):  # type: ignore[type-arg]
    def __iter__(self) -> Any:
        raise RuntimeError("iterated")

    def __len__(self) -> int:
        raise RuntimeError("measured")


class EvilDict(dict):  # type: ignore[type-arg]
    def items(self) -> Any:
        raise RuntimeError("items")

    def __iter__(self) -> Any:
        raise RuntimeError("iterated")


@pytest.mark.parametrize(
    ("value", "field", "rule_part"),
    [
        ({1: "a"}, "unionId", "keys"),
        ({"\ud800": "a"}, "unionId", "Unicode"),
        (Evil(), "unionId", "unsupported type `Evil`"),
        (EvilList(["a"]), "unionId", "must be a string"),
        (EvilDict(a="b"), "unionId", "must be a string"),
        (b"13800138000", "unionId", "unsupported type `bytes`"),
        (float("inf"), "unionId", "finite"),
        (-(2**64), "unionId", "64-bit"),
    ],
    ids=["int-key", "surrogate-key", "evil-object", "evil-list", "evil-dict", "bytes", "inf", "huge-int"],
)
def test_odd_values_are_validation_errors_and_run_no_user_code(
    client: aimis.Client, value: Any, field: str, rule_part: str
) -> None:
    with pytest.raises(aimis.ValidationError) as info:
        client.patient_studies(**{**STUDIES_2025, "union_id": value})
    assert info.value.field == field and rule_part in info.value.rule


def test_odd_requests_to_call_are_validation_errors(client: aimis.Client) -> None:
    for request, field in [({1: 2}, "(request)"), ({"\udcff": 1}, "(request)"), (Evil(), "(request)")]:
        with pytest.raises(aimis.ValidationError) as info:
            client.call("patientStudies", request)
        assert info.value.field == field
    with pytest.raises(aimis.ValidationError) as info:
        client.call("patient\ud800Studies", {})
    assert info.value.field == "endpoint"
