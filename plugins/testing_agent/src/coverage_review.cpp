#include "coverage_review.hpp"

#include <devkit/text.hpp>

#include <regex>
#include <set>

namespace testgen {
namespace {

// One test: a Python def test_*, a JS/TS test()/it() block, or a whole file
// without either. The text runs to the next test's start.
std::vector<std::string> split_tests(const std::string& content) {
    static const std::regex start(R"((^|\n)[ \t]*(async\s+def\s+test|def\s+test|(?:test|it)\s*\(\s*["'`]))");
    std::vector<std::size_t> starts;
    for (auto it = std::sregex_iterator(content.begin(), content.end(), start); it != std::sregex_iterator(); ++it)
        starts.push_back(static_cast<std::size_t>(it->position(0)));
    if (starts.empty()) return {content};
    std::vector<std::string> out;
    for (std::size_t i = 0; i < starts.size(); ++i)
        out.push_back(content.substr(starts[i], (i + 1 < starts.size() ? starts[i + 1] : content.size()) - starts[i]));
    return out;
}

std::string escape_regex(const std::string& text) {
    static const std::regex special(R"([.^$|()\[\]{}*+?\\])");
    return std::regex_replace(text, special, R"(\$&)");
}

// A regex for URLs of the path template as tests write them: a literal id,
// a {placeholder} (f-strings, the template itself), %s/%d, or a string
// concatenation (" + id + ").
std::regex path_regex(const std::string& path) {
    static const std::regex parameter(R"(\{[^}]*\})");
    std::string pattern;
    std::size_t last = 0;
    for (auto it = std::sregex_iterator(path.begin(), path.end(), parameter); it != std::sregex_iterator(); ++it) {
        pattern += escape_regex(path.substr(last, static_cast<std::size_t>(it->position(0)) - last));
        pattern += R"((?:\{[^}"'\n]*\}|\$\{[^}\n]*\}|%[sdr]|["'`]\s*\+\s*[^+\n]{1,80}\+\s*["'`]|["'`]\s*\+\s*(?:str\()?[A-Za-z_][\w.\[\]"']*\)?|[^/"'`\s?#{}]+))";
        last = static_cast<std::size_t>(it->position(0) + it->length(0));
    }
    pattern += escape_regex(path.substr(last));
    // The template must end there: a quote, query, fragment, or end of the literal.
    return std::regex(pattern + R"((?=["'`?#\s),]|$))");
}

bool mentions_method(const std::string& test, const std::string& method) {
    const std::string m = devkit::lower(method);
    const std::regex call("(\\." + m + "\\s*\\(|[\"']" + method + "[\"']|method\\s*[=:]\\s*[\"']" + method +
                              "[\"']|\\b" + m + "\\b)",
                          std::regex::icase);
    return std::regex_search(test, call);
}

// Status codes the test compares against (3-digit numbers after ==, in,
// status, expected, assertEqual, toBe...).
std::set<std::string> statuses_in(const std::string& test) {
    std::set<std::string> out;
    static const std::regex number(R"(\b([1-5][0-9][0-9])\b)");
    for (auto it = std::sregex_iterator(test.begin(), test.end(), number); it != std::sregex_iterator(); ++it)
        out.insert((*it)[1].str());
    if (test.find("raise_for_status") != std::string::npos || test.find(".ok") != std::string::npos) out.insert("2XX");
    return out;
}

bool status_covered(const std::string& declared, const std::set<std::string>& seen) {
    if (seen.count(declared)) return true;
    // A success check (raise_for_status, .ok) covers a declared 2xx.
    if (!declared.empty() && declared[0] == '2' && seen.count("2XX")) return true;
    if (declared.size() == 3 && (declared[1] == 'X' || declared[1] == 'x')) {
        for (const auto& s : seen)
            if (!s.empty() && s[0] == declared[0]) return true;
    }
    return false;
}

}  // namespace

CoverageReport review_coverage(const OpenApiInput& input, const std::vector<TestFile>& tests) {
    std::vector<std::string> chunks;
    for (const auto& f : tests)
        for (auto& chunk : split_tests(f.content)) chunks.push_back(std::move(chunk));
    CoverageReport report;
    report.tests_found = chunks.size();
    for (const auto& op : input.operations) {
        const auto& o = op.operation;
        ++report.operations;
        const std::regex url = path_regex(o.path);
        const std::regex id("\\b" + escape_regex(o.operation_id) + "\\b");
        std::set<std::string> seen;
        bool covered = false;
        for (const auto& chunk : chunks) {
            const bool named = !o.operation_id.empty() && std::regex_search(chunk, id);
            if (!named && !(std::regex_search(chunk, url) && mentions_method(chunk, o.method))) continue;
            covered = true;
            for (const auto& s : statuses_in(chunk)) seen.insert(s);
        }
        if (covered) ++report.operations_covered;
        else report.uncovered_operations.push_back({o.operation_id, o.method, o.path, ""});
        for (const auto& r : op.responses) {
            if (r.status == "default") continue;  // "anything else": no one status to cover
            ++report.responses;
            if (covered && status_covered(r.status, seen)) ++report.responses_covered;
            else report.uncovered_responses.push_back({o.operation_id, o.method, o.path, r.status});
        }
    }
    return report;
}

}  // namespace testgen
