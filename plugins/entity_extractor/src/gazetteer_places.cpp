// Place names. Deliberately left out: cities whose names are everyday words
// in English prose ("Nice", "Reading", "Mobile", "Bath", "Split").
#include "gazetteers.hpp"

#include <unordered_map>
#include <unordered_set>

namespace entity_extractor::gazetteer {

namespace {

using WordSet = std::unordered_set<std::string_view>;

const WordSet& known_locations() {
    static const WordSet words = {
        // Countries and common short forms.
        "afghanistan", "albania", "algeria", "andorra", "angola", "argentina", "armenia", "australia", "austria",
        "azerbaijan", "bahamas", "bahrain", "bangladesh", "barbados", "belarus", "belgium", "belize", "benin",
        "bhutan", "bolivia", "bosnia", "botswana", "brazil", "brunei", "bulgaria", "burkina faso", "burundi",
        "cambodia", "cameroon", "canada", "cape verde", "chad", "chile", "china", "colombia", "comoros", "congo",
        "costa rica", "croatia", "cuba", "cyprus", "czechia", "czech republic", "denmark", "djibouti",
        "dominican republic", "ecuador", "egypt", "el salvador", "eritrea", "estonia", "eswatini", "ethiopia",
        "fiji", "finland", "france", "gabon", "gambia", "georgia", "germany", "ghana", "greece", "grenada",
        "guatemala", "guinea", "guyana", "haiti", "honduras", "hungary", "iceland", "india", "indonesia", "iran",
        "iraq", "ireland", "israel", "italy", "ivory coast", "jamaica", "japan", "jordan", "kazakhstan", "kenya",
        "kosovo", "kuwait", "kyrgyzstan", "laos", "latvia", "lebanon", "lesotho", "liberia", "libya",
        "liechtenstein", "lithuania", "luxembourg", "madagascar", "malawi", "malaysia", "maldives", "mali",
        "malta", "mauritania", "mauritius", "mexico", "moldova", "monaco", "mongolia", "montenegro", "morocco",
        "mozambique", "myanmar", "burma", "namibia", "nepal", "netherlands", "the netherlands", "holland",
        "new zealand", "nicaragua", "niger", "nigeria", "north korea", "north macedonia", "norway", "oman",
        "pakistan", "palestine", "panama", "papua new guinea", "paraguay", "peru", "philippines",
        "the philippines", "poland", "portugal", "qatar", "romania", "russia", "rwanda", "saudi arabia",
        "senegal", "serbia", "seychelles", "sierra leone", "singapore", "slovakia", "slovenia", "somalia",
        "south africa", "south korea", "korea", "south sudan", "spain", "sri lanka", "sudan", "suriname",
        "sweden", "switzerland", "syria", "taiwan", "tajikistan", "tanzania", "thailand", "togo", "tonga",
        "trinidad", "tunisia", "turkey", "türkiye", "turkmenistan", "uganda", "ukraine",
        "united arab emirates", "uae", "united kingdom", "uk", "great britain", "britain", "england",
        "scotland", "wales", "northern ireland", "united states", "united states of america", "usa", "us",
        "america", "uruguay", "uzbekistan", "vanuatu", "vatican", "venezuela", "vietnam", "yemen", "zambia",
        "zimbabwe", "hong kong", "macau", "greenland", "puerto rico",
        // US states, Canadian provinces, Australian and German states.
        "alabama", "alaska", "arizona", "arkansas", "california", "colorado", "connecticut", "delaware",
        "florida", "hawaii", "idaho", "illinois", "indiana", "iowa", "kansas", "kentucky", "louisiana", "maine",
        "maryland", "massachusetts", "michigan", "minnesota", "mississippi", "missouri", "montana", "nebraska",
        "nevada", "new hampshire", "new jersey", "new mexico", "new york", "north carolina", "north dakota",
        "ohio", "oklahoma", "oregon", "pennsylvania", "rhode island", "south carolina", "south dakota",
        "tennessee", "texas", "utah", "vermont", "virginia", "washington", "west virginia", "wisconsin",
        "wyoming", "district of columbia", "dc", "alberta", "british columbia", "manitoba", "new brunswick",
        "newfoundland", "nova scotia", "ontario", "quebec", "québec", "saskatchewan", "yukon",
        "new south wales", "queensland", "victoria", "tasmania", "bavaria", "bayern", "baden-württemberg",
        "saxony", "hesse",
        // Cities.
        "new york city", "nyc", "los angeles", "chicago", "houston", "phoenix", "philadelphia", "san antonio",
        "san diego", "dallas", "san jose", "austin", "jacksonville", "fort worth", "columbus", "charlotte",
        "indianapolis", "san francisco", "seattle", "denver", "boston", "el paso", "nashville", "detroit",
        "oklahoma city", "portland", "las vegas", "memphis", "louisville", "baltimore", "milwaukee",
        "albuquerque", "tucson", "fresno", "sacramento", "kansas city", "atlanta", "miami", "raleigh", "omaha",
        "minneapolis", "cleveland", "pittsburgh", "cincinnati", "st louis", "saint louis", "new orleans",
        "tampa", "orlando", "honolulu", "anchorage", "salt lake city", "palo alto", "mountain view",
        "cupertino", "menlo park", "redmond", "oakland", "berkeley", "brooklyn", "manhattan", "the bronx",
        "hollywood", "washington dc", "toronto", "montreal", "montréal", "vancouver", "ottawa", "calgary",
        "edmonton", "quebec city", "mexico city", "guadalajara", "monterrey", "havana", "bogotá", "bogota",
        "lima", "santiago", "buenos aires", "são paulo", "sao paulo", "rio de janeiro", "brasília", "brasilia",
        "caracas", "quito", "montevideo", "london", "manchester", "birmingham", "liverpool", "leeds", "glasgow",
        "edinburgh", "bristol", "cardiff", "belfast", "dublin", "paris", "lyon", "marseille", "toulouse",
        "bordeaux", "lille", "strasbourg", "berlin", "hamburg", "munich", "münchen", "cologne", "köln",
        "frankfurt", "stuttgart", "düsseldorf", "dusseldorf", "dresden", "leipzig", "hanover", "vienna", "wien",
        "zurich", "zürich", "geneva", "genève", "basel", "bern", "lausanne", "amsterdam", "rotterdam",
        "the hague", "utrecht", "brussels", "antwerp", "madrid", "barcelona", "valencia", "seville", "bilbao",
        "lisbon", "porto", "rome", "milan", "naples", "turin", "florence", "venice", "bologna", "athens",
        "istanbul", "ankara", "stockholm", "oslo", "copenhagen", "helsinki", "reykjavik", "warsaw", "kraków",
        "krakow", "prague", "budapest", "bucharest", "sofia", "belgrade", "zagreb", "ljubljana", "bratislava",
        "kyiv", "kiev", "moscow", "st petersburg", "saint petersburg", "minsk", "riga", "vilnius", "tallinn",
        "cairo", "casablanca", "lagos", "abuja", "nairobi", "addis ababa", "accra", "johannesburg",
        "cape town", "durban", "dakar", "kinshasa", "tunis", "algiers", "dubai", "abu dhabi", "doha", "riyadh",
        "jeddah", "tehran", "baghdad", "jerusalem", "tel aviv", "beirut", "amman", "damascus", "karachi",
        "lahore", "islamabad", "delhi", "new delhi", "mumbai", "bangalore", "bengaluru", "chennai", "kolkata",
        "hyderabad", "pune", "dhaka", "kathmandu", "colombo", "beijing", "shanghai", "shenzhen", "guangzhou",
        "chengdu", "wuhan", "hangzhou", "tianjin", "taipei", "tokyo", "osaka", "kyoto", "yokohama", "seoul",
        "busan", "pyongyang", "bangkok", "hanoi", "ho chi minh city", "manila", "jakarta", "kuala lumpur",
        "yangon", "phnom penh", "sydney", "melbourne", "brisbane", "perth", "adelaide", "canberra", "auckland",
        "wellington",
        // Continents and regions.
        "europe", "asia", "africa", "north america", "south america", "latin america", "central america",
        "middle east", "the middle east", "east asia", "southeast asia", "south asia", "central asia",
        "oceania", "antarctica", "arctic", "the arctic", "scandinavia", "caribbean", "the caribbean", "balkans",
        "the balkans", "mediterranean", "the mediterranean", "siberia", "patagonia", "sahara", "silicon valley",
        "bay area", "midwest", "the midwest", "new england", "pacific northwest", "west bank", "gaza",
        "gaza strip", "crimea", "kashmir", "tibet", "catalonia", "lombardy", "tuscany", "provence", "normandy",
        "brittany", "flanders", "kurdistan", "cornwall", "yorkshire",
    };
    return words;
}

const WordSet& location_suffixes() {
    static const WordSet words = {
        "city",   "county",  "street", "st",        "avenue",  "ave",    "road",   "rd",       "boulevard",
        "blvd",   "lane",    "square", "plaza",     "river",   "lake",   "lakes",  "mountain", "mountains",
        "island", "islands", "isle",   "bay",       "valley",  "beach",  "harbor", "harbour",  "heights",
        "hills",  "province", "region", "district", "airport", "bridge", "canyon", "coast",    "peninsula",
        "desert", "sea",     "ocean",  "strait",    "gulf",    "falls",  "springs", "village", "borough",
        "township", "parish", "prefecture", "oblast", "canton", "palace", "castle", "cathedral", "stadium",
        "arena", "tower",
    };
    return words;
}

const WordSet& location_heads() {
    static const WordSet words = {
        "city",     "republic", "kingdom", "state",  "states", "commonwealth", "gulf",     "bay",
        "isle",     "isles",    "island",  "islands", "sea",   "strait",       "straits",  "cape",
        "lake",     "mount",    "province", "county", "district", "principality", "duchy", "port",
        "town",     "borough",
    };
    return words;
}

const WordSet& location_prefixes() {
    static const WordSet words = {"mount", "mt", "lake", "loch", "cape", "fort", "port", "isle", "glen"};
    return words;
}

const WordSet& compass_prefixes() {
    static const WordSet words = {
        "north",        "south",        "east",         "west",         "northern",     "southern",
        "eastern",      "western",      "central",      "greater",      "upper",        "lower",
        "northeast",    "northwest",    "southeast",    "southwest",    "northeastern", "northwestern",
        "southeastern", "southwestern", "downtown",     "inner",        "outer",        "rural",
    };
    return words;
}

}  // namespace

bool is_known_location(std::string_view key) { return known_locations().count(key) > 0; }
bool is_location_suffix(std::string_view key) { return location_suffixes().count(key) > 0; }
bool is_location_head(std::string_view key) { return location_heads().count(key) > 0; }
bool is_location_prefix(std::string_view key) { return location_prefixes().count(key) > 0; }
bool is_compass_prefix(std::string_view key) { return compass_prefixes().count(key) > 0; }

double location_preposition_weight(std::string_view key) {
    // "in Paris" is strong; "from"/"to"/"at" also precede people and companies.
    static const std::unordered_map<std::string_view, double> weights = {
        {"in", 0.5},      {"near", 0.5},   {"across", 0.4}, {"throughout", 0.4}, {"outside", 0.4},
        {"inside", 0.3},  {"around", 0.3}, {"within", 0.3}, {"toward", 0.3},     {"towards", 0.3},
        {"via", 0.3},     {"from", 0.25},  {"to", 0.2},     {"at", 0.2},
    };
    auto found = weights.find(key);
    return found == weights.end() ? 0.0 : found->second;
}

}  // namespace entity_extractor::gazetteer
