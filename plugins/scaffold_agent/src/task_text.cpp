// Reading a scaffolding request written as a sentence. People write "a
// FastAPI project called inventory", "scaffold a Go service named
// billing-api", "new express app 'shop' without docker": the name follows
// called/named/name it, sits in quotes, or stands before project/service/
// app/api. Words that describe the project (articles, stack names, "new",
// "rest") are never taken for its name.
#include <devkit/text.hpp>

#include <regex>
#include <set>

#include "project_spec.hpp"

namespace scaffold {
namespace {

const std::set<std::string>& not_names() {
    static const std::set<std::string> words = {
        "a", "an", "the", "new", "my", "our", "your", "this", "that", "called", "named", "name", "simple", "basic",
        "small", "minimal", "sample", "example", "fastapi", "python", "python3", "go", "golang", "express", "node",
        "nodejs", "typescript", "ts", "javascript", "js", "rest", "restful", "http", "web", "project", "service",
        "api", "app", "application", "microservice", "server", "backend", "with", "and", "for", "in", "using",
        "postgres", "postgresql", "sqlite", "docker", "dockerized", "containerized", "ci", "github", "harness", "it",
        "create", "scaffold", "generate", "make", "build", "set", "setup", "up", "initialize", "init", "bootstrap",
        "start", "please", "me", "us", "some", "of", "to", "on", "crud", "json", "tests", "test", "template",
        "boilerplate", "skeleton", "starter", "repo", "repository", "codebase", "database", "db", "is", "be"};
    return words;
}

bool usable_name(const std::string& word) {
    if (word.empty()) return false;
    const std::string folded = devkit::lower(word);
    return not_names().count(folded) == 0 && !project_slug(word).empty();
}

bool has(const std::string& text, const char* pattern) { return std::regex_search(text, std::regex(pattern)); }

}  // namespace

TextHints read_task_text(std::string_view task) {
    TextHints hints;
    const std::string original(task.substr(0, 4000));  // a name sits near the start; bound the regex work
    const std::string text = devkit::lower(original);

    if (has(text, R"(\bfast\s?api\b|\bpython\b|\bpytest\b|\buvicorn\b|\bpydantic\b)")) hints.stack = "python-fastapi";
    else if (has(text, R"(\bexpress(js)?\b|\bnode(\.?js)?\b|\btypescript\b|\bts\b|\bjavascript\b|\bnpm\b)"))
        hints.stack = "node-express";
    else if (has(text, R"(\bgolang\b|\bgo\s+(http|service|api|app|project|server|microservice|module|program|backend)\b|\b(in|with|using)\s+go\b|\bgo-http\b|\bnet/http\b)"))
        hints.stack = "go-http";

    // Name: quoted, after called/named, or before project/service/app/api.
    std::smatch m;
    const std::regex quoted(R"((?:called|named|name it|name|project|service|app)\s+["'`]([^"'`\n]{1,63})["'`])",
                            std::regex::icase);
    const std::regex called(R"(\b(?:called|named|name it|name(?:d)? as)\s+([A-Za-z][A-Za-z0-9_.-]{0,62}))",
                            std::regex::icase);
    const std::regex before(
        R"(\b([A-Za-z][A-Za-z0-9_-]{0,62})\s+(?:project|service|app|application|api|microservice|server|backend|repo)\b)",
        std::regex::icase);
    if (std::regex_search(original, m, quoted) && usable_name(m[1].str())) {
        hints.name = m[1].str();
    } else if (std::regex_search(original, m, called) && usable_name(m[1].str())) {
        hints.name = m[1].str();
    } else {
        for (auto it = std::sregex_iterator(original.begin(), original.end(), before); it != std::sregex_iterator();
             ++it) {
            if (usable_name((*it)[1].str())) {
                hints.name = (*it)[1].str();
                break;
            }
        }
    }
    // Last resort: what it is for ("an Express API for a bookstore").
    if (hints.name.empty()) {
        const std::regex purpose(R"(\bfor\s+(?:a|an|the|our|my)\s+([A-Za-z][A-Za-z0-9_-]{1,40}))", std::regex::icase);
        if (std::regex_search(original, m, purpose) && usable_name(m[1].str())) hints.name = m[1].str();
    }
    // The example resource: "a products resource", "resource called orders",
    // "manage/managing/for products", "CRUD for books".
    const std::regex resource(
        R"(\b(?:resources?\s+(?:called|named)?\s*|crud\s+(?:for|on)\s+|manag(?:e|es|ing)\s+(?:the\s+)?)([a-z][a-z0-9_]{1,40})|\b([a-z][a-z0-9_]{1,40})\s+resource\b)");
    if (std::regex_search(text, m, resource)) {
        const std::string word = m[1].matched ? m[1].str() : m[2].str();
        if (not_names().count(word) == 0 || word == "tests") hints.resource = word;
    }

    if (has(text, R"(\b(no|without( an?)?|skip( the)?)\s+(database|db|persistence)\b|\bin[- ]memory\b)"))
        hints.database = "none";
    else if (has(text, R"(\bpostgres(ql)?\b|\bpg\b|\bpsql\b)")) hints.database = "postgres";
    else if (has(text, R"(\bsqlite3?\b)")) hints.database = "sqlite";
    else if (has(text, R"(\bmysql\b|\bmariadb\b|\bmongo(db)?\b|\bredis\b|\boracle\b|\bsql server\b|\bmssql\b)"))
        hints.database = std::regex_search(text, m, std::regex(R"(\b(mysql|mariadb|mongodb|mongo|redis|oracle|mssql|sql server)\b)"))
                             ? m[1].str()
                             : "unsupported";

    if (has(text, R"(\b(no|without( a)?|skip( the)?)\s+(docker|dockerfile|container)\b)")) hints.docker = 0;
    else if (has(text, R"(\bdocker(file|ized)?\b|\bcontaineri[sz]ed?\b|\bcontainer image\b)")) hints.docker = 1;

    if (has(text, R"(\b(no|without( a)?|skip( the)?)\s+(ci|pipeline|workflow)\b)")) hints.ci = "none";
    else if (has(text, R"(\bharness\b)")) hints.ci = "harness";
    else if (has(text, R"(\bgithub\b|\bgh actions\b|\bactions workflow\b|\bci\b|\bcontinuous integration\b)"))
        hints.ci = "github";

    if (has(text, R"(\b(no|without|skip( the)?)\s+(unit\s+)?tests?\b)")) hints.tests = 0;
    else if (has(text, R"(\btests?\b|\bpytest\b|\btesting\b)")) hints.tests = 1;
    return hints;
}

}  // namespace scaffold
