// Which mode a request wants and what each mode returns.
#include <devkit/artifacts.hpp>
#include <devkit/context_fields.hpp>

#include <algorithm>
#include <string>

#include "database_agent.hpp"

namespace dbagent {
namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::vector<MigrationFile> read_migrations(const rapidjson::Value& value) {
    std::vector<MigrationFile> files;
    auto content_of = [](const rapidjson::Value& v, const std::string& path) {
        if (!v.IsString()) throw InputError(path + " must be SQL text");
        return std::string(v.GetString(), v.GetStringLength());
    };
    if (value.IsString()) {
        files.push_back({"migration.sql", content_of(value, "context.migrations")});
    } else if (value.IsArray()) {
        for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
            const std::string path = "context.migrations[" + std::to_string(i) + "]";
            const auto& item = value[i];
            if (item.IsString()) {
                files.push_back({"migration_" + std::to_string(i + 1) + ".sql", content_of(item, path)});
                continue;
            }
            if (!item.IsObject()) throw InputError(path + " must be {path, content} or SQL text");
            const auto file = devkit::string_field(item, "path", path + ".path");
            const rapidjson::Value* content = devkit::field(item, "content");
            if (content == nullptr) throw InputError(path + ".content is required");
            files.push_back({file.value_or("migration_" + std::to_string(i + 1) + ".sql"),
                             content_of(*content, path + ".content")});
        }
    } else if (value.IsObject()) {
        for (const auto& member : value.GetObject())
            files.push_back({std::string(member.name.GetString(), member.name.GetStringLength()),
                             content_of(member.value, "context.migrations." + std::string(member.name.GetString()))});
    } else {
        throw InputError("context.migrations must be SQL text, a list of {path, content} or an object of path: SQL");
    }
    if (files.empty()) throw InputError("context.migrations is empty: give the migrations to review");
    bool any = false;
    for (const auto& f : files) any = any || !split_statements(f.content).empty();
    if (!any) throw InputError("context.migrations holds no SQL statement");
    return files;
}

std::string plural_of(std::size_t n, const std::string& one, const std::string& many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

Outcome generate(const rapidjson::Value& context, std::string_view task, Dialect dialect, int first) {
    Outcome out;
    out.mode = "generate";
    const DesignSpec spec = read_design(context, task, dialect);
    const Schema schema = design_schema(spec);
    const MigrationSet set = create_migrations(schema, dialect);
    out.artifacts = migration_files(set.migrations, first);
    for (const auto& t : schema.tables) out.tables.push_back(t.name);
    out.warnings = set.warnings;
    out.assumptions = spec.assumptions;
    std::size_t keys = 0;
    for (const auto& t : schema.tables) keys += t.foreign_keys.size();
    std::string names;
    for (const auto& t : out.tables) names += (names.empty() ? "" : ", ") + t;
    out.summary = dialect_name(dialect) + " schema: " + plural_of(out.tables.size(), "table", "tables") + " (" + names +
                  ") with " + plural_of(keys, "foreign key", "foreign keys") + ", each indexed, in " +
                  plural_of(set.migrations.size(), "migration", "migrations") + " (up and down)";
    if (!spec.assumptions.empty()) {
        out.summary += ". Assumed: ";
        for (std::size_t i = 0; i < spec.assumptions.size(); ++i)
            out.summary += (i ? "; " : "") + spec.assumptions[i];
    }
    return out;
}

Outcome evolve(const rapidjson::Value& context, std::string_view task, Dialect dialect, int first) {
    Outcome out;
    out.mode = "evolve";
    Schema current;
    if (auto ddl = devkit::string_field(context, "current_schema", "context.current_schema"))
        current = parse_schema(*ddl, "context.current_schema");
    Schema target;
    std::vector<std::string> applied;
    if (auto ddl = devkit::string_field(context, "target_schema", "context.target_schema")) {
        target = parse_schema(*ddl, "context.target_schema");
    } else if (devkit::field(context, "entities") != nullptr) {
        target = design_schema(read_design(context, task, dialect));
    } else {
        target = current;
        if (!apply_text_changes(task, dialect, current, target, applied))
            throw InputError("context.target_schema (DDL) or context.entities is needed to evolve a schema, or a task "
                             "naming the change (\"add a column phone to users\")");
    }
    const MigrationSet set = diff_migrations(current, target, dialect);
    out.artifacts = migration_files(set.migrations, first);
    out.warnings = set.warnings;
    out.assumptions = applied;
    for (const auto& m : set.migrations) out.tables.push_back(m.name);
    out.summary = set.migrations.empty()
                      ? "the schemas already match: no migration needed"
                      : dialect_name(dialect) + ": " + plural_of(set.migrations.size(), "migration", "migrations") +
                            " turn the current schema into the target";
    if (!set.warnings.empty()) out.summary += " (" + plural_of(set.warnings.size(), "warning", "warnings") + ")";
    return out;
}

Outcome review(const rapidjson::Value& context, Dialect dialect) {
    Outcome out;
    out.mode = "review";
    const rapidjson::Value* migrations = devkit::field(context, "migrations");
    if (migrations == nullptr)
        throw InputError("review mode needs context.migrations: SQL text, or a list of {path, content}");
    const std::vector<MigrationFile> files = read_migrations(*migrations);
    out.files_reviewed = files.size();
    out.findings = review_migrations(files, dialect);
    std::size_t errors = 0;
    for (const auto& f : out.findings) errors += f.severity == "error";
    out.summary = out.findings.empty()
                      ? "reviewed " + plural_of(files.size(), "file", "files") + " for " + dialect_name(dialect) +
                            ": no problems found"
                      : "reviewed " + plural_of(files.size(), "file", "files") + " for " + dialect_name(dialect) +
                            ": " + plural_of(out.findings.size(), "finding", "findings") + " (" +
                            std::to_string(errors) + " to fix before running in production)";
    return out;
}

}  // namespace

Outcome handle(const rapidjson::Value& context, std::string_view task) {
    if (!context.IsObject()) throw InputError("context must be an object");
    const Dialect dialect = read_dialect(context, task);
    const int first = devkit::int_field(context, "first_number", "context.first_number", 1, 9999).value_or(1);
    std::string mode;
    if (auto given = devkit::string_field(context, "mode", "context.mode")) {
        mode = *given;
    } else if (devkit::field(context, "migrations") != nullptr) {
        mode = "review";
    } else if (devkit::field(context, "current_schema") != nullptr || devkit::field(context, "target_schema") != nullptr) {
        mode = "evolve";
    } else {
        const std::string text = lower(task);
        const bool change = text.find("column") != std::string::npos || text.find("index on") != std::string::npos;
        mode = change && devkit::field(context, "entities") == nullptr ? "evolve" : "generate";
    }
    Outcome out;
    if (mode == "generate") out = generate(context, task, dialect, first);
    else if (mode == "evolve") out = evolve(context, task, dialect, first);
    else if (mode == "review") out = review(context, dialect);
    else throw InputError("context.mode must be generate, evolve or review, not '" + mode + "'");
    out.dialect = dialect;
    return out;
}

rapidjson::Document result_json(const Outcome& outcome) {
    rapidjson::Document result(rapidjson::kObjectType);
    auto& a = result.GetAllocator();
    auto text = [&result](const std::string& value) {
        return rapidjson::Value(value.c_str(), static_cast<rapidjson::SizeType>(value.size()), result.GetAllocator());
    };
    auto list = [&](const std::vector<std::string>& values) {
        rapidjson::Value out(rapidjson::kArrayType);
        for (const auto& v : values) out.PushBack(text(v), a);
        return out;
    };
    result.AddMember("mode", text(outcome.mode), a);
    result.AddMember("dialect", text(dialect_name(outcome.dialect)), a);
    result.AddMember("summary", text(outcome.summary), a);
    if (outcome.mode == "review") {
        rapidjson::Value findings(rapidjson::kArrayType);
        for (const auto& f : outcome.findings) {
            rapidjson::Value entry(rapidjson::kObjectType);
            entry.AddMember("rule", text(f.rule), a);
            entry.AddMember("severity", text(f.severity), a);
            entry.AddMember("file", text(f.file), a);
            entry.AddMember("statement", text(f.statement), a);
            entry.AddMember("message", text(f.message), a);
            entry.AddMember("why", text(f.why), a);
            entry.AddMember("safe_alternative", text(f.safe_alternative), a);
            findings.PushBack(entry, a);
        }
        result.AddMember("findings", findings, a);
        result.AddMember("files_reviewed", static_cast<uint64_t>(outcome.files_reviewed), a);
        return result;
    }
    result.AddMember("artifacts", devkit::artifacts_json(outcome.artifacts, result), a);
    result.AddMember(rapidjson::StringRef(outcome.mode == "generate" ? "tables" : "migrations"), list(outcome.tables), a);
    result.AddMember("warnings", list(outcome.warnings), a);
    result.AddMember("assumptions", list(outcome.assumptions), a);
    return result;
}

}  // namespace dbagent
