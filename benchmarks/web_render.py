"""Time until the network view is stable, in headless Chromium: our page (layout computed on the
server, physics off) against pyvis's default (vis-network physics), on the same graphs.

    python -m benchmarks.web_render [--sizes 200 1000 2000] [--pyvis-timeout 120] [--chart-size 500]

For each size, a generated network of persons (grown around hubs, at most five links from
the first person, plus one extra tie per ten persons) is written to a SQLite store and served by the real application on
127.0.0.1. Ours: the entity page opened with enough hops to hold every node; the time is from
opening the page to the first frame drawn (profile + network API, server layout, drawing).
pyvis: the same nodes and edges through pyvis.network.Network with its default options
(physics on), HTML generated in_line; the time is from opening the page to vis-network's
"stabilized" event. Requests beyond 127.0.0.1 (pyvis's Bootstrap link) are blocked.

A saved chart: the --chart-size network drawn on the entity page is saved through the API with
every node moved, then its page (/charts/ID) is opened; the time is from opening the page to the
first frame drawn, against opening the entity page of the same nodes in the same run (where the
server computes the layout). Target: ≤ 1 s.
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import statistics
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlsplit
from urllib.request import Request, urlopen

import networkx as nx

from backend.domain.model import Batch, Case, Document, Entity, EntityType, Evidence, Relationship, RelType, sha256_text, stable_id
from benchmarks.report import print_table

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TARGET_SECONDS = 3.0
CHART_TARGET_SECONDS = 1.0
SENTENCE = "Según el informe, las personas de esta red se conocen entre sí."

# pyvis's page assigns `network` as a global; catching the assignment lets us listen for
# its events from the start.
PYVIS_HOOK = """
(() => {
  let current;
  Object.defineProperty(window, "network", {
    configurable: true,
    get() { return current; },
    set(value) {
      current = value;
      value.on("stabilizationIterationsDone", () => { window.__iterationsDone = performance.now(); });
      value.on("stabilized", () => { if (!window.__stable) window.__stable = performance.now(); });
    },
  });
})();
"""


MAX_DEPTH = 5


def generated_network(size: int, seed: int = 11) -> tuple[nx.Graph, Batch]:
    """A network of persons grown around a few hubs, as call and contact networks are: each new
    person attaches to someone already in it, the well connected more likely, never more than
    MAX_DEPTH links from the first person; then one extra tie per ten persons."""
    rng = random.Random(seed)
    graph = nx.Graph()
    graph.add_node(0)
    depth = {0: 0}
    lottery = [0]  # a person appears once per tie: preferential attachment
    for n in range(1, size):
        parent = rng.choice(lottery)
        while depth[parent] >= MAX_DEPTH:
            parent = rng.choice(lottery)
        graph.add_edge(parent, n)
        depth[n] = depth[parent] + 1
        lottery += [parent, n]
    for _ in range(size // 10):
        a, b = rng.randrange(size), rng.randrange(size)
        if a != b:
            graph.add_edge(a, b)
    case = Case(id="bench-render", name="Render benchmark")
    document = Document(id=sha256_text(SENTENCE), title="Informe generado", text=SENTENCE, case_ids=(case.id,))
    evidence = Evidence(document_id=document.id, start=0, end=len(SENTENCE), text=SENTENCE, method="generated",
                        confidence=0.8, extractor_version="bench")  # fmt: skip
    entities = [Entity(id=f"person:{n:05d}", type=EntityType.PERSON, label=f"Persona {n:05d}") for n in graph]
    relationships = [
        Relationship(id=stable_id("bench", a, b), type=RelType.ASSOCIATED_WITH, source_id=f"person:{a:05d}",
                     target_id=f"person:{b:05d}", properties={"kind": "co_mentioned"}, evidence=(evidence,))
        for a, b in graph.edges
    ]  # fmt: skip
    return graph, Batch(cases=(case,), documents=(document,), entities=tuple(entities), relationships=tuple(relationships))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, database: Path):
        import uvicorn

        from backend.store.sqlite import SqliteStore
        from backend.web.app import create_app

        self.port = _free_port()
        self.server = uvicorn.Server(uvicorn.Config(create_app(lambda: SqliteStore(database)), host="127.0.0.1",
                                                    port=self.port, log_level="warning"))  # fmt: skip
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(timeout=10)


def pyvis_html(graph: nx.Graph) -> str:
    from pyvis.network import Network

    net = Network(height="800px", width="100%", directed=True, cdn_resources="in_line")
    for n in graph:
        net.add_node(f"person:{n:05d}", label=f"Persona {n:05d}", title=f"Persona {n:05d}", color="#d9534f")
    for a, b in graph.edges:
        net.add_edge(f"person:{a:05d}", f"person:{b:05d}")
    return net.generate_html()


def _poll(page, expression: str, timeout: float) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = page.evaluate(expression)
        if value:
            return value
        page.wait_for_timeout(25)
    return None


def _context(browser, blocked: list[str]):
    def route(r):
        if urlsplit(r.request.url).hostname == "127.0.0.1":
            return r.continue_()
        blocked.append(r.request.url)
        return r.abort()

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.route("**/*", route)
    return context


def measure_ours(browser, base: str, graph: nx.Graph, blocked: list[str]) -> tuple[float | None, int, float]:
    """Seconds from opening the entity page to the drawn view, nodes drawn, network API seconds.
    `whole=1`: every node is drawn (a larger result is otherwise summarised; this measures the drawing)."""
    size = len(graph)
    hops = min(10, max(nx.single_source_shortest_path_length(graph, 0).values()))
    context = _context(browser, blocked)
    page = context.new_page()
    page.goto(f"{base}/entity/{quote('person:00000')}?hops={hops}&limit={size}&whole=1")
    drawn = _poll(page, "Number(document.getElementById('network')?.dataset.drawnAt || 0)", 120)
    shown = page.evaluate("window.telaranaNetwork ? window.telaranaNetwork.nodes.length : 0")
    started = time.perf_counter()
    page.evaluate(f"fetch('/api/entities/person%3A00000/network?hops={hops}&limit={size}').then((r) => r.json())")
    api_seconds = time.perf_counter() - started
    context.close()
    return (drawn / 1000 if drawn else None), shown, api_seconds


def measure_chart(browser, base: str, graph: nx.Graph, blocked: list[str], repeat: int) -> tuple[list[float], int, int]:
    """Seconds from opening a saved chart's page to its drawn view (each run), nodes saved, nodes drawn."""
    size = len(graph)
    hops = min(10, max(nx.single_source_shortest_path_length(graph, 0).values()))
    with urlopen(f"{base}/api/entities/person%3A00000/network?hops={hops}&limit={size}", timeout=120) as response:
        view = json.load(response)
    nodes = [{"id": n["entity"]["id"], "x": n["x"] + 40.0, "y": n["y"] - 25.0} for n in view["nodes"]]
    body = json.dumps({"title": "benchmark", "user": "bench", "focus": "person:00000", "nodes": nodes}).encode()
    request = Request(f"{base}/api/charts", data=body, headers={"Content-Type": "application/json"}, method="POST")
    with urlopen(request, timeout=60) as response:
        chart_id = json.load(response)["id"]
    times, shown = [], 0
    for _ in range(repeat):
        context = _context(browser, blocked)
        page = context.new_page()
        page.goto(f"{base}/charts/{quote(chart_id, safe='')}")
        drawn = _poll(page, "Number(document.getElementById('network')?.dataset.drawnAt || 0)", 60)
        shown = page.evaluate("window.telaranaNetwork ? window.telaranaNetwork.nodes.length : 0")
        times.append(drawn / 1000 if drawn else float("inf"))
        context.close()
    return times, len(nodes), shown


def measure_pyvis(browser, base: str, graph: nx.Graph, timeout: float, blocked: list[str]) -> tuple[float | None, float | None]:
    """Seconds from opening pyvis's page to "stabilized", and to "stabilizationIterationsDone"."""
    html = pyvis_html(graph)
    context = _context(browser, blocked)
    context.route(f"{base}/pyvis.html", lambda r: r.fulfill(status=200, content_type="text/html", body=html))
    page = context.new_page()
    page.add_init_script(PYVIS_HOOK)
    page.goto(f"{base}/pyvis.html", wait_until="commit")
    stable = _poll(page, "window.__stable || 0", timeout)
    iterations = page.evaluate("window.__iterationsDone || 0")
    context.close()
    return (stable / 1000 if stable else None), (iterations / 1000 if iterations else None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 1000, 2000])
    parser.add_argument("--pyvis-timeout", type=float, default=120.0, help="seconds to wait for pyvis's physics to settle")
    parser.add_argument("--repeat", type=int, default=3, help="runs of our page per size (the median is reported)")
    parser.add_argument("--chart-size", type=int, default=500, help="nodes of the saved chart that is reopened")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from backend.store.sqlite import SqliteStore

    results = []
    blocked: list[str] = []
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        # All of ours first, then pyvis: a page whose physics never settles keeps the browser
        # busy after it is closed, and would slow whatever is measured next.
        graphs = {}
        for size in args.sizes:
            graph, batch = generated_network(size)
            database = Path(folder) / f"render-{size}.sqlite3"
            with SqliteStore(database) as store:
                store.write(batch)
            graphs[size] = graph
            with Server(database) as base:
                runs = [measure_ours(browser, base, graph, blocked) for _ in range(args.repeat)]
            times = sorted(r[0] if r[0] is not None else float("inf") for r in runs)
            results.append(
                {
                    "size": size,
                    "edges": graph.number_of_edges(),
                    "shown": min(r[1] for r in runs),
                    "ours": statistics.median(times),
                    "runs": times,
                    "api": statistics.median(r[2] for r in runs),
                }
            )
        chart_graph, chart_batch = generated_network(args.chart_size)
        chart_database = Path(folder) / "chart.sqlite3"
        with SqliteStore(chart_database) as store:
            store.write(chart_batch)
        with Server(chart_database) as base:
            chart_times, chart_saved, chart_shown = measure_chart(browser, base, chart_graph, blocked, args.repeat)
            entity_times = sorted(r[0] if r[0] is not None else float("inf") for r in
                                  (measure_ours(browser, base, chart_graph, blocked) for _ in range(args.repeat)))  # fmt: skip
        for result in results:
            with Server(Path(folder) / f"render-{result['size']}.sqlite3") as base:
                result["pyvis"], result["pyvis_iterations"] = measure_pyvis(
                    browser, base, graphs[result["size"]], args.pyvis_timeout, blocked
                )
        browser.close()

    def seconds(value, timeout=None):
        return f"{value:.2f}" if value is not None and value != float("inf") else f"not stable in {timeout:.0f} s"

    print("web_render: time until the network view is stable, headless Chromium (Debian's), same graphs")
    print_table(
        ("nodes", "edges", "nodes drawn", "ours: page → drawn s (median)", "ours: runs s", "(network API s)", "pyvis physics: → stabilized s", "pyvis: → iterations done s"),
        [(r["size"], r["edges"], r["shown"], seconds(r["ours"], 120), " ".join(f"{t:.2f}" for t in r["runs"]), f"{r['api']:.2f}",
          seconds(r["pyvis"], args.pyvis_timeout), seconds(r["pyvis_iterations"], args.pyvis_timeout)) for r in results],
    )  # fmt: skip
    print(f"requests blocked (not 127.0.0.1; pyvis's in_line HTML links Bootstrap from a CDN): {sorted(set(blocked)) or 'none'}")
    biggest = max(results, key=lambda r: r["size"])
    met = biggest["ours"] <= TARGET_SECONDS and biggest["shown"] == biggest["size"]
    print(f"target: {biggest['size']:,} nodes ≤ {TARGET_SECONDS:.0f} s — {'met' if met else 'not met'}")
    print()
    print(f"saved chart: {chart_saved} nodes saved, reopened from /charts/ID, headless Chromium")
    print_table(
        ("page", "nodes drawn", "page → drawn s (median)", "runs s"),
        [("saved chart (positions kept)", chart_shown, seconds(statistics.median(chart_times), 60), " ".join(f"{t:.2f}" for t in chart_times)),
         ("baseline: entity page, same nodes (server layout)", chart_saved, seconds(statistics.median(entity_times), 120),
          " ".join(f"{t:.2f}" for t in entity_times))],
    )  # fmt: skip
    chart_met = statistics.median(chart_times) <= CHART_TARGET_SECONDS and chart_shown == chart_saved
    print(f"target: a saved {chart_saved}-node chart reopens in ≤ {CHART_TARGET_SECONDS:.0f} s — {'met' if chart_met else 'not met'}")


if __name__ == "__main__":
    main()
