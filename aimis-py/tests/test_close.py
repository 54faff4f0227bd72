"""Both clients close, by hand or at the end of a ``with`` block, and refuse calls after."""

from __future__ import annotations

import asyncio

import pytest
from conftest import APP_ID, PATIENT, TOKEN, Sim

import aimis


def test_the_client_is_a_context_manager_that_closes(sim: Sim) -> None:
    with aimis.Client(app_id=APP_ID, token=TOKEN, base_url=sim.url) as client:
        assert client.patient_report_url(report_id="R0001", **PATIENT).study_id == "S0001"
    with pytest.raises(aimis.ConfigurationError, match="closed"):
        client.patient_report_url(report_id="R0001", **PATIENT)
    with pytest.raises(aimis.ConfigurationError, match="closed"):
        client.batch("patientReportUrl", [])
    client.close()  # twice is fine
    assert client.app_id == APP_ID and client.base_url == sim.url


def test_close_leaves_other_clients_alone(sim: Sim) -> None:
    first = aimis.Client(app_id=APP_ID, token=TOKEN, base_url=sim.url)
    second = aimis.Client(app_id=APP_ID, token=TOKEN, base_url=sim.url)
    first.close()
    assert second.patient_report_url(report_id="R0002", **PATIENT).study_id == "S0002"


def test_the_async_client_closes_with_aclose(sim: Sim) -> None:
    async def main() -> None:
        client = aimis.AsyncClient(app_id=APP_ID, token=TOKEN, base_url=sim.url)
        assert (await client.patient_report_url(report_id="R0001", **PATIENT)).study_id == "S0001"
        await client.aclose()
        with pytest.raises(aimis.ConfigurationError, match="closed"):
            await client.patient_report_url(report_id="R0001", **PATIENT)

    asyncio.run(main())
