# The juryo app image for the scale-out stack (docker-compose.yml).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
COPY service service
COPY parsers parsers
COPY schemas schemas
COPY storage storage
RUN pip install --no-cache-dir -c constraints.txt .
RUN useradd --system --uid 10001 juryo
USER juryo
EXPOSE 8000
CMD ["sh", "-c", "juryo db upgrade && juryo serve --host 0.0.0.0 --port 8000 --workers ${WORKERS:-4}"]
