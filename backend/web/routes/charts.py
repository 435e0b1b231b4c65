"""Routes of saved charts: keep the view an analyst arranged in a case, list them, reopen one.
Thin wrappers over backend.reports.charts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from backend.domain.model import Chart, ChartNode
from backend.reports.charts import ChartSummary, ChartView, case_charts, chart_view, save_chart
from backend.store.charts import Charts
from backend.web.auth import acting_user
from backend.web.deps import user_store
from backend.web.params import UserName

router = APIRouter(tags=["charts"])


class NewChart(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    note: str = Field(default="", max_length=5000)
    user: UserName
    case_id: Annotated[str | None, Field(default=None, max_length=200)] = None
    focus: str | None = Field(default=None, max_length=512)
    nodes: list[ChartNode] = Field(min_length=1, max_length=5000)
    filters: dict[str, str | list[str]] = Field(default_factory=dict, max_length=20)
    replaces: str | None = Field(default=None, max_length=64)


def _charts(request: Request) -> Charts:
    return request.app.state.charts


@router.post("/api/charts", status_code=201)
def save(request: Request, body: NewChart) -> Chart:
    """Keep the chart (its nodes where they were placed, its filters, title and note) in its case."""
    return save_chart(user_store(request), _charts(request), case=body.case_id, by=acting_user(request, body.user), title=body.title,
                      note=body.note, focus=body.focus, nodes=body.nodes, filters=body.filters, replaces=body.replaces)  # fmt: skip


@router.get("/api/charts")
def listed(request: Request) -> list[ChartSummary]:
    """The charts of the user's cases (of the case named by case_id), newest first."""
    return case_charts(user_store(request), _charts(request))


@router.get("/api/charts/{chart_id}", response_model=ChartView)
def reopen(request: Request, chart_id: str) -> Response:
    """The chart drawn from the graph as it stands, each node where it was placed."""
    return Response(chart_view(user_store(request), _charts(request), chart_id).model_dump_json(), media_type="application/json")
