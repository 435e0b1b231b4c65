FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
COPY backend ./backend
COPY ingest ./ingest
COPY entity_resolution ./entity_resolution
COPY frontend ./frontend
COPY cypher ./cypher
RUN pip install --no-cache-dir -c constraints.txt . \
 && useradd --system --home /data telarana && mkdir -p /data && chown telarana /data
USER telarana
ENV TELARANA_HOST=0.0.0.0 TELARANA_DATA_DIR=/data
EXPOSE 8000
CMD ["telarana", "serve"]
