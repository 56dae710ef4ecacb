// Capitalised words that are not names: sentence openers and words that are
// capitalised by convention (months, nationalities) or are common acronyms.
#include "calendar.hpp"
#include "gazetteers.hpp"

#include <unordered_set>

namespace entity_extractor::gazetteer {

namespace {

using WordSet = std::unordered_set<std::string_view>;

const WordSet& function_words() {
    static const WordSet words = {
        "a", "an", "the", "this", "that", "these", "those", "there", "here", "it", "its", "it's", "he", "she",
        "they", "we", "i", "you", "our", "your", "their", "his", "her", "my", "me", "them", "in", "on",
        "at", "by", "for", "from", "with", "without", "of", "to", "into", "onto", "after", "before", "during",
        "since", "until", "while", "when", "where", "why", "how", "what", "which", "who", "whom", "whose",
        "if", "but", "and", "or", "nor", "so", "yet", "as", "also", "although", "though", "because",
        "however", "meanwhile", "moreover", "furthermore", "additionally", "therefore", "thus", "hence",
        "instead", "otherwise", "nevertheless", "nonetheless", "still", "then", "now", "today", "yesterday",
        "tomorrow", "tonight", "recently", "currently", "previously", "later", "earlier", "finally", "first",
        "second", "third", "next", "last", "please", "thanks", "thank", "dear", "hello", "hi", "hey",
        "regards", "sincerely", "best", "yes", "no", "not", "all", "some", "any", "each", "every", "both",
        "many", "most", "more", "several", "few", "other", "another", "such", "one", "two", "three", "four",
        "five", "according", "following", "including", "despite", "given", "under", "over", "between",
        "among", "about", "around", "against", "through", "across", "within", "upon", "per", "via", "once",
        "only", "just", "even", "perhaps", "maybe", "indeed", "overall", "together", "note", "update",
        "summary", "subject", "re", "fw", "fwd", "will", "would", "can", "could", "should", "may", "might",
        "must", "shall", "do", "does", "did", "is", "are", "was", "were", "be", "been", "has", "have", "had",
        "let", "let's", "unlike", "like", "whether", "whereas", "unless", "already", "again",
        "always", "never", "often", "sometimes", "soon", "initially", "ultimately", "separately", "similarly",
        "specifically", "notably", "importantly", "interestingly", "unfortunately", "fortunately", "sadly",
        "luckily", "clearly", "obviously", "apparently", "reportedly", "allegedly", "officials", "customers",
        "users", "sources", "investors", "analysts", "residents", "employees", "staff", "everyone",
        "nobody", "someone", "anyone", "neither", "either", "much", "less",
        // Imperatives that open instructions ("Contact Acme Support", "Visit Paris").
        "contact", "call", "visit", "email", "see", "join", "meet", "ask", "read", "follow", "click", "send",
        "use", "check", "try", "find", "get", "make", "take", "go", "learn", "watch", "download", "register",
        "sign", "subscribe", "welcome", "congratulations", "happy",
    };
    return words;
}

const WordSet& never_names() {
    static const WordSet words = {
        // Nationalities, languages, religions.
        "american", "british", "english", "french", "german", "spanish", "italian", "chinese", "japanese",
        "korean", "russian", "indian", "european", "african", "asian", "canadian", "mexican", "brazilian",
        "australian", "swiss", "dutch", "swedish", "norwegian", "danish", "finnish", "polish", "irish",
        "scottish", "welsh", "greek", "turkish", "arabic", "arab", "hebrew", "israeli", "iranian", "iraqi",
        "ukrainian", "latin", "portuguese", "christian", "muslim", "jewish", "hindu", "buddhist", "catholic",
        "protestant", "western", "eastern", "northern", "southern",
        // Acronyms and abbreviations that name no entity.
        "ceo", "cfo", "cto", "coo", "cio", "vp", "svp", "evp", "hr", "it", "pr", "ai", "ml", "api", "url",
        "pdf", "faq", "id", "ok", "am", "pm", "utc", "gmt", "est", "edt", "pst", "pdt", "cet", "cest", "bst",
        "tbd", "asap", "fyi", "eta", "kpi", "roi", "sla", "sql", "vpn", "ssh", "tls", "ssl", "dns", "ip",
        "tcp", "udp", "http", "https", "html", "css", "json", "xml", "cpu", "gpu", "ram", "ssd", "usb", "os",
        "ui", "ux", "qa", "rsvp", "ps", "nb", "cc", "bcc", "tv", "gps", "sms", "atm", "pin", "vip", "phd",
        "mba", "llm", "saas", "ipo", "gdp", "cpi", "esg", "covid", "covid-19", "ngo", "usd", "eur", "gbp",
        "jpy", "chf", "etc", "eg", "ie", "vs", "no",
        // Other words capitalised by habit.
        "i", "internet", "web", "god", "inc", "ltd", "llc", "corp", "co",
    };
    return words;
}

}  // namespace

bool is_function_word(std::string_view key) { return function_words().count(key) > 0; }

bool is_never_a_name(std::string_view key) {
    return never_names().count(key) > 0 || month_from_name(key).month != 0 || is_weekday_name(key);
}

}  // namespace entity_extractor::gazetteer
