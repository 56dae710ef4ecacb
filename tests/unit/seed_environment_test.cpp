// The seeds' own variable names and .env files, as their users set them.
#include "config/dotenv.hpp"
#include "config/host_config.hpp"
#include "config/unused_seed_variables.hpp"
#include "host_process.hpp"
#include "test_host.hpp"
#include "store/database.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>

using namespace agenthost;
using Catch::Matchers::Contains;

namespace {

HostConfig load(std::vector<const char*> args = {}) {
    args.insert(args.begin(), "agenthost");
    return load_config(static_cast<int>(args.size()), args.data());
}

struct ScopedEnv {
    ScopedEnv(const char* name, const char* value) : name(name) { setenv(name, value, 1); }
    ~ScopedEnv() { unsetenv(name); }
    const char* name;
};

}  // namespace

TEST_CASE("DATABASE_URL, LOG_LEVEL and DEBUG work as the seeds set them; AGENTHOST_ names win") {
    {
        ScopedEnv url("DATABASE_URL", "postgresql://user:pass@host:5432/dbname");
        CHECK(load().database_url == "postgresql://user:pass@host:5432/dbname");
        ScopedEnv ours("AGENTHOST_DATABASE_URL", "sqlite:/tmp/ours.db");
        CHECK(load().database_url == "sqlite:/tmp/ours.db");
    }
    {
        ScopedEnv level("LOG_LEVEL", "WARNING");  // seed 004's spelling
        CHECK(load().log_level == log::Level::warn);
        ScopedEnv debug("DEBUG", "true");
        CHECK(load().log_level == log::Level::warn);  // LOG_LEVEL names the level
    }
    {
        ScopedEnv debug("DEBUG", "true");
        CHECK(load().log_level == log::Level::debug);
        ScopedEnv ours("AGENTHOST_LOG_LEVEL", "error");
        CHECK(load().log_level == log::Level::error);
    }
    {
        ScopedEnv debug("DEBUG", "false");
        CHECK(load().log_level == log::Level::info);
    }
    {
        ScopedEnv debug("DEBUG", "maybe");
        CHECK_THROWS_WITH(load(), Contains("DEBUG must be true or false"));
    }
    {
        ScopedEnv level("LOG_LEVEL", "LOUD");
        CHECK_THROWS_WITH(load(), Contains("LOG_LEVEL"));
    }
}

TEST_CASE("seed 000's FRONTEND_URL is the CORS origin unless CORS_ORIGINS names them") {
    {
        ScopedEnv frontend("FRONTEND_URL", "http://localhost:3000/");
        CHECK(load().cors.origins == std::vector<std::string>{"http://localhost:3000"});
        ScopedEnv origins("CORS_ORIGINS", "https://app.example.com");
        CHECK(load().cors.origins == std::vector<std::string>{"https://app.example.com"});
    }
    CHECK(load().cors.origins.empty());
}

TEST_CASE("the seeds' variables for services agenthost does not run are named with what it does instead") {
    std::map<std::string, std::string> environment = {
        {"PINECONE_API_KEY", "pk"}, {"E2B_API_KEY", "e2b"}, {"SUPABASE_URL", ""}, {"HOME", "/root"}};
    auto unused = unused_seed_variables([&](const char* name) -> std::optional<std::string> {
        auto found = environment.find(name);
        return found == environment.end() ? std::nullopt : std::optional<std::string>(found->second);
    });
    REQUIRE(unused.size() == 2);  // an empty value is not a setting
    CHECK(unused[0].name == "PINECONE_API_KEY");
    CHECK_THAT(unused[0].why, Contains("full-text index"));
    CHECK(unused[1].name == "E2B_API_KEY");

    // At start the host says so in its log.
    ScopedEnv pinecone("PINECONE_API_KEY", "pk-test");
    agenthost::testing::HostProcess host(agenthost::testing::host_config("{}"));
    CHECK_THAT(host.log(), Contains("PINECONE_API_KEY is set but not used"));
}

TEST_CASE("an API key alone chooses its provider when none is named") {
    {
        ScopedEnv key("ANTHROPIC_API_KEY", "sk-ant-test");
        CHECK(load().llm.provider == "anthropic");
    }
    {
        ScopedEnv key("OPENAI_API_KEY", "sk-test");
        CHECK(load().llm.provider == "openai");
        ScopedEnv both("ANTHROPIC_API_KEY", "sk-ant-test");
        CHECK(load().llm.provider == "anthropic");  // seed 001's default
        ScopedEnv named("AGENTHOST_LLM_PROVIDER", "openai");
        CHECK(load().llm.provider == "openai");
    }
    CHECK(load().llm.provider == "offline");  // no key: offline
    {
        // A provider named in the config file stands, key or not.
        std::string dir = testing::make_temp_dir();
        std::string path = dir + "/agenthost.json";
        std::ofstream(path) << R"({"llm": {"provider": "offline"}})";
        ScopedEnv key("ANTHROPIC_API_KEY", "sk-ant-test");
        CHECK(load({"--config", path.c_str()}).llm.provider == "offline");
        std::filesystem::remove_all(dir);
    }
}

TEST_CASE(".env lines parse as python-dotenv reads them, and bad lines name their place") {
    auto parsed = parse_dotenv("# seed 004\n"
                               "\n"
                               "DATABASE_URL=postgresql://user:password@localhost:5432/dbname\n"
                               "export LOG_LEVEL=INFO\n"
                               "WEBHOOK_TIMEOUT=30 # seconds\n"
                               "QUOTED=\"a # not a comment\\nnext\"\n"
                               "SINGLE='raw \\n kept'\n"
                               "EMPTY=\n",
                               ".env");
    REQUIRE(parsed.size() == 6);
    CHECK(parsed[0] == std::make_pair(std::string("DATABASE_URL"), std::string("postgresql://user:password@localhost:5432/dbname")));
    CHECK(parsed[1] == std::make_pair(std::string("LOG_LEVEL"), std::string("INFO")));
    CHECK(parsed[2].second == "30");
    CHECK(parsed[3].second == "a # not a comment\nnext");
    CHECK(parsed[4].second == "raw \\n kept");
    CHECK(parsed[5].second.empty());
    CHECK_THROWS_WITH(parse_dotenv("OK=1\njust words\n", ".env"), Contains(".env:2") && Contains("NAME=value"));
    CHECK_THROWS_WITH(parse_dotenv("1BAD=x\n", ".env"), Contains("not a variable name"));
    CHECK_THROWS_WITH(parse_dotenv("A=\"open\n", ".env"), Contains("unterminated"));
}

TEST_CASE("load_dotenv sets only what the environment lacks") {
    std::string dir = testing::make_temp_dir();
    std::string path = dir + "/.env";
    std::ofstream(path) << "AGENTHOST_DOTENV_A=from-file\nAGENTHOST_DOTENV_B=from-file\n";
    ScopedEnv present("AGENTHOST_DOTENV_B", "from-environment");
    auto set = load_dotenv(path);
    CHECK(set == std::vector<std::string>{"AGENTHOST_DOTENV_A"});
    CHECK(std::string(std::getenv("AGENTHOST_DOTENV_A")) == "from-file");
    CHECK(std::string(std::getenv("AGENTHOST_DOTENV_B")) == "from-environment");
    unsetenv("AGENTHOST_DOTENV_A");
    CHECK(load_dotenv(dir + "/missing.env").empty());
    std::filesystem::remove_all(dir);
}

TEST_CASE("a SQLAlchemy driver suffix in a PostgreSQL URL is dropped") {
    auto settings = store::resolve_database("postgresql+psycopg2://user:pw@db:5432/app", "");
    CHECK(settings.dialect == store::Dialect::postgresql);
    CHECK_THAT(settings.connect_string, Contains("host=") && Contains("dbname="));
    CHECK(settings.display.find("psycopg2") == std::string::npos);
}

TEST_CASE("${NAME} in an agent's config is filled from the environment, so a token stays out of the file") {
    ScopedEnv token("GITHUB_TOKEN", "ghp_from_env");
    unsetenv("AGENTHOST_TEST_UNSET_VARIABLE");
    std::string dir = testing::make_temp_dir();
    std::string path = dir + "/agenthost.json";
    std::ofstream(path) << R"({"agents": {"sre_agent": {"enabled": true, "config": {
        "github": {"token": "${GITHUB_TOKEN}", "api_base_url": "https://ghe.example/api/v3"},
        "list": ["Bearer ${GITHUB_TOKEN}!", "${AGENTHOST_TEST_UNSET_VARIABLE}", "$GITHUB_TOKEN", "${not a name}", "${", "${1X}"]}}}})";
    std::string config_arg = "--config=" + path;
    HostConfig config = load({config_arg.c_str()});
    const rapidjson::Document& agent = *config.agents.at("sre_agent").config;
    CHECK(std::string(agent["github"]["token"].GetString()) == "ghp_from_env");
    CHECK(std::string(agent["github"]["api_base_url"].GetString()) == "https://ghe.example/api/v3");
    const auto& list = agent["list"];
    CHECK(std::string(list[0].GetString()) == "Bearer ghp_from_env!");
    CHECK(std::string(list[1].GetString()).empty());  // unset: empty, and the agent says what is missing
    CHECK(std::string(list[2].GetString()) == "$GITHUB_TOKEN");
    CHECK(std::string(list[3].GetString()) == "${not a name}");
    CHECK(std::string(list[4].GetString()) == "${");
    CHECK(std::string(list[5].GetString()) == "${1X}");
}
