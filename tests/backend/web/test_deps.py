"""Routes answered in one trip off the event loop (`answered_in_one_trip`)."""

from __future__ import annotations

from typing import Annotated

import anyio.to_thread
from fastapi import Depends, FastAPI, Query, Request
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field

from backend.web.deps import answered_in_one_trip


def worker_trips(monkeypatch) -> list[str]:
    """The names of the functions taken to a worker thread, as they are."""
    trips: list[str] = []
    real = anyio.to_thread.run_sync

    async def counted(func, *args, **kwargs):
        named = getattr(func, "func", func)  # run_in_threadpool hands over a partial
        trips.append(getattr(named, "__name__", repr(named)))
        return await real(func, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counted)
    return trips


def test_the_sample_routes_that_read_the_store_go_off_the_event_loop_once_besides_the_audit(client, monkeypatch):
    person = next(h["id"] for h in client.get("/api/search", params={"q": "perez"}).json() if h["type"] == "Person")
    trips = worker_trips(monkeypatch)
    for path, params in [
        ("/api/search", {"q": "perez"}),
        (f"/api/entities/{person}/neighbourhood", {"hops": 2, "types": ["Person"]}),
        ("/api/paths", {"source": person, "target": person}),
        (f"/api/entities/{person}/network", {"hops": 1}),
    ]:
        trips.clear()
        answer = client.get(path, params=params)
        assert answer.status_code == 200, answer.text
        # Before: the filters, the route, the check of its answer and the end of its reads, each a trip.
        assert [t for t in trips if t != "record"] == ["work"], (path, trips)


class _Hit(BaseModel):
    name: str
    kind: str = Field(serialization_alias="type")
    score: float | None = None


def _accents(upper: bool = False) -> str:
    return "ÁÉÍ" if upper else "áéí"


def _hits(request: Request, q: Annotated[str, Query(max_length=5)], accents: Annotated[str, Depends(_accents)]) -> list[_Hit]:
    if q == "none":
        return []
    return [_Hit(name=f"{q} {accents} Cardona", kind="Person", score=0.5), _Hit(name="Ñ", kind="Phone")]


def _app() -> FastAPI:
    app = FastAPI()
    app.get("/plain")(_hits)
    app.get("/one-trip")(answered_in_one_trip(_hits))
    return app


def test_an_answer_in_one_trip_is_the_answer_fastapi_gives_with_the_same_schema(monkeypatch):
    with TestClient(_app()) as client:
        for params in [{"q": "Jhon"}, {"q": "Jhon", "upper": "true"}, {"q": "none"}, {"q": "toolong"}, {}]:
            plain, one_trip = client.get("/plain", params=params), client.get("/one-trip", params=params)
            assert (one_trip.status_code, one_trip.headers["content-type"]) == (plain.status_code, plain.headers["content-type"])
            assert one_trip.json() == plain.json()
        assert client.get("/one-trip", params={"q": "Jhon"}).json()[0] == {"name": "Jhon áéí Cardona", "type": "Person", "score": 0.5}
        paths = client.get("/openapi.json").json()["paths"]
        assert paths["/one-trip"]["get"]["parameters"] == paths["/plain"]["get"]["parameters"]
        answers = [paths[p]["get"]["responses"]["200"]["content"]["application/json"]["schema"] for p in ("/one-trip", "/plain")]
        assert [{k: v for k, v in a.items() if k != "title"} for a in answers] == [
            {"type": "array", "items": {"$ref": "#/components/schemas/_Hit"}}
        ] * 2  # the title names the route
