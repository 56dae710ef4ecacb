#include "python_module.hpp"

#include <devkit/text.hpp>

#include <algorithm>
#include <regex>
#include <set>
#include <sstream>

namespace testgen {
namespace {

std::string trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return "";
    const auto last = text.find_last_not_of(" \t\r\n");
    return std::string(text.substr(first, last - first + 1));
}

// Splits at top-level commas (outside brackets and string literals).
std::vector<std::string> split_top_level(std::string_view text, char separator) {
    std::vector<std::string> parts;
    int depth = 0;
    char quote = 0;
    std::string current;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quote != 0) {
            current += c;
            if (c == '\\' && i + 1 < text.size()) current += text[++i];
            else if (c == quote) quote = 0;
            continue;
        }
        if (c == '"' || c == '\'') quote = c;
        else if (c == '(' || c == '[' || c == '{') ++depth;
        else if (c == ')' || c == ']' || c == '}') --depth;
        else if (c == separator && depth == 0) {
            parts.push_back(current);
            current.clear();
            continue;
        }
        current += c;
    }
    if (!trim(current).empty()) parts.push_back(current);
    return parts;
}

// Position just past the bracket closing the one at `open`, or npos.
std::size_t close_of(std::string_view text, std::size_t open) {
    int depth = 0;
    char quote = 0;
    for (std::size_t i = open; i < text.size(); ++i) {
        const char c = text[i];
        if (quote != 0) {
            if (c == '\\') ++i;
            else if (c == quote) quote = 0;
            continue;
        }
        if (c == '"' || c == '\'') quote = c;
        else if (c == '(' || c == '[' || c == '{') ++depth;
        else if ((c == ')' || c == ']' || c == '}') && --depth == 0) return i + 1;
    }
    return std::string_view::npos;
}

std::vector<std::string> exported_names(std::string_view source) {
    static const std::regex all(R"(^__all__\s*(?::[^=]+)?=\s*[\[(]([^\])]*)[\])])", std::regex::multiline);
    std::vector<std::string> names;
    const std::string text(source);
    std::smatch m;
    if (!std::regex_search(text, m, all)) return names;
    static const std::regex name(R"(["']([A-Za-z_][A-Za-z0-9_]*)["'])");
    const std::string list = m[1].str();
    for (auto it = std::sregex_iterator(list.begin(), list.end(), name); it != std::sregex_iterator(); ++it)
        names.push_back((*it)[1].str());
    return names;
}

std::string docstring_after(std::string_view source, std::size_t pos) {
    std::size_t i = source.find_first_not_of(" \t\r\n", pos);
    if (i == std::string_view::npos) return "";
    if (i < source.size() && (source[i] == 'r' || source[i] == 'R')) ++i;
    for (const char* quotes : {"\"\"\"", "'''"}) {
        if (source.compare(i, 3, quotes) != 0) continue;
        const std::size_t end = source.find(quotes, i + 3);
        if (end == std::string_view::npos) return "";
        return std::string(source.substr(i + 3, end - i - 3));
    }
    return "";
}

}  // namespace

std::vector<PyFunction> public_functions(std::string_view source) {
    std::vector<PyFunction> out;
    const std::vector<std::string> exported = exported_names(source);
    std::size_t pos = 0;
    int line = 1;
    bool in_string = false;
    std::string string_quotes;
    while (pos < source.size()) {
        std::size_t end = source.find('\n', pos);
        if (end == std::string_view::npos) end = source.size();
        const std::string_view text = source.substr(pos, end - pos);
        // Skip the insides of triple-quoted strings, where "def" is prose.
        for (const char* quotes : {"\"\"\"", "'''"}) {
            std::size_t at = 0;
            while ((at = text.find(quotes, at)) != std::string_view::npos) {
                if (!in_string) in_string = true, string_quotes = quotes;
                else if (string_quotes == quotes) in_string = false;
                at += 3;
            }
        }
        const bool is_async = text.rfind("async def ", 0) == 0;
        const bool was_in_string = in_string && text.find(string_quotes) == std::string_view::npos;
        if (!was_in_string && (text.rfind("def ", 0) == 0 || is_async)) {
            const std::size_t def = pos + (is_async ? 10 : 4);
            const std::size_t open = source.find('(', def);
            const std::size_t close = open == std::string_view::npos ? open : close_of(source, open);
            if (close != std::string_view::npos) {
                PyFunction f;
                f.name = trim(source.substr(def, open - def));
                f.is_async = is_async;
                f.line = line;
                const std::size_t colon = source.find(':', close);
                const std::string after = colon == std::string_view::npos ? "" : trim(source.substr(close, colon - close));
                if (after.rfind("->", 0) == 0) f.returns = trim(after.substr(2));
                bool keyword_only = false;
                for (const auto& raw : split_top_level(source.substr(open + 1, close - open - 2), ',')) {
                    const std::string p = trim(raw);
                    if (p.empty() || p == "/") continue;
                    if (p == "*") {
                        keyword_only = true;
                        continue;
                    }
                    if (p.rfind("**", 0) == 0) continue;
                    if (p[0] == '*') {
                        f.has_varargs = true;
                        keyword_only = true;
                        continue;
                    }
                    PyParam param;
                    const auto halves = split_top_level(p, '=');
                    std::string left = trim(halves.empty() ? p : halves[0]);
                    if (halves.size() > 1) param.default_value = trim(p.substr(p.find('=', left.size()) + 1));
                    const auto colon_at = left.find(':');
                    param.name = trim(left.substr(0, colon_at));
                    if (colon_at != std::string::npos) param.annotation = trim(left.substr(colon_at + 1));
                    if (keyword_only && param.default_value.empty()) param.name = "=" + param.name;  // by keyword
                    f.params.push_back(param);
                }
                if (colon != std::string_view::npos) f.docstring = docstring_after(source, colon + 1);
                const bool wanted = exported.empty() ? !f.name.empty() && f.name[0] != '_'
                                                     : std::find(exported.begin(), exported.end(), f.name) != exported.end();
                static const std::regex identifier(R"([A-Za-z_][A-Za-z0-9_]*)");
                if (wanted && std::regex_match(f.name, identifier)) out.push_back(std::move(f));
            }
        }
        line += 1;
        pos = end + 1;
    }
    return out;
}

namespace {

// Edge values for a parameter, as Python expressions, from its annotation
// (or its default's type); `typical` is a plain value of that type.
struct Values {
    std::vector<std::string> edges;
    std::string typical;
    std::string type_check;  // isinstance() target of the base type, "" when unknown
};

Values values_for(const PyParam& p) {
    std::string a = p.annotation;
    a.erase(std::remove(a.begin(), a.end(), ' '), a.end());
    bool optional = false;
    static const std::regex optional_of(R"(^(?:typing\.)?Optional\[(.*)\]$)");
    std::smatch m;
    if (std::regex_match(a, m, optional_of)) a = m[1].str(), optional = true;
    if (devkit::ends_with(a, "|None")) a = a.substr(0, a.size() - 5), optional = true;
    if (a.rfind("None|", 0) == 0) a = a.substr(5), optional = true;
    if (a.empty() && !p.default_value.empty()) {
        const std::string& d = p.default_value;
        if (d == "None") optional = true;
        else if (d == "True" || d == "False") a = "bool";
        else if (std::regex_match(d, std::regex(R"(-?\d+)"))) a = "int";
        else if (std::regex_match(d, std::regex(R"(-?\d*\.\d+(e-?\d+)?)"))) a = "float";
        else if (d[0] == '"' || d[0] == '\'') a = "str";
        else if (d[0] == '[') a = "list";
        else if (d[0] == '{') a = "dict";
    }
    const std::string base = a.substr(0, a.find('['));
    const std::string lower = devkit::lower(base);
    Values v;
    if (lower == "int") v = {{"0", "1", "-1", "100"}, "2", "int"};
    else if (lower == "float") v = {{"0.0", "-1.5", "1e308", "float(\"nan\")"}, "2.5", "(int, float)"};
    else if (lower == "str") v = {{"\"\"", "\" \"", "\"\\u00fcn\\u00efc\\u00f6d\\u00e9 \\u2713\"", "\"x\" * 1000"}, "\"abc\"", "str"};
    else if (lower == "bool") v = {{"True", "False"}, "True", "bool"};
    else if (lower == "bytes") v = {{"b\"\"", "b\"\\x00\\xff\""}, "b\"abc\"", "bytes"};
    else if (lower == "list" || lower == "sequence" || lower == "iterable" || lower == "tuple") {
        const std::string item = a.find("str") != std::string::npos ? "\"a\"" : a.find("float") != std::string::npos ? "1.5" : "1";
        const std::string open = lower == "tuple" ? "(" : "[";
        const std::string close = lower == "tuple" ? (item.empty() ? ")" : ",)") : "]";
        v = {{lower == "tuple" ? "()" : "[]", open + item + close, lower == "tuple" ? "(" + item + ", " + item + ")" : "[" + item + ", " + item + "]"},
             lower == "tuple" ? "(" + item + ", " + item + ", " + item + ")" : "[" + item + ", " + item + ", " + item + "]",
             lower == "list" ? "list" : lower == "tuple" ? "tuple" : ""};
    } else if (lower == "dict" || lower == "mapping") v = {{"{}", "{\"key\": 1}"}, "{\"a\": 1, \"b\": 2}", lower == "dict" ? "dict" : ""};
    else v = {{"0", "\"\"", "None"}, p.default_value.empty() ? "1" : p.default_value, ""};
    if (optional) v.edges.push_back("None");
    if (!p.default_value.empty() && p.default_value != "None") v.typical = p.default_value;
    return v;
}

std::string return_check(const std::string& returns) {
    std::string r = returns;
    r.erase(std::remove(r.begin(), r.end(), ' '), r.end());
    const std::string base = devkit::lower(r.substr(0, r.find('[')));
    if (base == "int") return "int";
    if (base == "float") return "(int, float)";
    if (base == "str") return "str";
    if (base == "bool") return "bool";
    if (base == "list") return "list";
    if (base == "dict") return "dict";
    if (base == "tuple") return "tuple";
    if (base == "bytes") return "bytes";
    return "";
}

std::string py_quote(const std::string& text) {
    std::string out = "\"";
    for (unsigned char c : text) {
        if (c == '\\') out += "\\\\";
        else if (c == '"') out += "\\\"";
        else if (c == '\n') out += "\\n";
        else if (c == '\r') out += "\\r";
        else if (c == '\t') out += "\\t";
        else if (c < 0x20) {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\x%02x", c);
            out += buffer;
        } else out += static_cast<char>(c);
    }
    return out + "\"";
}

// The docstring's `>>> expr` lines and the output lines after each.
std::vector<std::pair<std::string, std::string>> doc_examples(const std::string& docstring) {
    std::vector<std::pair<std::string, std::string>> out;
    std::istringstream in(docstring);
    std::string line;
    bool collecting = false;
    while (std::getline(in, line)) {
        const std::string t = trim(line);
        if (t.rfind(">>> ", 0) == 0 || t == ">>>") {
            out.emplace_back(t.size() > 4 ? t.substr(4) : "", "");
            collecting = true;
        } else if (t.rfind("... ", 0) == 0 && collecting && out.back().second.empty()) {
            out.back().first += "\n" + t.substr(4);
        } else if (t.empty()) {
            collecting = false;
        } else if (collecting) {
            out.back().second += (out.back().second.empty() ? "" : "\n") + t;
        }
    }
    return out;
}

constexpr const char* helpers = R"~(

def run_example(namespace, source, expected):
    """One docstring example, as doctest runs it: an expression's repr must
    equal the expected output; a traceback expects that exception."""
    try:
        code = compile(source, "<docstring>", "eval")
    except SyntaxError:
        code = None
    if expected.startswith("Traceback (most recent call last):"):
        error = expected.strip().splitlines()[-1].split(":")[0].split(".")[-1]
        with pytest.raises(Exception) as raised:
            eval(code, namespace) if code else exec(compile(source, "<docstring>", "exec"), namespace)
        assert type(raised.value).__name__ == error, source
        return
    if code is None:
        exec(compile(source, "<docstring>", "exec"), namespace)
        return
    result = eval(code, namespace)
    if expected:
        assert repr(result) == expected, "%s gave %r, the docstring says %s" % (source, result, expected)


def call_refusing_clearly(function, *args, **kwargs):
    """Calls `function`; ValueError and TypeError are clear refusals of an
    edge value, anything else is a crash the test reports."""
    try:
        return function(*args, **kwargs)
    except (ValueError, TypeError):
        return REFUSED
    except Exception as error:  # noqa: BLE001 - the point of the test
        raise AssertionError("%s(%s) raised %s: %s" % (
            function.__name__, ", ".join([repr(a)[:60] for a in args] + ["%s=%r" % kv for kv in kwargs.items()]),
            type(error).__name__, error)) from error


REFUSED = object()
)~";

}  // namespace

PythonTests python_tests(std::string_view source, const std::string& module, bool include_module) {
    PythonTests out;
    const auto functions = public_functions(source);
    std::string text = "\"\"\" Tests for " + module +
                       ".py's public functions, generated by agenthost's testing_agent: the examples\n"
                       "of their docstrings, the return types their annotations promise, and edge cases\n"
                       "that may be refused with ValueError or TypeError but must not crash otherwise.\n\"\"\"\n"
                       "import pytest\n\nimport " + module + "\nfrom " + module + " import *  # noqa: F401,F403 - docstring examples use bare names\n";
    text += helpers;
    std::set<std::string> used;
    for (const auto& f : functions) {
        if (f.is_async) {
            out.warnings.push_back(f.name + " (line " + std::to_string(f.line) + ") is async: not tested");
            continue;
        }
        ++out.functions;
        const std::string qualified = module + "." + f.name;
        // Typical arguments: positional, then keyword-only ones by name.
        std::vector<Values> values;
        for (const auto& p : f.params) values.push_back(values_for(p));
        auto arguments = [&](std::size_t replaced, const std::string& value) {
            std::string args;
            for (std::size_t i = 0; i < f.params.size(); ++i) {
                const auto& p = f.params[i];
                const std::string v = i == replaced ? value : values[i].typical;
                const bool by_keyword = p.name[0] == '=' || !p.default_value.empty();
                if (!p.default_value.empty() && i != replaced) continue;  // its default is typical
                args += (args.empty() ? "" : ", ") + (by_keyword ? p.name.substr(p.name[0] == '=') + "=" : "") + v;
            }
            return args;
        };
        const auto examples = doc_examples(f.docstring);
        if (!examples.empty()) {
            text += "\n\ndef test_" + f.name + "_docstring_examples():\n";
            text += "    namespace = dict(vars(" + module + "))\n";
            for (const auto& [expression, expected] : examples)
                text += "    run_example(namespace, " + py_quote(expression) + ", " + py_quote(expected) + ")\n";
            ++out.tests;
            out.doc_examples += examples.size();
        }
        const std::string check = return_check(f.returns);
        if (!check.empty()) {
            text += "\n\ndef test_" + f.name + "_returns_" + devkit::lower(f.returns.substr(0, f.returns.find('['))) + "():\n";
            text += "    result = call_refusing_clearly(" + qualified + (f.params.empty() ? "" : ", ") +
                    arguments(static_cast<std::size_t>(-1), "") + ")\n";
            text += "    assert result is REFUSED or isinstance(result, " + check + "), repr(result)\n";
            ++out.tests;
        }
        for (std::size_t i = 0; i < f.params.size(); ++i) {
            const std::string name = f.params[i].name.substr(f.params[i].name[0] == '=');
            std::string edges;
            for (const auto& e : values[i].edges) edges += (edges.empty() ? "" : ", ") + e;
            text += "\n\n@pytest.mark.parametrize(\"value\", [" + edges + "])\n";
            text += "def test_" + f.name + "_" + name + "_edge_cases(value):\n";
            text += "    call_refusing_clearly(" + qualified + ", " + arguments(i, "value") + ")\n";
            ++out.tests;
        }
        if (f.params.empty() && check.empty() && examples.empty()) {
            text += "\n\ndef test_" + f.name + "_runs():\n";
            text += "    call_refusing_clearly(" + qualified + ")\n";
            ++out.tests;
        }
    }
    if (functions.empty()) out.warnings.push_back("no public top-level function found in the module");
    out.files.push_back({"tests/test_" + module + ".py", text, "text/x-python"});
    out.files.push_back({"tests/conftest.py",
                         "import os\nimport sys\n\n# The module under test sits in the project root, next to tests/.\n"
                         "sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), \"..\"))\n",
                         "text/x-python"});
    if (include_module) out.files.push_back({module + ".py", std::string(source), "text/x-python"});
    return out;
}

}  // namespace testgen
