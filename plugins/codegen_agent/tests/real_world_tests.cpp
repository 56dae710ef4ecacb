// Documents shaped like the large real-world ones users bring (a chat
// platform's OpenAPI 3.1 description, a CI workflow JSON Schema, recursive
// shapes), written for these tests: each must generate, pass
// `tsc --strict` and import in Python.
#include "helpers.hpp"

using helpers::run;
using helpers::shell_quote;
using helpers::TempDir;

namespace {

// Generates both languages, type-checks the TypeScript and imports the
// Python package. Returns the generation for further checks.
codegen::Generated generate_and_check(const std::string& fixture_name) {
    helpers::require_python();
    const std::string tsc = helpers::tsc();
    codegen::Generated generated;
    try {
        generated = helpers::generate_spec(helpers::fixture(fixture_name));
    } catch (const std::exception& e) {
        FAIL(fixture_name << " was refused: " << e.what());
    }
    TempDir dir;
    dir.write_all(generated);
    dir.write("typescript/tsconfig.json", helpers::tsconfig());
    const auto checked =
        run(shell_quote(tsc) + " --strict --noEmit -p " + shell_quote((dir.path() / "typescript").string()));
    {
        INFO(helpers::artifact(generated, "typescript/" + generated.package_name + "/models.ts").content);
        INFO(checked.output);
        CHECK(checked.exit_code == 0);
    }
    const auto imported = run("cd " + shell_quote((dir.path() / "python").string()) + " && " + helpers::python() +
                              " -c " + shell_quote("import " + generated.package_name + "; print('IMPORTED')"));
    INFO(helpers::artifact(generated, "python/" + generated.package_name + "/models.py").content);
    INFO(imported.output);
    CHECK_THAT(imported.output, Catch::Contains("IMPORTED"));
    return generated;
}

bool warned(const codegen::Generated& generated, const std::string& text) {
    for (const auto& warning : generated.warnings)
        if (warning.find(text) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("a chat platform's OpenAPI 3.1 document generates and type-checks", "[codegen][realworld]") {
    const auto generated = generate_and_check("chat_platform.openapi.json");
    CHECK(generated.operations == 6);
    // Empty enums are unconstrained, and said so.
    CHECK(warned(generated, "/components/schemas/GuildFeatures/enum: empty enum"));
    CHECK(warned(generated, "/components/schemas/ChannelPermissionOverwrites/enum: empty enum"));
}

TEST_CASE("a CI workflow JSON Schema generates and type-checks", "[codegen][realworld]") {
    const auto generated = generate_and_check("ci_workflow.schema.json");
    CHECK(generated.source == "json_schema");
    const std::string& models = helpers::artifact(generated, "typescript/workflow/models.ts").content;
    // patternProperties: jobs map names to either kind of job.
    CHECK_THAT(models, Catch::Contains("jobs: { [key: string]: NormalJob | ReusableWorkflowCallJob }"));
}

TEST_CASE("recursive shapes in every position generate and type-check", "[codegen][realworld]") {
    const auto generated = generate_and_check("recursive_shapes.schema.json");
    // The one cycle with nothing to hang a name on is broken, and said so.
    CHECK(warned(generated, "/$defs/loopB"));
    CHECK(warned(generated, "/$defs/selfUnion"));
}

namespace {

// Calls the chat platform's form, multipart and binary operations against
// a fetch that records what it is given.
const char* const typescript_bodies = R"TS(
import { ChatPlatformHttpApiClient } from "./chat_platform_http_api";

interface Seen { url: string; body: unknown; headers: Record<string, string> }
const seen: Seen[] = [];
const fakeFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  seen.push({ url: String(input), body: init?.body, headers: (init?.headers ?? {}) as Record<string, string> });
  return new Response(JSON.stringify({ id: "1", content: "ok", access_token: "t", token_type: "bearer" }), { status: 200 });
};

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error("failed: " + what);
}

async function main(): Promise<void> {
  const client = new ChatPlatformHttpApiClient(undefined, { fetch: fakeFetch });
  await client.exchangeToken({ grant_type: "authorization_code", code: "c d&e", scope: ["read", "write"] });
  const form = seen[0].body;
  check(form instanceof URLSearchParams, "a form body is URLSearchParams");
  check(String(form) === "grant_type=authorization_code&code=c+d%26e&scope=read&scope=write", String(form));
  check(seen[0].headers["Content-Type"].startsWith("application/x-www-form-urlencoded"), "form content type");

  await client.createMessage("42", { content: "hi", "files[0]": new Uint8Array([1, 2, 3]), tts: null });
  const parts = seen[1].body;
  check(parts instanceof FormData, "a multipart body is FormData");
  const data = parts as FormData;
  check(data.get("content") === "hi", "text part");
  const file = data.get("files[0]");
  check(file instanceof Blob && file.size === 3, "file part");
  check(!data.has("tts"), "null fields are left out");
  check(seen[1].headers["Content-Type"] === undefined, "fetch writes the multipart boundary");

  const png = new Uint8Array([137, 80, 78, 71]);
  await client.uploadEmojiImage("7", "wave", png);
  check(seen[2].body === png, "a binary body is sent as given");
  check(seen[2].headers["Content-Type"] === "image/png", "binary content type");
  console.log("BODIES OK");
}

)TS";

const std::string python_bodies = R"PY(
import io, urllib.request
import chat_platform_http_api as api

seen = []
)PY" + std::string(helpers::python_reply_class) + R"PY(def fake_urlopen(request, timeout=None):
    seen.append((request.data, {k.lower(): v for k, v in request.header_items()}))
    return Reply(b'{"id": "1", "content": "ok", "access_token": "t", "token_type": "bearer"}')
urllib.request.urlopen = fake_urlopen

client = api.ChatPlatformHttpApiClient()
client.exchange_token(api.ExchangeTokenRequest(grant_type="authorization_code", code="c d&e", scope=["read", "write"]))
data, headers = seen[0]
assert data == b"grant_type=authorization_code&code=c+d%26e&scope=read&scope=write", data
assert headers["content-type"] == "application/x-www-form-urlencoded", headers

client.create_message("42", api.MessageCreateRequest(content="hi", files_0=b"\x01\x02\x03"))
data, headers = seen[1]
assert headers["content-type"].startswith("multipart/form-data; boundary="), headers
boundary = headers["content-type"].split("boundary=")[1].encode()
assert data.startswith(b"--" + boundary + b"\r\n") and data.endswith(b"--" + boundary + b"--\r\n"), data
assert b'Content-Disposition: form-data; name="content"\r\n\r\nhi\r\n' in data, data
assert (b'Content-Disposition: form-data; name="files[0]"; filename="files[0]"\r\n'
        b'Content-Type: application/octet-stream\r\n\r\n\x01\x02\x03\r\n') in data, data

client.upload_emoji_image("7", "wave", b"\x89PNG")
data, headers = seen[2]
assert data == b"\x89PNG" and headers["content-type"] == "image/png", (data, headers)
print("BODIES OK")
)PY";

}  // namespace

TEST_CASE("form, multipart and binary bodies are encoded as their media types say", "[codegen][bodies]") {
    helpers::require_python();
    const std::string tsc = helpers::tsc();
    const auto generated = helpers::generate_spec(helpers::fixture("chat_platform.openapi.json"));
    CHECK_FALSE(warned(generated, "is not supported"));
    TempDir dir;
    dir.write_all(generated);
    dir.write("typescript/tsconfig.json", helpers::tsconfig());
    dir.write("typescript/usage.ts", std::string(typescript_bodies) + helpers::typescript_run_main);
    const std::string project = shell_quote((dir.path() / "typescript").string());
    INFO(helpers::artifact(generated, "typescript/chat_platform_http_api/client.ts").content);
    const auto compiled = run(shell_quote(tsc) + " --strict -p " + project);
    INFO(compiled.output);
    REQUIRE(compiled.exit_code == 0);
    const auto ran = run("node " + shell_quote((dir.path() / "typescript/out/usage.js").string()));
    INFO(ran.output);
    CHECK_THAT(ran.output, Catch::Contains("BODIES OK"));

    dir.write("python/check_bodies.py", python_bodies);
    const auto checked = run("cd " + shell_quote((dir.path() / "python").string()) + " && " + helpers::python() +
                             " check_bodies.py");
    INFO(helpers::artifact(generated, "python/chat_platform_http_api/client.py").content);
    INFO(checked.output);
    CHECK_THAT(checked.output, Catch::Contains("BODIES OK"));
}
