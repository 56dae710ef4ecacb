// Hand-written scanners for entities with a recognisable shape. Each appends
// every candidate it finds; candidates of different scanners may overlap
// (a phone-like run inside a URL) and are settled by resolve_overlaps().
#ifndef ENTITY_EXTRACTOR_PATTERN_SCANNERS_HPP
#define ENTITY_EXTRACTOR_PATTERN_SCANNERS_HPP

#include "entity.hpp"

#include <string_view>
#include <vector>

namespace entity_extractor {

// How to read an all-numeric date whose first two parts could both be the
// month ("03/04/2024"). Dates with a part above 12 or with dots
// ("15.03.2024") are read unambiguously whatever the setting.
enum class NumericDateOrder { day_first, month_first };

void scan_emails(std::string_view text, std::vector<Candidate>& out);
void scan_urls(std::string_view text, std::vector<Candidate>& out);
void scan_phones(std::string_view text, std::vector<Candidate>& out);
void scan_dates(std::string_view text, NumericDateOrder order, std::vector<Candidate>& out);
void scan_money(std::string_view text, std::vector<Candidate>& out);
void scan_percentages(std::string_view text, std::vector<Candidate>& out);

}  // namespace entity_extractor

#endif
