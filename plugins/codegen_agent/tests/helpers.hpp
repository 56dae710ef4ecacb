// Shared helpers for the codegen_agent tests: fixtures, generation with a
// given context, temporary folders, and running python3 and tsc.
#ifndef CODEGEN_TESTS_HELPERS_HPP
#define CODEGEN_TESTS_HELPERS_HPP

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include <apispec/api_reader.hpp>
#include "api.hpp"
#include <apispec/document_loader.hpp>
#include "generate.hpp"
#include "request.hpp"

namespace helpers {

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

inline std::string fixture(const std::string& name) { return read_file(std::string(CODEGEN_FIXTURE_DIR) + "/" + name); }

// A JSON string literal holding `text`.
inline std::string json_string(const std::string& text) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.String(text.c_str(), static_cast<rapidjson::SizeType>(text.size()));
    return buffer.GetString();
}

inline rapidjson::Document parse(const std::string& json) {
    rapidjson::Document document;
    document.Parse(json.c_str());
    if (document.HasParseError()) throw std::invalid_argument("bad test JSON: " + json);
    return document;
}

// Generates from a task and a context given as JSON text.
inline codegen::Generated generate(const std::string& task, const std::string& context_json,
                                   const codegen::Config& config = {}) {
    const rapidjson::Document context = parse(context_json);
    return codegen::generate(codegen::request_from(task, context, config), config);
}

// Generates from spec text (JSON or YAML) with extra context members.
inline codegen::Generated generate_spec(const std::string& spec_text, const std::string& more_members = "",
                                        const codegen::Config& config = {}) {
    return generate("", "{\"spec\":" + json_string(spec_text) + (more_members.empty() ? "" : "," + more_members) + "}",
                    config);
}

inline codegen::Api read(const std::string& spec_text) {
    const rapidjson::Document document = codegen::load_document(spec_text);
    return codegen::read_api(document, "Model");
}

inline const codegen::Artifact& artifact(const codegen::Generated& generated, const std::string& path) {
    for (const auto& item : generated.artifacts)
        if (item.path == path) return item;
    FAIL("no artifact " << path);
    throw std::logic_error("unreachable");
}

// A fresh folder under the system temp dir, removed afterwards.
class TempDir {
  public:
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "codegen-test-XXXXXX").string();
        if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

    void write(const std::string& relative, const std::string& content) const {
        const auto file = path_ / relative;
        std::filesystem::create_directories(file.parent_path());
        std::ofstream(file, std::ios::binary) << content;
    }
    void write_all(const codegen::Generated& generated) const {
        for (const auto& item : generated.artifacts) write(item.path, item.content);
    }

  private:
    std::filesystem::path path_;
};

struct CommandResult {
    int exit_code = -1;
    std::string output;  // stdout and stderr
};

// Runs a shell command, capturing its output.
inline CommandResult run(const std::string& command) {
    CommandResult result;
    FILE* pipe = popen((command + " 2>&1").c_str(), "r");
    if (pipe == nullptr) throw std::runtime_error("popen failed: " + command);
    std::array<char, 4096> buffer{};
    while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) result.output += buffer.data();
    const int status = pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

inline std::string shell_quote(const std::string& text) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// The tsc the build found (tools/npm). Missing tsc is a failure, never a
// skip: a test that cannot check the TypeScript must not pass.
inline std::string tsc() {
    const std::string path = CODEGEN_TSC_PATH;
    if (access(path.c_str(), X_OK) != 0)
        FAIL("tsc not found at " << path << ": run `make deps` (tools/install-deps runs npm ci in tools/npm)");
    return path;
}

// The interpreter the generated Python is checked with: python3, or
// CODEGEN_TEST_PYTHON (e.g. a Python 3.8 to check the oldest version the
// code promises to support).
inline std::string python() {
    const char* chosen = std::getenv("CODEGEN_TEST_PYTHON");
    return chosen != nullptr && *chosen != '\0' ? shell_quote(chosen) : std::string("python3");
}

inline void require_python() {
    const CommandResult version = run(python() + " --version");
    if (version.exit_code != 0) FAIL(python() << " not found: run `make deps`");
}

// Ends a TypeScript check script that defines `async function main()`:
// runs it, and exits 1 when it throws.
inline const char* const typescript_run_main = R"TS(
main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
declare const process: { exit(code: number): never };
)TS";

// A Python stand-in for urlopen's answer (import io first): a 200 whose
// body is the bytes it is made with.
inline const char* const python_reply_class = R"PY(
class Reply(io.BytesIO):
    status = 200
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        return False
)PY";

// A tsconfig for strict type-checking of every .ts file in the folder.
inline std::string tsconfig() {
    return R"({
  "compilerOptions": {
    "target": "ES2020",
    "lib": ["ES2020", "DOM"],
    "module": "commonjs",
    "strict": true,
    "noUnusedLocals": true,
    "noImplicitReturns": true,
    "skipLibCheck": true,
    "outDir": "out"
  },
  "include": ["**/*.ts"],
  "exclude": ["out", "node_modules"]
})";
}

}  // namespace helpers

#endif
