// A schema described in prose: "users have many orders; orders have items",
// "a schema for customers, products and orders", "each post belongs to an
// author", "orders (total, status)", "students and courses are
// many-to-many". Only nouns in those patterns become tables, so the verbs
// and filler words ("have", "many", "schema") never do.
#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>

#include "schema.hpp"

namespace dbagent {
namespace {

const std::set<std::string>& stopwords() {
    static const std::set<std::string> words = {
        "a", "an", "the", "and", "or", "of", "for", "to", "with", "without", "in", "on", "at", "by", "from", "into",
        "each", "every", "all", "any", "some", "many", "much", "one", "single", "multiple", "several", "lots", "more",
        "zero", "exactly", "has", "have", "having", "had", "belong", "belongs", "belonging", "contain", "contains",
        "containing", "own", "owns", "owned", "include", "includes", "including", "hold", "holds", "reference",
        "references", "refer", "refers", "is", "are", "be", "been", "being", "was", "were", "it", "its", "their",
        "them", "they", "this", "these", "those", "there", "here", "that", "which", "who", "whose", "where", "can",
        "should", "would", "could", "will", "may", "must", "design", "create", "make", "build", "write", "generate",
        "give", "me", "i", "we", "our", "my", "us", "you", "your", "please", "need", "needs", "want", "wants",
        "schema", "schemas", "database", "databases", "db", "table", "tables", "entity", "entities", "model",
        "models", "migration", "migrations", "postgres", "postgresql", "sqlite", "sqlite3", "pg", "sql", "ddl",
        "relation", "relations", "relationship", "relationships", "relational", "new", "simple", "basic", "also",
        "as", "so", "then", "than", "but", "if", "not", "no", "m2m", "using", "use", "via", "per", "up", "set",
        "initial", "add", "adding", "like", "such", "etc", "plus", "both", "other", "another", "some", "store",
        "stores", "track", "tracks", "keep", "keeps", "app", "application", "system", "service", "backend",
        "project", "data", "layer", "following", "based", "following", "just", "only", "link", "links", "linked",
        "connect", "connects", "connected", "relate", "relates", "related", "associated", "associate", "do", "does",
        "what", "how", "when", "why", "field", "fields", "column", "columns", "attribute", "attributes", "properties",
        "property", "called", "named", "structure", "design", "designing", "dialect", "sqlite's", "i'd"};
    return words;
}
// "name" is a stopword for entity detection but a field name after "with".
bool is_stop(const std::string& w) { return stopwords().count(w) > 0; }

bool is_has_verb(const std::string& w) {
    static const std::set<std::string> verbs = {"has", "have", "contain", "contains", "own", "owns", "include",
                                                "includes", "hold", "holds"};
    return verbs.count(w) > 0;
}

struct Word {
    std::string text;
    bool separator = false;  // ',', '&', ':', '(' or ')'
};

std::vector<Word> words_of(const std::string& clause) {
    std::vector<Word> out;
    std::string current;
    auto flush = [&] {
        if (!current.empty()) out.push_back({current, false});
        current.clear();
    };
    for (char c : clause) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) || c == '_' || c == '-' || c == '\'') {
            current += static_cast<char>(std::tolower(u));
        } else {
            flush();
            if (c == ',' || c == '&' || c == ':' || c == '(' || c == ')' || c == '/') out.push_back({std::string(1, c), true});
        }
    }
    flush();
    for (auto& w : out) {
        while (!w.text.empty() && (w.text.back() == '-' || w.text.back() == '\'')) w.text.pop_back();
        while (!w.text.empty() && (w.text.front() == '-' || w.text.front() == '\'')) w.text.erase(0, 1);
        if (w.text.size() > 2 && w.text.compare(w.text.size() - 2, 2, "'s") == 0) w.text.resize(w.text.size() - 2);
    }
    out.erase(std::remove_if(out.begin(), out.end(), [](const Word& w) { return w.text.empty(); }), out.end());
    return out;
}

bool is_noun_word(const std::string& w) {
    if (is_stop(w) || w.empty()) return false;
    if (!std::isalpha(static_cast<unsigned char>(w[0]))) return false;
    return w.size() >= 2;
}

// One item of a list: its marker words and its noun (up to three words).
struct Item {
    std::string noun;  // snake_case
    bool to_many = false, one = false, article = false;
};

// Items from `at` on, separated by ',', 'and', '&', 'or'; stops at
// anything else. `at` ends where the list ended.
std::vector<Item> read_items(const std::vector<Word>& w, std::size_t& at) {
    std::vector<Item> items;
    Item item;
    while (at < w.size()) {
        const std::string& t = w[at].text;
        if (w[at].separator && t != "," && t != "&" && t != "/") break;
        if (w[at].separator || t == "and" || t == "or") {
            if (!item.noun.empty()) items.push_back(item);
            item = Item{};
            ++at;
            continue;
        }
        if (t == "many" || t == "multiple" || t == "several" || t == "lots" || t == "more" || t == "zero" ||
            (std::isdigit(static_cast<unsigned char>(t[0])) && t != "1")) {
            if (!item.noun.empty()) break;
            item.to_many = true;
            ++at;
            continue;
        }
        if (t == "one" || t == "single" || t == "exactly" || t == "1") {
            if (!item.noun.empty()) break;
            if (!item.to_many) item.one = true;
            ++at;
            continue;
        }
        if (t == "a" || t == "an" || t == "the" || t == "each" || t == "some" || t == "their" || t == "its" ||
            t == "of" || t == "optional") {
            if (!item.noun.empty()) break;
            if (t == "a" || t == "an") item.article = true;
            ++at;
            continue;
        }
        if (!is_noun_word(t)) break;
        if (std::count(item.noun.begin(), item.noun.end(), '_') >= 2) break;
        item.noun += (item.noun.empty() ? "" : "_") + identifier_of(t);
        ++at;
    }
    if (!item.noun.empty()) items.push_back(item);
    return items;
}

// The noun phrase that ends just before `at` (the subject of a verb).
std::string noun_before(const std::vector<Word>& w, std::size_t at) {
    // "users (email, name) have ...": the noun before the parenthesis.
    if (at > 0 && w[at - 1].text == ")") {
        int depth = 0;
        while (at > 0) {
            --at;
            if (w[at].text == ")") ++depth;
            if (w[at].text == "(" && --depth == 0) break;
        }
    }
    std::vector<std::string> parts;
    while (at > 0 && !w[at - 1].separator && is_noun_word(w[at - 1].text) && parts.size() < 3) {
        parts.insert(parts.begin(), identifier_of(w[at - 1].text));
        --at;
    }
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : "_") + p;
    return out;
}

std::string table_of(const std::string& noun) { return identifier_of(plural(noun)); }

struct Reader {
    DesignSpec spec;
    std::map<std::string, std::vector<FieldSpec>> fields;  // table -> fields
    std::vector<std::string> order;                        // tables in order of mention
    std::set<std::string> mentioned_fields;

    void entity(const std::string& table) {
        if (table.empty()) return;
        if (std::find(order.begin(), order.end(), table) == order.end()) order.push_back(table);
    }
    void field(const std::string& table, const std::string& name) {
        auto& list = fields[table];
        for (const auto& f : list)
            if (f.name == name) return;
        FieldSpec f;
        f.name = identifier_of(name);
        if (!f.name.empty()) list.push_back(f);
    }
    void relation(const std::string& parent, const std::string& child, RelationKind kind) {
        if (parent.empty() || child.empty()) return;
        for (const auto& r : spec.relations) {
            if (r.from == parent && r.to == child) return;
            if (kind == RelationKind::many_to_many && r.kind == kind && r.from == child && r.to == parent) return;
            // "users have many orders" and "orders have many users": many-to-many.
            if (r.from == child && r.to == parent && r.kind == RelationKind::one_to_many &&
                kind == RelationKind::one_to_many) {
                auto& existing = const_cast<RelationSpec&>(r);
                existing.kind = RelationKind::many_to_many;
                return;
            }
        }
        entity(parent);
        entity(child);
        RelationSpec r;
        r.from = parent;
        r.to = child;
        r.kind = kind;
        spec.relations.push_back(r);
    }
};

}  // namespace

DesignSpec design_from_text(std::string_view text, Dialect dialect) {
    std::string lowered;
    for (char c : text) lowered += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (std::string_view m2m : {"many-to-many", "many to many", "n:m", "m:n"}) {
        for (auto at = lowered.find(m2m); at != std::string::npos; at = lowered.find(m2m))
            lowered.replace(at, m2m.size(), " m2m ");
    }
    std::vector<std::string> clauses;
    std::string current;
    for (char c : lowered) {
        if (c == '.' || c == ';' || c == '\n' || c == '!' || c == '?') {
            clauses.push_back(current);
            current.clear();
        } else {
            current += c;
        }
    }
    clauses.push_back(current);

    Reader reader;
    reader.spec.dialect = dialect;
    // Pass 1 learns the entities; pass 2 can then tell "an order has a
    // customer" (a key to customers) from "an order has a total" (a field).
    std::set<std::string> known;
    for (int pass = 0; pass < 2; ++pass) {
        if (pass == 1) {
            known.insert(reader.order.begin(), reader.order.end());
            reader = Reader{};
            reader.spec.dialect = dialect;
        }
        for (const auto& clause : clauses) {
            const std::vector<Word> w = words_of(clause);
            const bool m2m = std::any_of(w.begin(), w.end(), [](const Word& x) { return x.text == "m2m"; });
            // Where the last field list ended and whose it was: "users with
            // email and name have many orders" has users, not name, as subject.
            std::size_t list_end = w.size() + 1;
            std::string list_subject;
            for (std::size_t i = 0; i < w.size(); ++i) {
                const std::string& t = w[i].text;
                if (w[i].separator && t != "(" && t != ":") continue;
                // "tables: users, orders", "a schema for users and orders", "entities users, orders".
                if (t == "for" || t == "tables" || t == "entities" || t == "models" || t == "between" ||
                    (t == ":" && i > 0 && (w[i - 1].text == "tables" || w[i - 1].text == "entities"))) {
                    std::size_t at = i + 1;
                    if (at < w.size() && w[at].text == ":") ++at;
                    // "tables for the user and order entities": singular names count too.
                    const bool any = t != "for" || std::any_of(w.begin(), w.end(), [](const Word& x) {
                                         return x.text == "tables" || x.text == "entities" || x.text == "models";
                                     });
                    for (const auto& item : read_items(w, at))
                        if (any || (looks_plural(item.noun) && !item.article) || known.count(table_of(item.noun)))
                            reader.entity(table_of(item.noun));
                    continue;
                }
                // "users (email, name)" / "users: email, name" / "users with email and name".
                if ((t == "(" || t == ":" || t == "with") && i > 0) {
                    const std::string subject = noun_before(w, i);
                    if (subject.empty()) continue;
                    const std::string table = table_of(subject);
                    std::size_t at = i + 1;
                    if (t != "(" && !known.count(table) && !looks_plural(subject)) {
                        // "a blog with posts and tags", "a library: books ...": the
                        // subject names the domain; its plural items are the tables.
                        for (const auto& item : read_items(w, at))
                            if (looks_plural(item.noun)) reader.entity(table_of(item.noun));
                        continue;
                    }
                    reader.entity(table);
                    const std::vector<Item> items = read_items(w, at);
                    list_end = at;
                    list_subject = table;
                    for (const auto& item : items) {
                        const std::string as_table = table_of(item.noun);
                        if (t == "with" && (item.to_many || (looks_plural(item.noun) && known.count(as_table))))
                            reader.relation(table, as_table, RelationKind::one_to_many);
                        else
                            reader.field(table, item.noun);
                    }
                    continue;
                }
                const bool belongs = (t == "belongs" || t == "belong" || t == "references" || t == "reference" ||
                                      t == "refers" || t == "refer" || t == "owned");
                if (!is_has_verb(t) && !belongs && !(m2m && (t == "are" || t == "is"))) continue;
                const bool after_list = i == list_end || (i == list_end + 1 && w[list_end].text == ")");
                const std::string subject = after_list ? list_subject : noun_before(w, i);
                if (subject.empty()) continue;
                const std::string table = after_list ? list_subject : table_of(subject);
                std::size_t at = i + 1;
                if (belongs && at < w.size() && (w[at].text == "to" || w[at].text == "by")) ++at;
                const std::vector<Item> objects = read_items(w, at);
                if (m2m && (t == "are" || t == "is")) {
                    // "students and courses are many-to-many": the subject list before the verb.
                    std::size_t back = i;
                    while (back > 0 && (w[back - 1].text == "and" || w[back - 1].separator || is_noun_word(w[back - 1].text)))
                        --back;
                    std::size_t from = back;
                    auto both = read_items(w, from);
                    if (both.size() >= 2)
                        reader.relation(table_of(both[0].noun), table_of(both[1].noun), RelationKind::many_to_many);
                    continue;
                }
                reader.entity(table);
                for (const auto& object : objects) {
                    const std::string other = table_of(object.noun);
                    if (belongs) {
                        reader.relation(other, table, RelationKind::one_to_many);
                    } else if (m2m) {
                        reader.relation(table, other, RelationKind::many_to_many);
                    } else if (object.to_many || (looks_plural(object.noun) && !object.article)) {
                        reader.relation(table, other, RelationKind::one_to_many);
                    } else if (object.one && known.count(other)) {
                        reader.relation(table, other, RelationKind::one_to_one);
                    } else if (known.count(other) && other != table) {
                        reader.relation(other, table, RelationKind::one_to_many);  // "an order has a customer"
                    } else if (object.one) {
                        reader.relation(table, other, RelationKind::one_to_one);
                    } else {
                        reader.field(table, object.noun);
                    }
                }
                // "... have items with a quantity and a price": fields of the last object.
                if (at < w.size() && w[at].text == "with" && !objects.empty()) {
                    const std::string last = table_of(objects.back().noun);
                    if (reader.fields.count(table) && !reader.fields[table].empty() &&
                        reader.fields[table].back().name == objects.back().noun)
                        continue;
                    std::size_t after = at + 1;
                    for (const auto& item : read_items(w, after)) reader.field(last, item.noun);
                }
            }
        }
    }
    DesignSpec spec = reader.spec;
    for (const auto& table : reader.order) {
        EntitySpec entity;
        entity.table = table;
        entity.fields = reader.fields[table];
        spec.entities.push_back(entity);
    }
    return spec;
}

}  // namespace dbagent
