// python-fastapi: a FastAPI app (GET /health, CRUD on the example
// resource), a store chosen by DATABASE_URL (memory; sqlite through the
// standard library; postgres through psycopg), pytest tests through
// FastAPI's TestClient. Written for FastAPI 0.92+ with pydantic 1 or 2,
// so Debian 12's packages run it as well as a fresh pip install.
#include "project_files.hpp"

namespace scaffold {
namespace {

constexpr const char* init_py = R"~(""" {{name}}: a FastAPI service. """
)~";

constexpr const char* main_py = R"~(""" The HTTP API: GET /health for probes and /{{resource_plural}}, the example resource. """
import os
from typing import List

from fastapi import FastAPI, HTTPException, Response, status

from app.models import {{Resource}}, {{Resource}}In
from app.store import open_store

app = FastAPI(title="{{name}}", version="0.1.0")
store = open_store(os.environ.get("DATABASE_URL", "{{#sqlite}}sqlite:///{{name_snake}}.db{{/sqlite}}{{^sqlite}}memory://{{/sqlite}}"))


@app.get("/health")
def health() -> dict:
    """Liveness and readiness: answers while the process serves requests."""
    return {"status": "ok"}


@app.get("/{{resource_plural}}", response_model=List[{{Resource}}])
def list_{{resource_plural}}() -> list:
    return store.list()


@app.post("/{{resource_plural}}", response_model={{Resource}}, status_code=status.HTTP_201_CREATED)
def create_{{resource}}(body: {{Resource}}In) -> dict:
    return store.create(body.name, body.description)


@app.get("/{{resource_plural}}/{{{resource}}_id}", response_model={{Resource}})
def get_{{resource}}({{resource}}_id: int) -> dict:
    found = store.get({{resource}}_id)
    if found is None:
        raise HTTPException(status_code=404, detail="{{resource}} not found")
    return found


@app.delete("/{{resource_plural}}/{{{resource}}_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_{{resource}}({{resource}}_id: int) -> Response:
    if not store.delete({{resource}}_id):
        raise HTTPException(status_code=404, detail="{{resource}} not found")
    return Response(status_code=status.HTTP_204_NO_CONTENT)
)~";

constexpr const char* models_py = R"~(""" Request and response bodies of /{{resource_plural}}. """
from pydantic import BaseModel, Field, StrictStr


class {{Resource}}In(BaseModel):
    # Strict: a number or a list is refused with 422, never turned into text.
    name: StrictStr = Field(..., min_length=1, max_length=200)
    description: StrictStr = Field("", max_length=2000)


class {{Resource}}(BaseModel):
    id: int
    name: str
    description: str
)~";

constexpr const char* store_py = R"~(""" Where {{resource_plural}} live. DATABASE_URL picks the store:
memory:// (the default{{#database}} for tests{{/database}}), sqlite:///path.db (standard library){{#postgres}},
postgresql://user:password@host/db (psycopg 3){{/postgres}}. Every store returns plain dicts.
"""
import threading
from typing import Dict, List, Optional

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS {{resource_plural}} ("
    "id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '')"
)


class MemoryStore:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rows: Dict[int, dict] = {}
        self._next_id = 1

    def list(self) -> List[dict]:
        with self._lock:
            return [dict(row) for row in self._rows.values()]

    def create(self, name: str, description: str) -> dict:
        with self._lock:
            row = {"id": self._next_id, "name": name, "description": description}
            self._rows[row["id"]] = row
            self._next_id += 1
            return dict(row)

    def get(self, {{resource}}_id: int) -> Optional[dict]:
        with self._lock:
            row = self._rows.get({{resource}}_id)
            return dict(row) if row else None

    def delete(self, {{resource}}_id: int) -> bool:
        with self._lock:
            return self._rows.pop({{resource}}_id, None) is not None


class SqliteStore:
    def __init__(self, path: str) -> None:
        import sqlite3

        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        with self._db:
            self._db.execute(SCHEMA)

    def list(self) -> List[dict]:
        with self._lock:
            return [dict(r) for r in self._db.execute("SELECT id, name, description FROM {{resource_plural}} ORDER BY id")]

    def create(self, name: str, description: str) -> dict:
        with self._lock, self._db:
            cursor = self._db.execute("INSERT INTO {{resource_plural}} (name, description) VALUES (?, ?)", (name, description))
            return {"id": cursor.lastrowid, "name": name, "description": description}

    def get(self, {{resource}}_id: int) -> Optional[dict]:
        with self._lock:
            row = self._db.execute(
                "SELECT id, name, description FROM {{resource_plural}} WHERE id = ?", ({{resource}}_id,)
            ).fetchone()
            return dict(row) if row else None

    def delete(self, {{resource}}_id: int) -> bool:
        with self._lock, self._db:
            return self._db.execute("DELETE FROM {{resource_plural}} WHERE id = ?", ({{resource}}_id,)).rowcount > 0
{{#postgres}}

class PostgresStore:
    def __init__(self, url: str) -> None:
        import psycopg  # requirements.txt: psycopg[binary]
        from psycopg.rows import dict_row

        self._db = psycopg.connect(url, autocommit=True, row_factory=dict_row)
        self._lock = threading.Lock()
        with self._lock:
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS {{resource_plural}} (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                " name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '')"
            )

    def list(self) -> List[dict]:
        with self._lock:
            return self._db.execute("SELECT id, name, description FROM {{resource_plural}} ORDER BY id").fetchall()

    def create(self, name: str, description: str) -> dict:
        with self._lock:
            return self._db.execute(
                "INSERT INTO {{resource_plural}} (name, description) VALUES (%s, %s) RETURNING id, name, description",
                (name, description),
            ).fetchone()

    def get(self, {{resource}}_id: int) -> Optional[dict]:
        with self._lock:
            return self._db.execute(
                "SELECT id, name, description FROM {{resource_plural}} WHERE id = %s", ({{resource}}_id,)
            ).fetchone()

    def delete(self, {{resource}}_id: int) -> bool:
        with self._lock:
            return self._db.execute("DELETE FROM {{resource_plural}} WHERE id = %s", ({{resource}}_id,)).rowcount > 0
{{/postgres}}


def open_store(url: str):
    if url in ("", "memory://"):
        return MemoryStore()
    if url.startswith("sqlite:///"):
        return SqliteStore(url[len("sqlite:///"):] or ":memory:")
{{#postgres}}
    if url.startswith(("postgres://", "postgresql://")):
        return PostgresStore(url)
{{/postgres}}
    raise ValueError("DATABASE_URL: unsupported scheme in %r" % url.split(":", 1)[0])
)~";

constexpr const char* conftest_py = R"~(import os

# Tests use a fresh in-memory store unless TEST_DATABASE_URL says otherwise;
# set before the app is imported, which opens the store.
os.environ["DATABASE_URL"] = os.environ.get("TEST_DATABASE_URL", "memory://")
)~";

constexpr const char* test_api_py = R"~(from fastapi.testclient import TestClient

from app.main import app

client = TestClient(app)


def test_health_answers_ok():
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_create_get_list_and_delete_a_{{resource}}():
    created = client.post("/{{resource_plural}}", json={"name": "first", "description": "made by the test"})
    assert created.status_code == 201
    body = created.json()
    assert body["name"] == "first"
    assert isinstance(body["id"], int)

    fetched = client.get("/{{resource_plural}}/%d" % body["id"])
    assert fetched.status_code == 200
    assert fetched.json() == body
    assert body in client.get("/{{resource_plural}}").json()

    assert client.delete("/{{resource_plural}}/%d" % body["id"]).status_code == 204
    assert client.get("/{{resource_plural}}/%d" % body["id"]).status_code == 404


def test_unknown_{{resource}}_is_404():
    assert client.get("/{{resource_plural}}/987654321").status_code == 404
    assert client.delete("/{{resource_plural}}/987654321").status_code == 404


def test_invalid_body_is_422():
    assert client.post("/{{resource_plural}}", json={"description": "no name"}).status_code == 422
    assert client.post("/{{resource_plural}}", json={"name": ""}).status_code == 422
    assert client.post("/{{resource_plural}}", json={"name": ["not", "a", "string"]}).status_code == 422
    assert client.post("/{{resource_plural}}", json={"name": 12345}).status_code == 422
)~";

constexpr const char* test_store_py = R"~(from app.store import MemoryStore, SqliteStore, open_store

import pytest


@pytest.mark.parametrize("make", [MemoryStore, lambda: SqliteStore(":memory:")])
def test_store_keeps_{{resource_plural}}_until_deleted(make):
    store = make()
    first = store.create("a", "")
    second = store.create("b", "second")
    assert first["id"] != second["id"]
    assert store.get(second["id"]) == second
    assert [row["name"] for row in store.list()] == ["a", "b"]
    assert store.delete(first["id"]) is True
    assert store.delete(first["id"]) is False
    assert store.get(first["id"]) is None


def test_sqlite_store_survives_a_restart(tmp_path):
    url = "sqlite:///" + str(tmp_path / "data.db")
    created = open_store(url).create("kept", "")
    assert open_store(url).get(created["id"]) == created


def test_unknown_database_url_is_refused():
    with pytest.raises(ValueError):
        open_store("mysql://localhost/x")
)~";

constexpr const char* requirements_txt = R"~(fastapi>=0.92
uvicorn>=0.17
{{#postgres}}psycopg[binary]>=3.1
{{/postgres}})~";

constexpr const char* requirements_dev_txt = R"~(-r requirements.txt
pytest>=7
httpx>=0.23
)~";

constexpr const char* pytest_ini = R"~([pytest]
testpaths = tests
addopts = -q
)~";

constexpr const char* makefile = R"~(# {{name}}: make install, make test, make run{{#docker}}, make docker{{/docker}}.
PYTHON ?= python3
PORT ?= 8000

.PHONY: install test run{{#docker}} docker{{/docker}}

install:
	$(PYTHON) -m pip install -r requirements-dev.txt

test:
	$(PYTHON) -m pytest

run:
	$(PYTHON) -m uvicorn app.main:app --host 127.0.0.1 --port $(PORT)
{{#docker}}

docker:
	docker build -t {{name}}:dev .
{{/docker}}
)~";

constexpr const char* migration_sql = R"~(-- {{resource_plural}}: what app/store.py also creates when the table is missing.
{{#postgres}}CREATE TABLE IF NOT EXISTS {{resource_plural}} (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT ''
);
{{/postgres}}{{#sqlite}}CREATE TABLE IF NOT EXISTS {{resource_plural}} (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT ''
);
{{/sqlite}})~";

}  // namespace

std::vector<devkit::Artifact> python_fastapi_files(const ProjectSpec& spec) {
    const auto v = template_values(spec);
    std::vector<devkit::Artifact> files = {
        file("app/__init__.py", init_py, v),        file("app/main.py", main_py, v),
        file("app/models.py", models_py, v),        file("app/store.py", store_py, v),
        file("requirements.txt", requirements_txt, v), file("requirements-dev.txt", requirements_dev_txt, v),
        file("Makefile", makefile, v),
    };
    if (spec.tests) {
        files.push_back(file("pytest.ini", pytest_ini, v));
        files.push_back(file("tests/__init__.py", "", v));
        files.push_back(file("tests/conftest.py", conftest_py, v));
        files.push_back(file("tests/test_api.py", test_api_py, v));
        files.push_back(file("tests/test_store.py", test_store_py, v));
    }
    if (spec.database != Database::none)
        files.push_back(file("migrations/001_create_" + v.values.at("resource_plural") + ".sql", migration_sql, v));
    return files;
}

}  // namespace scaffold
