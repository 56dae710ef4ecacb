// What every stack's project has: .gitignore, README.md and, with the
// docker feature, a multi-stage Dockerfile whose runtime stage runs as a
// non-root user and carries a HEALTHCHECK on GET /health.
#include "project_files.hpp"

namespace scaffold {
namespace {

constexpr const char* python_dockerfile = R"~(# syntax=docker/dockerfile:1
# Build stage: install the dependencies into /install, away from the runtime image.
FROM python:3.12-slim AS build
WORKDIR /src
COPY requirements.txt .
RUN pip install --no-cache-dir --prefix=/install -r requirements.txt

# Runtime stage: the app and its dependencies, run by an unprivileged user.
FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PORT=8000
RUN useradd --system --uid 10001 --no-create-home app
WORKDIR /app
COPY --from=build /install /usr/local
COPY app ./app
USER 10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('PORT', '8000') + '/health', timeout=2)"]
CMD ["sh", "-c", "exec uvicorn app.main:app --host 0.0.0.0 --port ${PORT}"]
)~";

constexpr const char* go_dockerfile = R"~(# syntax=docker/dockerfile:1
# Build stage: a static binary.
FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod ./
COPY *.go ./
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/{{name}} .

# Runtime stage: distroless, no shell; the binary probes itself for HEALTHCHECK.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/{{name}} /{{name}}
ENV PORT=8080
USER 65532:65532
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3 CMD ["/{{name}}", "-healthcheck"]
ENTRYPOINT ["/{{name}}"]
)~";

constexpr const char* node_dockerfile = R"~(# syntax=docker/dockerfile:1
# Build stage: compile the TypeScript with the dev dependencies.
FROM node:20-slim AS build
WORKDIR /src
COPY package*.json tsconfig.json ./
RUN npm install
COPY src ./src
RUN npx tsc --project tsconfig.json

# Runtime stage: production dependencies and the compiled JavaScript, run as the image's node user.
FROM node:20-slim
ENV NODE_ENV=production PORT=3000
WORKDIR /app
COPY package*.json ./
RUN npm install --omit=dev && npm cache clean --force
COPY --from=build /src/dist ./dist
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/server.js"]
)~";

constexpr const char* gitignore_text = R"~(# {{name}}
.env
.env.*
*.log
.DS_Store
.idea/
.vscode/
{{#python}}__pycache__/
*.py[cod]
.pytest_cache/
.venv/
venv/
*.egg-info/
*.db
{{/python}}{{#node}}node_modules/
dist/
coverage/
npm-debug.log*
{{/node}}{{#go}}bin/
*.test
*.out
{{/go}})~";

constexpr const char* dockerignore_text = R"~(.git
.github
.harness
Dockerfile
.dockerignore
README.md
{{#python}}__pycache__
.pytest_cache
.venv
tests
{{/python}}{{#node}}node_modules
dist
test
{{/node}}{{#go}}bin
*_test.go
{{/go}})~";

constexpr const char* readme_text = R"~(# {{name}}

A {{stack}} service scaffolded by agenthost's scaffold_agent: `GET /health`
for probes and a `/{{resource_plural}}` resource (list, create, read, delete) to
grow from.

## Run

{{#python}}```sh
python3 -m pip install -r requirements-dev.txt
make run          # http://127.0.0.1:8000/health
```
{{/python}}{{#node}}```sh
npm install
make run          # http://127.0.0.1:3000/health
```
{{/node}}{{#go}}```sh
make run          # http://127.0.0.1:8080/health (PORT to change)
```
{{/go}}
{{#tests}}## Test

```sh
make test
```

{{/tests}}## API

| method | path | answer |
|---|---|---|
| GET | /health | 200 `{"status": "ok"}` |
| GET | /{{resource_plural}} | 200, every {{resource}} |
| POST | /{{resource_plural}} | 201 the new {{resource}} (`name` required, `description`); 422 without a name |
| GET | /{{resource_plural}}/{id} | 200, or 404 |
| DELETE | /{{resource_plural}}/{id} | 204, or 404 |
{{#database}}
## Database

{{database_name}}: `DATABASE_URL` selects it; the table is in `migrations/` and is
created at start when missing.
{{#python}}Without `DATABASE_URL` the app uses {{#sqlite}}`sqlite:///{{name_snake}}.db`{{/sqlite}}{{#postgres}}an in-memory store; give
`DATABASE_URL=postgresql://user:password@host:5432/{{name_snake}}` (psycopg is in requirements.txt){{/postgres}}.
{{/python}}{{#go}}The driver is the one third-party module: `go get {{#postgres}}github.com/jackc/pgx/v5{{/postgres}}{{#sqlite}}modernc.org/sqlite{{/sqlite}}`,
then `go build -tags {{database_name}}`; without `DATABASE_URL` the server keeps {{resource_plural}} in memory.
{{/go}}{{#node}}`src/store.ts` keeps {{resource_plural}} in memory; implement its `{{Resource}}Store` interface
with a {{database_name}} client (`npm install {{#postgres}}pg{{/postgres}}{{#sqlite}}better-sqlite3{{/sqlite}}`) reading `DATABASE_URL`.
{{/node}}{{/database}}{{#docker}}
## Container

```sh
docker build -t {{name}} .
docker run --rm -p 8080:{{#python}}8000{{/python}}{{#node}}3000{{/node}}{{#go}}8080{{/go}} {{name}}
```

Multi-stage, runs as a non-root user, with a `HEALTHCHECK` on `/health`.
{{/docker}}{{#github}}
## CI

`.github/workflows/ci.yml` runs the tests on every push and pull request{{#docker}}
and builds the image{{/docker}}.
{{/github}}{{#harness}}
## CI

`.harness/pipeline.yaml` is a Harness CI pipeline that runs the tests{{#docker}} and
builds the image{{/docker}}; set its `projectIdentifier`, `orgIdentifier` and connector refs.
{{/harness}})~";

}  // namespace

devkit::Artifact dockerfile(const ProjectSpec& spec) {
    const auto v = template_values(spec);
    const char* text = spec.stack == Stack::go_http        ? go_dockerfile
                       : spec.stack == Stack::node_express ? node_dockerfile
                                                           : python_dockerfile;
    return file("Dockerfile", text, v);
}

devkit::Artifact dockerignore(const ProjectSpec& spec) { return file(".dockerignore", dockerignore_text, template_values(spec)); }
devkit::Artifact gitignore(const ProjectSpec& spec) { return file(".gitignore", gitignore_text, template_values(spec)); }
devkit::Artifact readme(const ProjectSpec& spec) { return file("README.md", readme_text, template_values(spec)); }

}  // namespace scaffold
