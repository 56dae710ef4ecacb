#include "store/store_item_repository.hpp"

#include "store/row_reader.hpp"

#include <cstdlib>

namespace agenthost::store {
namespace {

const char* const kColumns =
    "s.namespace, s.key, s.value, s.created_at_ms, s.updated_at_ms, s.expires_at_ms, s.ttl_ms";
const char* const kLive = "(s.expires_at_ms IS NULL OR s.expires_at_ms > :now)";

// SOCI's SQLite backend types an expression column (no declared type) as
// text: the score then arrives as "1.6e-06" and is read as such.
double number_at(const soci::row& row, size_t index) {
    if (row.get_indicator(index) == soci::i_null) return 0;
    switch (row.get_properties(index).get_data_type()) {
        case soci::dt_double: return row.get<double>(index);
        case soci::dt_string: return std::strtod(row.get<std::string>(index).c_str(), nullptr);
        default: return static_cast<double>(integer_at(row, index));
    }
}

StoreItemRecord item_from_row(const soci::row& row, bool scored) {
    StoreItemRecord item;
    item.namespace_path = text_at(row, 0);
    item.key = text_at(row, 1);
    item.value_json = text_at(row, 2);
    item.created_at_ms = integer_at(row, 3);
    item.updated_at_ms = integer_at(row, 4);
    if (row.get_indicator(5) != soci::i_null) item.expires_at_ms = integer_at(row, 5);
    if (row.get_indicator(6) != soci::i_null) item.ttl_ms = integer_at(row, 6);
    if (scored) item.score = number_at(row, 7);
    return item;
}

// The namespace itself or one below it (see the header for why a range).
struct PrefixRange {
    explicit PrefixRange(const std::string& prefix) : exact(prefix), low(prefix + "."), high(prefix + "/") {}
    std::string exact, low, high;
};
const char* const kUnderPrefix =
    " AND (s.namespace = :p OR (s.namespace >= :lo AND s.namespace < :hi))";

// FTS5: each word a quoted string (the tokenizer stems it as it stemmed
// the text), any of them may match. PostgreSQL's to_tsquery: w1 | w2.
std::string match_expression(Dialect dialect, const std::vector<std::string>& words) {
    std::string out;
    for (const std::string& word : words) {
        if (!out.empty()) out += dialect == Dialect::sqlite ? " OR " : " | ";
        if (dialect == Dialect::sqlite) {
            out += '"';
            for (char c : word) {
                if (c == '"') out += '"';
                out += c;
            }
            out += '"';
        } else {
            out += word;
        }
    }
    return out;
}

}  // namespace

void StoreItemRepository::put(soci::session& session, const StoreItemWrite& item) const {
    long long ttl = item.ttl_ms.value_or(0);
    long long expires = item.ttl_ms ? item.now_ms + *item.ttl_ms : 0;
    soci::indicator has_ttl = item.ttl_ms ? soci::i_ok : soci::i_null;
    soci::indicator has_expiry = has_ttl;
    // A row that expired but was not swept yet is a new item: it starts
    // its life again (created_at_ms) rather than inheriting the dead one's.
    session << "INSERT INTO store_items (tenant, namespace, key, value, search_text, created_at_ms, updated_at_ms, "
               "ttl_ms, expires_at_ms) VALUES (:t, :n, :k, :v, :s, :c, :u, :ttl, :e) "
               "ON CONFLICT (tenant, namespace, key) DO UPDATE SET value = excluded.value, "
               "search_text = excluded.search_text, updated_at_ms = excluded.updated_at_ms, "
               "ttl_ms = excluded.ttl_ms, expires_at_ms = excluded.expires_at_ms, "
               "created_at_ms = CASE WHEN store_items.expires_at_ms IS NOT NULL AND "
               "store_items.expires_at_ms <= excluded.updated_at_ms THEN excluded.created_at_ms "
               "ELSE store_items.created_at_ms END",
        soci::use(item.tenant), soci::use(item.namespace_path), soci::use(item.key), soci::use(item.value_json),
        soci::use(item.search_text), soci::use(item.now_ms), soci::use(item.now_ms), soci::use(ttl, has_ttl),
        soci::use(expires, has_expiry);
}

std::optional<StoreItemRecord> StoreItemRepository::get(soci::session& session, const std::string& tenant,
                                                        const std::string& namespace_path, const std::string& key,
                                                        long long now_ms) const {
    soci::rowset<soci::row> rows =
        (session.prepare << std::string("SELECT ") + kColumns + " FROM store_items s WHERE s.tenant = :t AND "
                                "s.namespace = :n AND s.key = :k AND " + kLive,
         soci::use(tenant), soci::use(namespace_path), soci::use(key), soci::use(now_ms));
    for (const soci::row& row : rows) return item_from_row(row, false);
    return std::nullopt;
}

bool StoreItemRepository::remove(soci::session& session, const std::string& tenant,
                                 const std::string& namespace_path, const std::string& key) const {
    // An expired item is already gone for callers; the sweep deletes it.
    long long now = now_ms();
    soci::statement statement =
        (session.prepare << "DELETE FROM store_items WHERE tenant = :t AND namespace = :n AND key = :k AND "
                            "(expires_at_ms IS NULL OR expires_at_ms > :now)",
         soci::use(tenant), soci::use(namespace_path), soci::use(key), soci::use(now));
    statement.execute(true);
    return statement.get_affected_rows() > 0;
}

std::vector<StoreItemRecord> StoreItemRepository::scan(soci::session& session, const StoreItemScan& scan) const {
    PrefixRange range(scan.prefix);
    const bool under = !scan.prefix.empty();
    const bool ranked = !scan.words.empty();
    long long limit = static_cast<long long>(scan.limit), offset = static_cast<long long>(scan.offset);
    std::string match = match_expression(dialect_, scan.words);
    std::string sql = std::string("SELECT ") + kColumns;
    if (!ranked) {
        sql += " FROM store_items s WHERE s.tenant = :t AND ";
        sql += kLive;
        if (under) sql += kUnderPrefix;
        sql += " ORDER BY s.updated_at_ms DESC, s.namespace, s.key";
    } else if (dialect_ == Dialect::sqlite) {
        // bm25() is lower for better matches.
        sql += ", -bm25(store_items_fts) AS score FROM store_items_fts JOIN store_items s ON "
               "s.id = store_items_fts.rowid WHERE store_items_fts MATCH :q AND s.tenant = :t AND ";
        sql += kLive;
        if (under) sql += kUnderPrefix;
        sql += " ORDER BY bm25(store_items_fts), s.updated_at_ms DESC, s.namespace, s.key";
    } else {
        sql += ", CAST(ts_rank_cd(s.search_vector, q.query) AS DOUBLE PRECISION) AS score FROM store_items s, "
               "to_tsquery('english', :q) AS q(query) WHERE s.search_vector @@ q.query AND s.tenant = :t AND ";
        sql += kLive;
        if (under) sql += kUnderPrefix;
        sql += " ORDER BY score DESC, s.updated_at_ms DESC, s.namespace, s.key";
    }
    sql += " LIMIT :l OFFSET :o";
    std::vector<StoreItemRecord> items;
    // The statement binds what its text names, in order.
    auto read = [&](auto&&... uses) {
        soci::rowset<soci::row> rows = ((session.prepare << sql), ..., uses);
        for (const soci::row& row : rows) items.push_back(item_from_row(row, ranked));
    };
    if (ranked && under)
        read(soci::use(match), soci::use(scan.tenant), soci::use(scan.now_ms), soci::use(range.exact),
             soci::use(range.low), soci::use(range.high), soci::use(limit), soci::use(offset));
    else if (ranked)
        read(soci::use(match), soci::use(scan.tenant), soci::use(scan.now_ms), soci::use(limit), soci::use(offset));
    else if (under)
        read(soci::use(scan.tenant), soci::use(scan.now_ms), soci::use(range.exact), soci::use(range.low),
             soci::use(range.high), soci::use(limit), soci::use(offset));
    else
        read(soci::use(scan.tenant), soci::use(scan.now_ms), soci::use(limit), soci::use(offset));
    return items;
}

std::vector<std::string> StoreItemRepository::namespaces(soci::session& session, const std::string& tenant,
                                                         const std::string& prefix, long long now_ms, size_t limit,
                                                         size_t offset) const {
    PrefixRange range(prefix);
    long long max = static_cast<long long>(limit), skip = static_cast<long long>(offset);
    std::string sql = std::string("SELECT DISTINCT s.namespace FROM store_items s WHERE s.tenant = :t AND ") + kLive;
    if (!prefix.empty()) sql += kUnderPrefix;
    sql += " ORDER BY s.namespace LIMIT :l OFFSET :o";
    std::vector<std::string> found;
    if (prefix.empty()) {
        soci::rowset<soci::row> rows =
            (session.prepare << sql, soci::use(tenant), soci::use(now_ms), soci::use(max), soci::use(skip));
        for (const soci::row& row : rows) found.push_back(text_at(row, 0));
    } else {
        soci::rowset<soci::row> rows =
            (session.prepare << sql, soci::use(tenant), soci::use(now_ms), soci::use(range.exact),
             soci::use(range.low), soci::use(range.high), soci::use(max), soci::use(skip));
        for (const soci::row& row : rows) found.push_back(text_at(row, 0));
    }
    return found;
}

void StoreItemRepository::refresh(soci::session& session, const std::string& tenant,
                                  const std::string& namespace_path, const std::string& key, long long now_ms) const {
    session << "UPDATE store_items SET expires_at_ms = :now + ttl_ms WHERE tenant = :t AND namespace = :n AND "
               "key = :k AND ttl_ms IS NOT NULL AND expires_at_ms > :now2",
        soci::use(now_ms), soci::use(tenant), soci::use(namespace_path), soci::use(key), soci::use(now_ms);
}

long long StoreItemRepository::sweep(soci::session& session, long long now_ms, long long limit) const {
    soci::statement statement =
        (session.prepare << "DELETE FROM store_items WHERE id IN (SELECT id FROM store_items WHERE "
                            "expires_at_ms IS NOT NULL AND expires_at_ms <= :now LIMIT :l)",
         soci::use(now_ms), soci::use(limit));
    statement.execute(true);
    return statement.get_affected_rows();
}

}  // namespace agenthost::store
