// Words about organisations: legal forms, typical last and first words, and
// a short list of organisations too well known to carry any of those.
#include "gazetteers.hpp"

#include <unordered_set>

namespace entity_extractor::gazetteer {

namespace {

using WordSet = std::unordered_set<std::string_view>;

const WordSet& known_organizations() {
    static const WordSet words = {
        "google", "alphabet", "microsoft", "apple", "amazon", "meta", "facebook", "instagram", "whatsapp",
        "youtube", "netflix", "tesla", "spacex", "openai", "anthropic", "nvidia", "intel", "amd", "ibm",
        "oracle", "cisco", "salesforce", "adobe", "samsung", "sony", "toyota", "honda", "nissan", "volkswagen",
        "bmw", "mercedes-benz", "siemens", "bosch", "sap", "nestlé", "nestle", "novartis", "roche", "pfizer",
        "moderna", "unilever", "exxonmobil", "chevron", "walmart", "costco", "boeing", "airbus",
        "lockheed martin", "uber", "lyft", "airbnb", "twitter", "linkedin", "paypal", "mastercard",
        "jpmorgan", "jpmorgan chase", "goldman sachs", "morgan stanley", "citigroup", "citibank", "hsbc",
        "barclays", "ubs", "credit suisse", "deutsche bank", "blackrock", "berkshire hathaway", "alibaba",
        "tencent", "baidu", "huawei", "xiaomi", "bytedance", "tiktok", "spotify", "ikea", "nokia", "ericsson",
        "philips", "reuters", "bloomberg", "associated press", "bbc", "cnn", "nbc", "cbs", "nasa", "esa", "fbi",
        "cia", "nsa", "fda", "sec", "ftc", "fcc", "epa", "cdc", "nih", "world health organization",
        "united nations", "un", "unicef", "unesco", "nato", "eu", "european union", "european commission",
        "european central bank", "ecb", "imf", "world bank", "wto", "opec", "federal reserve", "interpol",
        "europol", "red cross", "greenpeace", "amnesty international", "oxfam", "fifa", "uefa", "nba", "nfl",
        "mlb", "nhl", "harvard", "stanford", "mit", "yale", "princeton", "caltech", "github", "gitlab",
        "mozilla", "wikipedia", "wikimedia", "cloudflare", "dropbox", "shopify", "accenture", "deloitte",
        "pwc", "kpmg", "mckinsey", "starbucks", "coca-cola", "pepsico", "nike", "adidas", "disney", "fedex",
        "dhl", "maersk", "ryanair", "lufthansa",
    };
    return words;
}

const WordSet& legal_forms() {
    static const WordSet words = {"inc", "incorporated", "corp", "ltd", "llc", "llp", "plc", "gmbh",
                                  "ag", "nv", "bv", "pty", "sarl", "srl", "spa", "kk", "oy"};
    return words;
}

const WordSet& organization_suffixes() {
    static const WordSet words = {
        "co", "company", "companies", "corporation", "limited", "lp", "sa", "se", "ab", "group", "holdings",
        "holding", "partners", "associates", "bank", "bancorp", "university", "college", "institute",
        "academy", "school", "agency", "association", "foundation", "fund", "trust", "ministry", "department",
        "dept", "council", "committee", "commission", "authority", "board", "bureau", "service", "services",
        "systems", "technologies", "technology", "labs", "laboratories", "laboratory", "software", "solutions",
        "industries", "enterprises", "ventures", "capital", "motors", "airlines", "airways", "pharmaceuticals",
        "pharma", "therapeutics", "biosciences", "hospital", "clinic", "police", "news", "times", "post",
        "journal", "tribune", "herald", "gazette", "network", "networks", "media", "studios", "entertainment",
        "records", "press", "publishing", "publishers", "union", "federation", "party", "club", "society",
        "church", "museum", "energy", "electric", "petroleum", "insurance", "securities", "exchange",
        "consulting", "communications", "telecom", "telecommunications", "robotics", "dynamics", "logistics",
        "foods", "brands", "stores", "organization", "organisation", "coalition", "alliance", "institution",
        "court", "senate", "parliament", "congress", "assembly", "army", "navy", "corps", "force", "forces",
        "guard", "fc",
    };
    return words;
}

const WordSet& organization_heads() {
    static const WordSet words = {
        "university", "bank",    "department", "ministry", "institute", "college",  "school",
        "museum",     "office",  "bureau",     "board",    "council",   "commission", "federation",
        "association", "society", "church",    "league",   "court",     "agency",   "academy",
        "house",      "chamber", "order",      "friends",  "sisters",   "brothers", "daughters",
    };
    return words;
}

const WordSet& generic_organization_words() {
    static const WordSet words = {
        "national", "first",  "united", "american", "general",  "international", "global", "new",
        "royal",    "federal", "central", "world",   "european", "city",          "state",  "north",
        "south",    "east",   "west",    "great",   "public",        "private", "digital",
    };
    return words;
}

}  // namespace

bool is_known_organization(std::string_view key) { return known_organizations().count(key) > 0; }
bool is_legal_form(std::string_view key) { return legal_forms().count(key) > 0; }

bool is_organization_suffix(std::string_view key) {
    return is_legal_form(key) || organization_suffixes().count(key) > 0;
}

bool is_organization_head(std::string_view key) {
    return organization_heads().count(key) > 0 || organization_suffixes().count(key) > 0;
}

bool is_generic_organization_word(std::string_view key) {
    return generic_organization_words().count(key) > 0 || is_organization_suffix(key);
}

}  // namespace entity_extractor::gazetteer
