// Changes asked for in prose, for a migration without a target schema:
// "add a column phone to users", "add a nullable column note of type text
// to orders", "add an index on orders (status)", "drop column legacy from
// users". Tables the current schema does not hold are assumed to exist.
#include <cctype>
#include <regex>
#include <string>

#include "schema.hpp"

namespace dbagent {
namespace {

Table& ensure(Schema& schema, const std::string& name, Dialect dialect) {
    if (Table* found = schema.table(name)) return *found;
    Table table;
    table.name = name;
    Column id;
    id.name = "id";
    id.type = dialect == Dialect::postgresql ? "bigint" : "integer";
    id.not_null = true;
    table.columns.push_back(id);
    table.primary_key = {"id"};
    schema.tables.push_back(table);
    return schema.tables.back();
}

bool is_type_word(const std::string& word) {
    static const std::regex type(
        "(text|string|varchar|char|int|integer|bigint|smallint|numeric|decimal|money|float|double|real|bool|boolean|"
        "date|time|timestamp|timestamptz|datetime|uuid|json|jsonb|bytes|blob)(\\([0-9, ]+\\))?");
    return std::regex_match(word, type);
}

}  // namespace

bool apply_text_changes(std::string_view task, Dialect dialect, Schema& current, Schema& target,
                        std::vector<std::string>& applied) {
    // Prose requests are short: bound the regex work, and cut every word to
    // an identifier's 63 characters (std::regex recurses once per character
    // a repetition matches, so a huge word could exhaust a worker's stack).
    std::string text;
    std::size_t word = 0;
    for (char c : task.substr(0, 20000)) {
        const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        word = (std::isalnum(static_cast<unsigned char>(lower)) || lower == '_') ? word + 1 : 0;
        if (word <= 63) text += lower;
    }
    const std::string name = "([a-z_][a-z0-9_]*)";
    const std::string table_ref = "(?:the )?(?:table )?(?:\"?)" + name + "(?:\"?)";
    bool changed = false;

    // add [a] [nullable|required] column NAME [of type|as|type] [TYPE] to TABLE
    static const std::regex add_column(
        "add(?:ing|s)? (?:a |an |the )?(?:new )?(nullable |optional |required |not null )?column \"?" + name +
        "\"?(?: (?:of type |as |type |with type )?([a-z]+(?:\\([0-9, ]+\\))?))? (?:to|on|in|into) " + table_ref);
    static const std::regex add_named_column(
        "add(?:ing|s)? (?:a |an |the )?(?:new )?(nullable |optional |required )?" + name + " column (?:to|on|in) " +
        table_ref);
    for (const std::regex* pattern : {&add_column, &add_named_column}) {
        for (std::sregex_iterator it(text.begin(), text.end(), *pattern), end; it != end; ++it) {
            const std::smatch& m = *it;
            FieldSpec field;
            field.name = identifier_of(m[2].str());
            std::string type = pattern == &add_column ? m[3].str() : "";
            const std::string table_name = identifier_of(m[pattern == &add_column ? 4 : 3].str());
            if (field.name.empty() || table_name.empty()) continue;
            if (!type.empty() && !is_type_word(type)) continue;
            field.type = type == "string" ? "text" : type;
            const std::string mode = m[1].str();
            if (mode == "nullable " || mode == "optional ") field.nullable = true;
            if (mode == "required " || mode == "not null ") field.nullable = false;
            ensure(current, table_name, dialect);
            Table& table = ensure(target, table_name, dialect);
            if (table.column(field.name) != nullptr) continue;
            table.columns.push_back(design_column(field, dialect, "task: column " + field.name));
            applied.push_back("add column " + table_name + "." + field.name);
            changed = true;
        }
    }
    // [add|create] [a] [unique] index on TABLE (COLUMN) / TABLE.COLUMN
    static const std::regex add_index("(unique )?index on " + table_ref + " ?(?:\\( ?|\\.)" + name);
    for (std::sregex_iterator it(text.begin(), text.end(), add_index), end; it != end; ++it) {
        const std::smatch& m = *it;
        const std::string table_name = identifier_of(m[2].str());
        const std::string column = identifier_of(m[3].str());
        if (table_name.empty() || column.empty()) continue;
        Table& before = ensure(current, table_name, dialect);
        Table& table = ensure(target, table_name, dialect);
        if (table.column(column) == nullptr) {
            Column c = design_column({column, "", true, {}, false}, dialect, "task: column " + column);
            table.columns.push_back(c);
            if (before.column(column) == nullptr) before.columns.push_back(c);  // indexed, so it exists
        }
        Index index{identifier_of((m[1].matched ? "uq_" : "idx_") + table_name + "_" + column), table_name, {column},
                    m[1].matched};
        target.indexes.push_back(index);
        applied.push_back("add index on " + table_name + " (" + column + ")");
        changed = true;
    }
    // drop|remove column NAME from TABLE
    static const std::regex drop_column("(?:drop|remove)(?:ping|s)? (?:the )?column \"?" + name + "\"? from " +
                                        table_ref);
    for (std::sregex_iterator it(text.begin(), text.end(), drop_column), end; it != end; ++it) {
        const std::smatch& m = *it;
        const std::string column = identifier_of(m[1].str());
        const std::string table_name = identifier_of(m[2].str());
        Table& before = ensure(current, table_name, dialect);
        if (before.column(column) == nullptr)
            before.columns.push_back(design_column({column, "", true, {}, false}, dialect, "task: column " + column));
        Table& table = ensure(target, table_name, dialect);
        for (auto c = table.columns.begin(); c != table.columns.end(); ++c)
            if (c->name == column) {
                table.columns.erase(c);
                break;
            }
        applied.push_back("drop column " + table_name + "." + column);
        changed = true;
    }
    return changed;
}

}  // namespace dbagent
