// The generated code itself: Python compiled with py_compile, imported and
// run against a local HTTP server; TypeScript type-checked with
// `tsc --strict --noEmit` and run under node against a fake fetch.
#include "helpers.hpp"

using helpers::run;
using helpers::shell_quote;
using helpers::TempDir;

namespace {

// Exercises the generated Python package against a stdlib HTTP server that
// answers like the pet store: decoded models, encoded bodies, URL-encoded
// path parameters, repeated query parameters, headers and ApiError.
const char* const python_client_check = R"PY(
import dataclasses, json, sys, threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pet_store
from pet_store import models

seen = []
PET = {"id": 7, "name": "Rex", "createdAt": "2024-01-02T03:04:05Z", "status": "available",
       "category": {"name": "dog", "parent": {"name": "animal"}},
       "owner": {"id": "o1", "name": "Ann", "email": None, "2fa_enabled": True, "from": "radio",
                 "address": {"city": "Oslo", "country-code": "NO"},
                 "pets": [{"id": 8, "name": "Bo", "createdAt": "2024-01-01T00:00:00Z"}]},
       "vaccinations": [{"vaccine": "rabies", "date": "2023-05-01", "vet": None},
                        {"vaccine": "flu", "date": "2023-06-01", "vet": {"name": "Dr. V"}}]}

class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, body=None, content_type="application/json"):
        self.send_response(status)
        data = b""
        if body is not None:
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else None
        seen.append({"method": self.command, "path": self.path, "body": body,
                     "request_id": self.headers.get("X-Request-Id"),
                     "content_type": self.headers.get("Content-Type")})
        path = self.path
        if path.startswith("/v2/pets?"):
            return self.reply(200, {"items": [PET], "total": 1, "next": None})
        if path == "/v2/pets/404?include_owner=true" or path == "/v2/pets/404":
            return self.reply(404, {"code": 404, "message": "no such pet"})
        if path.startswith("/v2/pets/7/notes"):
            return self.reply(200, "stored: " + body, "text/plain")
        if path.startswith("/v2/pets/7") and self.command == "GET":
            return self.reply(200, PET)
        if path == "/v2/pets" and self.command == "POST":
            sent = json.loads(body)
            return self.reply(201, dict(sent, id=9, createdAt="2024-02-02T00:00:00Z"))
        if self.command in ("DELETE", "PUT") and path.startswith("/v2/"):
            return self.reply(204)
        if path == "/v2/store/inventory":
            return self.reply(200, {"available": 3, "sold": 1})
        if path == "/v2/store/orders/5":
            return self.reply(200, {"id": 5, "petId": 7, "quantity": 1, "status": "placed",
                                    "payment": {"iban": "NO93"}, "lines": [{"sku": "a", "price": 2}]})
        return self.reply(500, "unexpected " + self.command + " " + path, "text/plain")

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any

server = HTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
client = pet_store.PetStoreClient("http://127.0.0.1:%d/v2/" % server.server_port, headers={"Authorization": "k"})

# Models: nested objects, a $ref cycle (Owner.pets -> Pet), renamed fields.
pet = models.Pet.from_dict(PET)
assert isinstance(pet.owner, models.Owner), pet.owner
assert isinstance(pet.owner.pets[0], models.Pet)
assert isinstance(pet.category.parent, models.Category)
assert pet.owner.address.country_code == "NO"
assert pet.owner._2fa_enabled is True and pet.owner.from_ == "radio"
assert pet.vaccinations[0].vet is None
assert isinstance(pet.vaccinations[1].vet, models.PetVaccinationsItemVet)
assert pet.created_at == "2024-01-02T03:04:05Z"
assert pet.to_dict()["owner"]["address"]["country-code"] == "NO"
assert pet.to_dict()["createdAt"] == PET["createdAt"]
try:
    models.Pet.from_dict({"name": "no id"})
    raise AssertionError("a missing required field must be refused")
except ValueError as error:
    assert "id" in str(error), error

# Client: one method per operation, typed results, ApiError on non-2xx.
page = client.list_pets(limit=10, status=["available", "sold"], x_request_id="req-1")
assert isinstance(page, models.PetPage) and isinstance(page.items[0], models.Pet), page
assert seen[-1]["path"] == "/v2/pets?limit=10&status=available&status=sold", seen[-1]
assert seen[-1]["request_id"] == "req-1"
assert client.get_pet(7, include_owner=True).owner.name == "Ann"
assert seen[-1]["path"] == "/v2/pets/7?include_owner=true", seen[-1]
try:
    client.get_pet(404)
    raise AssertionError("404 must raise ApiError")
except pet_store.ApiError as error:
    assert error.status == 404 and error.body == {"code": 404, "message": "no such pet"}, (error.status, error.body)
created = client.create_pet(models.NewPet(name="Kit", status="pending", tags=["x"]))
assert isinstance(created, models.Pet) and created.id == 9 and created.status == "pending"
assert json.loads(seen[-1]["body"]) == {"name": "Kit", "status": "pending", "tags": ["x"]}, seen[-1]
assert seen[-1]["content_type"] == "application/json"
assert client.delete_pet(7) is None
assert client.assign_pet("a/b c", 7) is None
assert seen[-1]["path"] == "/v2/owners/a%2Fb%20c/pets/7", seen[-1]
assert client.add_pet_note(7, "likes walks") == "stored: likes walks"
assert client.get_inventory() == {"available": 3, "sold": 1}
order = client.get_order_by_id(5)
assert isinstance(order.payment, models.PaymentOption2) and order.payment.iban == "NO93", order.payment
assert isinstance(order.lines[0], models.OrderLinesItem) and order.lines[0].price == 2.0
server.shutdown()
print("PYTHON CLIENT OK")
)PY";

// Uses the generated TypeScript with a fake fetch. Also proves the types
// are real: each @ts-expect-error line must be an error, or tsc fails.
const char* const typescript_usage = R"TS(
import { ApiError, NewPet, Pet, PetStatus, PetStoreClient } from "./pet_store";

interface Call { url: string; method: string; body: string | undefined; headers: Record<string, string> }
const calls: Call[] = [];
const pet: Pet = { id: 7, name: "Rex", createdAt: "2024-01-02", status: "available",
  owner: { id: "o1", name: "Ann", email: null, "2fa_enabled": true, address: { "country-code": "NO" } } };

const fakeFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  const url = String(input);
  calls.push({ url, method: init?.method ?? "GET", body: init?.body as string | undefined,
               headers: (init?.headers ?? {}) as Record<string, string> });
  if (url.includes("/pets/404")) return new Response(JSON.stringify({ code: 404, message: "no such pet" }), { status: 404 });
  if (init?.method === "DELETE") return new Response(null, { status: 204 });
  if (url.includes("/pets?")) return new Response(JSON.stringify({ items: [pet], total: 1, next: null }), { status: 200 });
  return new Response(JSON.stringify(pet), { status: 200 });
};

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error("check failed: " + what + " " + JSON.stringify(calls[calls.length - 1]));
}

async function main(): Promise<void> {
  const client = new PetStoreClient("http://api.test/v2/", { fetch: fakeFetch, headers: { Authorization: "k" } });
  const page = await client.listPets({ limit: 5, status: ["available", "sold"], xRequestId: "r-1" });
  check(page.items[0].name === "Rex", "decoded page");
  check(calls[0].url === "http://api.test/v2/pets?limit=5&status=available&status=sold", "query string");
  check(calls[0].headers["X-Request-Id"] === "r-1" && calls[0].headers["Authorization"] === "k", "headers");
  const one: Pet = await client.getPet(7, { includeOwner: true });
  const status: PetStatus = one.status ?? "pending";
  check(status === "available", "enum field");
  check(calls[1].url === "http://api.test/v2/pets/7?include_owner=true", "path and query");
  const draft: NewPet = { name: "Kit", tags: ["x"] };
  await client.createPet(draft);
  check(calls[2].method === "POST" && calls[2].body === JSON.stringify(draft), "JSON body");
  check(calls[2].headers["Content-Type"] === "application/json", "content type");
  await client.assignPet("a/b c", 7);
  check(calls[3].url === "http://api.test/v2/owners/a%2Fb%20c/pets/7", "path encoding");
  const nothing: void = await client.deletePet(7);
  check(nothing === undefined, "204");
  try {
    await client.getPet(404);
    check(false, "404 must throw");
  } catch (error) {
    check(error instanceof ApiError && error.status === 404, "ApiError status");
    check(error instanceof ApiError && (error.body as { message: string }).message === "no such pet", "ApiError body");
  }
  // @ts-expect-error: petId is a number
  await client.getPet("seven");
  // @ts-expect-error: name is required
  const incomplete: NewPet = { tags: [] };
  // @ts-expect-error: not a PetStatus
  const wrong: PetStatus = "lost";
  void incomplete;
  void wrong;
  console.log("TYPESCRIPT CLIENT OK");
}

)TS";

void py_compile_all(const TempDir& dir, const codegen::Generated& generated) {
    for (const auto& artifact : generated.artifacts) {
        if (artifact.media_type != "text/x-python") continue;
        INFO(artifact.path << "\n" << artifact.content);
        const auto result = run(helpers::python() + " -m py_compile " + shell_quote((dir.path() / artifact.path).string()));
        INFO(result.output);
        REQUIRE(result.exit_code == 0);
    }
}

std::string python_in(const TempDir& dir, const std::string& script_name) {
    return "cd " + shell_quote((dir.path() / "python").string()) + " && " + helpers::python() + " " + script_name;
}

}  // namespace

TEST_CASE("generated Python for the pet store compiles, imports and talks to a server", "[codegen][python]") {
    helpers::require_python();
    const auto generated = helpers::generate_spec(helpers::fixture("petstore.yaml"), R"("language":"python")");
    REQUIRE(generated.artifacts.size() == 3);
    TempDir dir;
    dir.write_all(generated);
    py_compile_all(dir, generated);
    dir.write("python/check_client.py", python_client_check);
    const auto result = run(python_in(dir, "check_client.py"));
    INFO(helpers::artifact(generated, "python/pet_store/models.py").content);
    INFO(helpers::artifact(generated, "python/pet_store/client.py").content);
    INFO(result.output);
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.output, Catch::Contains("PYTHON CLIENT OK"));
}

TEST_CASE("generated Python for Python 3.10+ uses PEP 604 annotations and still decodes", "[codegen][python]") {
    helpers::require_python();
    codegen::Config config;
    config.python_min_minor = 10;
    const auto generated = helpers::generate_spec(helpers::fixture("petstore.yaml"), R"("language":"python")", config);
    const std::string& models = helpers::artifact(generated, "python/pet_store/models.py").content;
    CHECK_THAT(models, Catch::Contains("email: str | None"));
    CHECK_THAT(models, Catch::Contains("pets: list[Pet] | None = None"));
    TempDir dir;
    dir.write_all(generated);
    py_compile_all(dir, generated);
    const auto version = run(helpers::python() + " -c 'import sys; print(sys.version_info >= (3, 10))'");
    if (version.output.find("True") != std::string::npos) {
        dir.write("python/check_client.py", python_client_check);
        const auto result = run(python_in(dir, "check_client.py"));
        INFO(result.output);
        CHECK(result.exit_code == 0);
    }
}

TEST_CASE("generated TypeScript for the pet store passes tsc --strict and works with fetch", "[codegen][typescript]") {
    const std::string tsc = helpers::tsc();
    const auto generated = helpers::generate_spec(helpers::fixture("petstore.yaml"), R"("language":"typescript")");
    REQUIRE(generated.artifacts.size() == 3);
    TempDir dir;
    dir.write_all(generated);
    dir.write("typescript/tsconfig.json", helpers::tsconfig());
    const std::string project = shell_quote((dir.path() / "typescript").string());
    INFO(helpers::artifact(generated, "typescript/pet_store/models.ts").content);
    INFO(helpers::artifact(generated, "typescript/pet_store/client.ts").content);
    {
        const auto result = run(shell_quote(tsc) + " --strict --noEmit -p " + project);
        INFO(result.output);
        REQUIRE(result.exit_code == 0);
    }
    // The generated files with code that uses them, type-checked and run.
    dir.write("typescript/usage.ts", std::string(typescript_usage) + helpers::typescript_run_main);
    const auto compiled = run(shell_quote(tsc) + " --strict -p " + project);
    INFO(compiled.output);
    REQUIRE(compiled.exit_code == 0);
    const auto ran = run("node " + shell_quote((dir.path() / "typescript/out/usage.js").string()));
    INFO(ran.output);
    CHECK(ran.exit_code == 0);
    CHECK_THAT(ran.output, Catch::Contains("TYPESCRIPT CLIENT OK"));
}

TEST_CASE("a bare JSON Schema gives models only, valid in both languages", "[codegen][python][typescript]") {
    helpers::require_python();
    const std::string tsc = helpers::tsc();
    const auto generated =
        helpers::generate_spec(helpers::fixture("order.schema.json"), R"("package_name":"shipping")");
    std::vector<std::string> paths;
    for (const auto& artifact : generated.artifacts) paths.push_back(artifact.path);
    CHECK(paths == std::vector<std::string>{"python/shipping/__init__.py", "python/shipping/models.py",
                                            "typescript/shipping/models.ts", "typescript/shipping/index.ts"});
    CHECK(generated.source == "json_schema");
    TempDir dir;
    dir.write_all(generated);
    py_compile_all(dir, generated);
    dir.write("python/check.py", R"PY(
from shipping import Shipment, Parcel, Address
s = Shipment.from_dict({"id": "s1", "priority": "high", "metadata": {"a": None, "b": "x"},
                        "parcels": [{"weight_kg": 2, "contents": [{"weight_kg": 1}], "dimensions": {"length": 3}}],
                        "destination": {"line1": "Main St 1", "country": "NO", "line2": None}})
assert isinstance(s.parcels[0], Parcel) and isinstance(s.parcels[0].contents[0], Parcel)
assert s.parcels[0].weight_kg == 2.0 and isinstance(s.parcels[0].weight_kg, float)
assert isinstance(s.destination, Address) and s.destination.line2 is None
assert s.to_dict()["parcels"][0]["dimensions"] == {"length": 3}
print("SCHEMA OK")
)PY");
    const auto result = run(python_in(dir, "check.py"));
    INFO(helpers::artifact(generated, "python/shipping/models.py").content);
    INFO(result.output);
    CHECK_THAT(result.output, Catch::Contains("SCHEMA OK"));

    dir.write("typescript/tsconfig.json", helpers::tsconfig());
    const auto checked =
        run(shell_quote(tsc) + " --strict --noEmit -p " + shell_quote((dir.path() / "typescript").string()));
    INFO(helpers::artifact(generated, "typescript/shipping/models.ts").content);
    INFO(checked.output);
    CHECK(checked.exit_code == 0);
}

TEST_CASE("generation is deterministic", "[codegen]") {
    const auto first = helpers::generate_spec(helpers::fixture("petstore.yaml"));
    const auto second = helpers::generate_spec(helpers::fixture("petstore.yaml"));
    REQUIRE(first.artifacts.size() == 6);
    for (std::size_t i = 0; i < first.artifacts.size(); ++i) {
        CHECK(first.artifacts[i].path == second.artifacts[i].path);
        CHECK(first.artifacts[i].content == second.artifacts[i].content);
    }
    CHECK(first.summary == second.summary);
}

TEST_CASE("awkward names and shapes still give valid, importable code", "[codegen][python][typescript]") {
    helpers::require_python();
    const std::string tsc = helpers::tsc();
    const auto generated = helpers::generate_spec(helpers::fixture("awkward.json"));
    TempDir dir;
    dir.write_all(generated);
    py_compile_all(dir, generated);
    const std::string package = generated.package_name;
    CHECK(package == "api_123_awkward_names_api");
    dir.write("python/check.py", "import " + package + " as api\n" + R"PY(
from dataclasses import fields
r = api.Record.from_dict({"from": "f", "str": "s", "self": 1, "to_dict": True, "123abc": 2, "kebab-case": "k",
                          "kebabCase": "c", "mixed": None, "quoted": "a\"b", "import": None,
                          "nested": {"deeper": {"deepest": [{"x": 1}]}}, "maybe": {"None": "n"}, "either": "e"})
assert r.from_ == "f" and r.str_ == "s" and r.self_ == 1 and r.to_dict_ is True, r
assert r._123abc == 2.0 and r.kebab_case == "k" and r.kebab_case2 == "c"
assert r.nested.deeper.deepest[0].x == 1
assert isinstance(r.maybe, api.Class) and r.maybe.none == "n", r.maybe
assert r.to_dict()["kebab-case"] == "k" and r.to_dict()["kebabCase"] == "c"
tree = api.Tree.from_dict({"children": [{"children": [], "label": "leaf"}]})
assert isinstance(tree.children[0], api.Tree) and tree.children[0].label == "leaf"
client = api.Api123AwkwardNamesApiClient("http://127.0.0.1:9")
assert callable(client.get_pet2) and callable(client.post_search) and callable(client.root) and callable(client.odd)

# The request get_pet builds, seen through a stand-in for urlopen.
import io, json, urllib.parse, urllib.request
seen = {}
)PY" + std::string(helpers::python_reply_class) + R"PY(def fake_urlopen(request, timeout=None):
    seen.update(url=request.full_url, headers={k.lower(): v for k, v in request.header_items()}, data=request.data)
    return Reply(b'{"from": "f", "str": "s", "self": 1, "to_dict": false, "either": {"type": "t"}}')
urllib.request.urlopen = fake_urlopen
got = client.get_pet("a/b c", 3, self_=2, x_flag=True, x_ids=[1, 2], filter=api.GetPetFilter(min=1.5),
                     body=[api.Class(none="n")], body2="q", tags=["a", "b"])
assert isinstance(got, api.Record) and got.to_dict_ is False and isinstance(got.either, api.Class), got
url = urllib.parse.urlsplit(seen["url"])
assert url.path == "/items/a%2Fb%20c/3", url
query = urllib.parse.parse_qs(url.query)
assert query == {"body": ["q"], "self": ["2"], "filter": ['{"min": 1.5}'], "tags": ["a,b"]}, query
assert seen["headers"]["x-flag"] == "true" and seen["headers"]["x-ids"] == "1,2", seen["headers"]
assert json.loads(seen["data"]) == [{"None": "n"}], seen["data"]
print("AWKWARD OK")
)PY");
    const auto result = run(python_in(dir, "check.py"));
    INFO(helpers::artifact(generated, "python/" + package + "/models.py").content);
    INFO(helpers::artifact(generated, "python/" + package + "/client.py").content);
    INFO(result.output);
    CHECK_THAT(result.output, Catch::Contains("AWKWARD OK"));

    dir.write("typescript/tsconfig.json", helpers::tsconfig());
    const auto checked =
        run(shell_quote(tsc) + " --strict --noEmit -p " + shell_quote((dir.path() / "typescript").string()));
    INFO(helpers::artifact(generated, "typescript/" + package + "/models.ts").content);
    INFO(helpers::artifact(generated, "typescript/" + package + "/client.ts").content);
    INFO(checked.output);
    CHECK(checked.exit_code == 0);
}

TEST_CASE("a client without model types still passes tsc with noUnusedLocals", "[codegen][typescript]") {
    const std::string tsc = helpers::tsc();
    const auto generated = helpers::generate_spec(
        "openapi: 3.0.3\ninfo: {title: Health, version: '1'}\nservers: [{url: /api}]\npaths:\n  /health:\n    get:\n"
        "      operationId: health\n      parameters: [{name: verbose, in: query, schema: {type: boolean}}]\n"
        "      responses: {'200': {description: ok, content: {text/plain: {schema: {type: string}}}}}\n",
        R"("language":"typescript")");
    const std::string& client = helpers::artifact(generated, "typescript/health/client.ts").content;
    CHECK_THAT(client, !Catch::Contains("import type * as M"));
    CHECK_THAT(client, Catch::Contains("constructor(baseUrl: string, options"));  // a relative server URL is no default
    REQUIRE(generated.warnings.size() == 1);
    CHECK_THAT(generated.warnings[0], Catch::Contains("'/api' is relative"));
    TempDir dir;
    dir.write_all(generated);
    dir.write("typescript/tsconfig.json", helpers::tsconfig());
    const auto checked =
        run(shell_quote(tsc) + " --strict --noEmit -p " + shell_quote((dir.path() / "typescript").string()));
    INFO(client);
    INFO(checked.output);
    CHECK(checked.exit_code == 0);
}
