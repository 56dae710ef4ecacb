// Newest-first keyset paging, shared by the runs and threads listings: the
// cursor is "<created_at_ms>_<id>" of the last row served, so pages stay
// stable while new rows arrive.
#pragma once

#include <soci/soci.h>

#include <string>
#include <vector>

namespace agenthost::store {

class NewestFirstPage {
  public:
    // `cursor` as served in next_cursor ("" for the first page); `prefix`
    // qualifies the columns ("v." for a subquery's).
    NewestFirstPage(const std::string& cursor, size_t limit, std::string prefix = "")
        : limit_(limit), fetch_limit_(static_cast<long long>(limit) + 1), prefix_(std::move(prefix)) {
        if (cursor.empty()) return;
        size_t underscore = cursor.find('_');
        cursor_time_ = std::stoll(cursor.substr(0, underscore));
        cursor_id_ = cursor.substr(underscore + 1);
        has_cursor_ = true;
    }

    // Appended after the caller's own conditions ("... WHERE 1 = 1 AND ...").
    std::string sql_tail() const {
        const std::string& p = prefix_;
        std::string sql;
        if (has_cursor_)
            sql += " AND (" + p + "created_at_ms < :ct OR (" + p + "created_at_ms = :ct2 AND " + p + "id < :cid))";
        return sql + " ORDER BY " + p + "created_at_ms DESC, " + p + "id DESC LIMIT :n";
    }

    // Binds the cursor and limit after the caller's parameters, runs the
    // statement and reads one page; `next_cursor` is set when more remain.
    template <typename Item, typename FromRow>
    std::vector<Item> fetch(soci::statement& statement, FromRow&& from_row, std::string& next_cursor) {
        if (has_cursor_) {
            statement.exchange(soci::use(cursor_time_));
            statement.exchange(soci::use(cursor_time_));
            statement.exchange(soci::use(cursor_id_));
        }
        statement.exchange(soci::use(fetch_limit_));
        soci::row row;
        statement.exchange(soci::into(row));
        statement.define_and_bind();
        std::vector<Item> items;
        if (statement.execute(true)) {
            do {
                items.push_back(from_row(row));
            } while (statement.fetch());
        }
        if (items.size() > limit_) {
            items.pop_back();
            next_cursor = std::to_string(items.back().created_at_ms) + "_" + items.back().id;
        }
        return items;
    }

  private:
    size_t limit_;
    long long fetch_limit_;  // one more than a page: is there a next one?
    std::string prefix_;
    bool has_cursor_ = false;
    long long cursor_time_ = 0;
    std::string cursor_id_;
};

}  // namespace agenthost::store
