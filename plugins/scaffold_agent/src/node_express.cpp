// node-express: TypeScript on Express 5, strict tsc, tests on Node's own
// runner (node:test) against the app listening on a free port, so the only
// dependencies are express and the type packages.
#include "project_files.hpp"

namespace scaffold {
namespace {

constexpr const char* package_json = R"~({
  "name": "{{name}}",
  "version": "0.1.0",
  "private": true,
  "description": "{{name}}: an Express API in TypeScript",
  "main": "dist/src/server.js",
  "scripts": {
    "build": "tsc",
    "typecheck": "tsc --noEmit",
    "start": "node dist/src/server.js"{{#tests}},
    "test": "tsc && node --test dist/test/"{{/tests}}
  },
  "engines": {
    "node": ">=20"
  },
  "dependencies": {
    "express": "^5.1.0"
  },
  "devDependencies": {
    "@types/express": "^5.0.0",
    "@types/node": "^22.0.0",
    "typescript": "^5.6.0"
  }
}
)~";

constexpr const char* tsconfig_json = R"~({
  "compilerOptions": {
    "target": "ES2022",
    "module": "commonjs",
    "moduleResolution": "node",
    "lib": ["ES2022"],
    "types": ["node"],
    "strict": true,
    "noUnusedLocals": true,
    "noImplicitReturns": true,
    "esModuleInterop": true,
    "skipLibCheck": true,
    "outDir": "dist",
    "rootDir": "."
  },
  "include": ["src/**/*.ts"{{#tests}}, "test/**/*.ts"{{/tests}}]
}
)~";

constexpr const char* store_ts = R"~(// Where {{resource_plural}} live: in memory here; swap in a database store with
// the same methods{{#database}} ({{database_name}}: see migrations/ and README.md){{/database}}.
export interface {{Resource}} {
  id: number;
  name: string;
  description: string;
}

export interface {{Resource}}Store {
  list(): {{Resource}}[];
  create(name: string, description: string): {{Resource}};
  get(id: number): {{Resource}} | undefined;
  delete(id: number): boolean;
}

export class Memory{{Resource}}Store implements {{Resource}}Store {
  private readonly rows = new Map<number, {{Resource}}>();
  private nextId = 1;

  list(): {{Resource}}[] {
    return [...this.rows.values()].map((row) => ({ ...row }));
  }

  create(name: string, description: string): {{Resource}} {
    const row = { id: this.nextId++, name, description };
    this.rows.set(row.id, row);
    return { ...row };
  }

  get(id: number): {{Resource}} | undefined {
    const row = this.rows.get(id);
    return row ? { ...row } : undefined;
  }

  delete(id: number): boolean {
    return this.rows.delete(id);
  }
}
)~";

constexpr const char* app_ts = R"~(// The HTTP API: GET /health for probes and /{{resource_plural}}, the example resource.
import express, { NextFunction, Request, Response } from "express";

import { {{Resource}}Store, Memory{{Resource}}Store } from "./store";

export function createApp(store: {{Resource}}Store = new Memory{{Resource}}Store()): express.Express {
  const app = express();
  app.use(express.json({ limit: "1mb" }));

  app.get("/health", (_req: Request, res: Response) => {
    res.json({ status: "ok" });
  });

  app.get("/{{resource_plural}}", (_req: Request, res: Response) => {
    res.json(store.list());
  });

  app.post("/{{resource_plural}}", (req: Request, res: Response) => {
    const body: unknown = req.body;
    const input = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
    if (typeof input.name !== "string" || input.name.trim() === "") {
      res.status(422).json({ error: "name is required and must be a non-empty string" });
      return;
    }
    if (input.description !== undefined && typeof input.description !== "string") {
      res.status(422).json({ error: "description must be a string" });
      return;
    }
    res.status(201).json(store.create(input.name, input.description ?? ""));
  });

  app.get("/{{resource_plural}}/:id", (req: Request, res: Response) => {
    const found = store.get(Number(req.params.id));
    if (!found) {
      res.status(404).json({ error: "{{resource}} not found" });
      return;
    }
    res.json(found);
  });

  app.delete("/{{resource_plural}}/:id", (req: Request, res: Response) => {
    if (!store.delete(Number(req.params.id))) {
      res.status(404).json({ error: "{{resource}} not found" });
      return;
    }
    res.status(204).end();
  });

  // Malformed JSON and other client errors answer JSON, not Express's HTML page.
  app.use((error: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
    res.status(status).json({ error: status === 500 ? "internal error" : error.message });
  });
  return app;
}
)~";

constexpr const char* server_ts = R"~(// Starts the API on PORT (default 3000) and stops cleanly on SIGTERM.
import { createApp } from "./app";

const port = Number(process.env.PORT ?? 3000);
const server = createApp().listen(port, () => {
  console.log(`{{name}} listening on :${port}`);
});

process.on("SIGTERM", () => {
  server.close(() => process.exit(0));
});
)~";

constexpr const char* app_test_ts = R"~(import assert from "node:assert/strict";
import { AddressInfo } from "node:net";
import { Server } from "node:http";
import { after, before, test } from "node:test";

import { createApp } from "../src/app";

let server: Server;
let base = "";

before(async () => {
  server = createApp().listen(0);
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.close();
});

test("GET /health answers ok", async () => {
  const response = await fetch(`${base}/health`);
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { status: "ok" });
});

test("one {{resource}} is created, read, listed and deleted", async () => {
  const created = await fetch(`${base}/{{resource_plural}}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "first", description: "made by the test" }),
  });
  assert.equal(created.status, 201);
  const row = (await created.json()) as { id: number; name: string };
  assert.equal(row.name, "first");
  assert.equal((await fetch(`${base}/{{resource_plural}}/${row.id}`)).status, 200);
  const all = (await (await fetch(`${base}/{{resource_plural}}`)).json()) as { id: number }[];
  assert.ok(all.some((r) => r.id === row.id));
  assert.equal((await fetch(`${base}/{{resource_plural}}/${row.id}`, { method: "DELETE" })).status, 204);
  assert.equal((await fetch(`${base}/{{resource_plural}}/${row.id}`)).status, 404);
});

test("bad input is refused with a 4xx", async () => {
  const post = (body: string) =>
    fetch(`${base}/{{resource_plural}}`, { method: "POST", headers: { "content-type": "application/json" }, body });
  assert.equal((await post(JSON.stringify({ description: "no name" }))).status, 422);
  assert.equal((await post(JSON.stringify({ name: 7 }))).status, 422);
  assert.equal((await post("{\"name\":")).status, 400);
  assert.equal((await fetch(`${base}/{{resource_plural}}/987654321`)).status, 404);
});
)~";

constexpr const char* makefile = R"~(# {{name}}: make install, make build, make test, make run{{#docker}}, make docker{{/docker}}.
PORT ?= 3000

.PHONY: install build test run{{#docker}} docker{{/docker}}

install:
	npm install

build:
	npm run build

test:
	npm test

run: build
	PORT=$(PORT) npm start
{{#docker}}

docker:
	docker build -t {{name}}:dev .
{{/docker}}
)~";

constexpr const char* migration_sql = R"~(-- {{resource_plural}} for the {{database_name}} store that replaces src/store.ts's memory store.
CREATE TABLE IF NOT EXISTS {{resource_plural}} (
{{#postgres}}    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
{{/postgres}}{{#sqlite}}    id INTEGER PRIMARY KEY AUTOINCREMENT,
{{/sqlite}}    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT ''
);
)~";

}  // namespace

std::vector<devkit::Artifact> node_express_files(const ProjectSpec& spec) {
    const auto v = template_values(spec);
    std::vector<devkit::Artifact> files = {
        file("package.json", package_json, v), file("tsconfig.json", tsconfig_json, v),
        file("src/store.ts", store_ts, v),     file("src/app.ts", app_ts, v),
        file("src/server.ts", server_ts, v),   file("Makefile", makefile, v),
    };
    if (spec.tests) files.push_back(file("test/app.test.ts", app_test_ts, v));
    if (spec.database != Database::none)
        files.push_back(file("migrations/001_create_" + v.values.at("resource_plural") + ".sql", migration_sql, v));
    return files;
}

}  // namespace scaffold
