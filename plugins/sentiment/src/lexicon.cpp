#include <unordered_map>

#include "lexicon.hpp"

namespace sentiment {
namespace {

// Valences follow the VADER lexicon (Hutto & Gilbert, 2014) where it has the
// word, and its scale where it does not. Inflected forms are listed one by
// one because the lookup does no stemming. Words whose sentiment depends on
// the sense ("like", "hard", "down", "sharp", "prompt", "critical") are left
// out on purpose, as are "progress" ("in progress") and "stress" ("stress
// test"): in technical text they are mostly neutral, and a false driver is
// worse than a missing one. Violent words ("killed", "dead") are milder than
// in VADER because processes and letters get killed and go dead routinely.
const std::vector<LexiconEntry> entries = {
    // ---- General praise ----------------------------------------------
    {"good", 1.9}, {"great", 3.1}, {"excellent", 3.2}, {"amazing", 2.8}, {"awesome", 3.1},
    {"fantastic", 2.6}, {"wonderful", 2.7}, {"outstanding", 3.0}, {"superb", 3.1}, {"brilliant", 2.8},
    {"perfect", 2.7}, {"perfectly", 2.2}, {"nice", 1.8}, {"nicely", 1.9}, {"lovely", 2.8},
    {"beautiful", 2.9}, {"beautifully", 2.7}, {"best", 3.2}, {"better", 1.9}, {"fine", 0.8},
    {"impressive", 2.3}, {"impressed", 2.1}, {"incredible", 2.7}, {"exceptional", 2.7}, {"superior", 2.4},
    {"stellar", 2.8}, {"fabulous", 2.4}, {"terrific", 2.9}, {"marvelous", 2.9}, {"phenomenal", 2.9},
    {"remarkable", 2.2}, {"gorgeous", 3.0}, {"stunning", 2.6}, {"wonderfully", 2.7}, {"brilliantly", 2.5},
    {"flawless", 2.8}, {"flawlessly", 2.6}, {"favorite", 2.0}, {"favourite", 2.0}, {"positive", 2.3},
    {"positively", 1.8}, {"pleasant", 2.3}, {"pleasantly", 2.1}, {"cool", 1.3}, {"fun", 2.3},
    {"exciting", 2.2}, {"excited", 1.9}, {"wow", 2.8}, {"yay", 2.4}, {"bravo", 2.6},
    {"congrats", 2.4}, {"congratulations", 2.9}, {"kudos", 2.3}, {"praise", 2.5}, {"praised", 2.3},
    {"superbly", 2.8}, {"ideal", 2.1}, {"splendid", 2.8}, {"magnificent", 3.0}, {"neat", 1.6},

    // ---- Feelings ------------------------------------------------------
    {"love", 3.2}, {"loved", 2.9}, {"loves", 2.7}, {"loving", 2.9}, {"lovable", 2.6},
    {"liked", 1.8}, {"enjoy", 2.2}, {"enjoyed", 2.3}, {"enjoys", 2.1}, {"enjoying", 2.4},
    {"enjoyable", 1.9}, {"happy", 2.7}, {"happily", 2.1}, {"happier", 2.4}, {"glad", 2.0},
    {"pleased", 1.9}, {"pleasure", 2.7}, {"delighted", 2.9}, {"delightful", 2.8}, {"satisfied", 1.8},
    {"satisfying", 2.0}, {"satisfaction", 1.9}, {"joy", 2.8}, {"proud", 2.1}, {"hope", 1.9},
    {"hopeful", 1.9}, {"optimistic", 1.9}, {"calm", 1.3}, {"relief", 1.8}, {"relieved", 1.6},
    {"thank", 1.5}, {"thanks", 1.9}, {"thankful", 2.0}, {"grateful", 2.0}, {"appreciate", 1.7},
    {"appreciated", 2.0}, {"confident", 2.2}, {"trust", 2.3}, {"trusted", 2.1}, {"comfortable", 1.8},
    {"fond", 1.9}, {"adore", 2.9}, {"adored", 2.8}, {"thrilled", 2.9}, {"ecstatic", 3.1},

    // ---- Products and service -----------------------------------------
    {"recommend", 1.5}, {"recommended", 1.5}, {"recommends", 1.4}, {"helpful", 1.9}, {"useful", 1.9},
    {"easy", 1.9}, {"easier", 1.7}, {"easily", 1.4}, {"effortless", 2.0}, {"convenient", 1.9},
    {"reliable", 2.0}, {"reliably", 1.7}, {"reliability", 1.5}, {"robust", 1.6}, {"stable", 1.5},
    {"fast", 1.4}, {"faster", 1.3}, {"fastest", 1.6}, {"quick", 1.2}, {"quickly", 1.0},
    {"speedy", 1.5}, {"snappy", 1.6}, {"smooth", 1.6}, {"smoothly", 1.6}, {"seamless", 2.0},
    {"seamlessly", 1.9}, {"responsive", 1.5}, {"intuitive", 1.8}, {"elegant", 2.1}, {"polished", 1.6},
    {"solid", 1.5}, {"sturdy", 1.5}, {"durable", 1.8}, {"efficient", 1.8}, {"efficiently", 1.6},
    {"affordable", 1.5}, {"worth", 1.3}, {"worthwhile", 1.8}, {"valuable", 2.1}, {"bargain", 1.5},
    {"friendly", 2.2}, {"polite", 1.5}, {"courteous", 2.0}, {"professional", 1.5}, {"knowledgeable", 1.8},
    {"attentive", 1.7}, {"supportive", 2.0}, {"promptly", 1.5}, {"timely", 1.5}, {"handy", 1.8},
    {"powerful", 1.8}, {"capable", 1.6}, {"accurate", 1.6}, {"accurately", 1.4}, {"precise", 1.3},
    {"secure", 1.4}, {"safe", 1.9}, {"clean", 1.7}, {"tidy", 1.3}, {"comfy", 1.9},
    {"crisp", 1.2}, {"lightweight", 1.0}, {"usable", 1.2}, {"versatile", 1.6}, {"refreshing", 1.9},
    {"commendable", 2.2}, {"dependable", 2.0}, {"generous", 2.3}, {"flexible", 1.4}, {"spotless", 2.0},

    // ---- Outcomes and news --------------------------------------------
    {"success", 2.7}, {"successful", 2.7}, {"successfully", 2.3}, {"succeeded", 2.2}, {"win", 2.8},
    {"wins", 2.7}, {"winner", 2.8}, {"winning", 2.4}, {"fixed", 1.1}, {"resolved", 1.5},
    {"restored", 1.2}, {"recovered", 1.2}, {"recovery", 1.5}, {"improved", 1.9}, {"improvement", 1.7},
    {"improvements", 1.7}, {"improves", 1.6}, {"improving", 1.6}, {"benefit", 2.0}, {"benefits", 1.8},
    {"beneficial", 1.9}, {"advantage", 1.6}, {"profit", 1.5}, {"profitable", 1.9}, {"growth", 1.2},
    {"boost", 1.3}, {"boosted", 1.5}, {"welcome", 2.0}, {"welcomed", 1.8}, {"celebrate", 2.7},
    {"celebrated", 2.4}, {"achievement", 2.3}, {"achieved", 1.8}, {"encouraging", 2.0}, {"breakthrough", 2.2},
    {"strengthened", 1.6}, {"upgraded", 1.1}, {"solved", 1.5}, {"thriving", 2.3}, {"rewarding", 2.2},

    // ---- General criticism --------------------------------------------
    {"bad", -2.5}, {"terrible", -2.5}, {"awful", -2.0}, {"horrible", -2.5}, {"horrendous", -2.8},
    {"dreadful", -2.7}, {"poor", -2.1}, {"poorly", -1.8}, {"worse", -2.1}, {"worst", -3.1},
    {"lousy", -2.5}, {"mediocre", -1.0}, {"inferior", -1.7}, {"pathetic", -2.3}, {"ridiculous", -1.5},
    {"absurd", -1.3}, {"stupid", -2.4}, {"junk", -1.8}, {"garbage", -2.1}, {"trash", -1.9},
    {"crap", -1.6}, {"sucks", -1.5}, {"sucked", -2.0}, {"ugly", -2.3}, {"dirty", -1.9},
    {"boring", -1.3}, {"bored", -1.1}, {"tedious", -1.4}, {"shoddy", -2.1}, {"subpar", -1.8},
    {"unacceptable", -2.0}, {"disgraceful", -2.9}, {"embarrassing", -1.9}, {"shameful", -2.5}, {"negative", -2.1},
    {"negatively", -1.9}, {"wrong", -2.1}, {"incorrect", -1.5}, {"inaccurate", -1.5}, {"mistake", -1.4},
    {"mistakes", -1.4}, {"misleading", -1.8}, {"deceptive", -2.0}, {"dishonest", -2.2}, {"fake", -2.1},
    {"weak", -1.9}, {"inadequate", -1.7}, {"insufficient", -1.2}, {"lacking", -1.3}, {"lacks", -1.3},
    {"overrated", -1.5}, {"gross", -2.1}, {"nasty", -2.6}, {"disgusting", -2.9}, {"meh", -0.8},

    // ---- Feelings ------------------------------------------------------
    {"hate", -2.7}, {"hated", -3.2}, {"hates", -1.9}, {"hating", -2.3}, {"dislike", -1.6},
    {"disliked", -1.7}, {"dislikes", -1.7}, {"disappointed", -1.9}, {"disappointing", -2.2}, {"disappointment", -2.3},
    {"disappoints", -2.0}, {"frustrating", -2.0}, {"frustrated", -2.3}, {"frustration", -2.1}, {"annoying", -1.7},
    {"annoyed", -1.6}, {"irritating", -2.0}, {"irritated", -1.7}, {"angry", -2.3}, {"anger", -2.7},
    {"furious", -2.7}, {"outraged", -2.5}, {"upset", -1.6}, {"sad", -2.1}, {"sadly", -1.9},
    {"unhappy", -1.8}, {"miserable", -2.8}, {"regret", -1.9}, {"regrets", -1.6}, {"unfortunately", -1.5},
    {"unfortunate", -1.7}, {"worried", -1.2}, {"worry", -1.6}, {"worrying", -1.4}, {"concern", -0.9},
    {"concerns", -1.0}, {"concerned", -1.0}, {"fear", -2.2}, {"fears", -1.8}, {"afraid", -2.0},
    {"scared", -1.9}, {"stressful", -1.7}, {"agonizing", -2.5}, {"stressed", -1.4}, {"tired", -1.9},
    {"confusing", -1.3}, {"confused", -1.3}, {"painful", -1.9}, {"pain", -2.3}, {"sorry", -0.5},
    {"complain", -1.6}, {"complained", -1.7}, {"complaint", -1.5}, {"complaints", -1.7}, {"blame", -1.4},
    {"disgusted", -2.4}, {"helpless", -2.0}, {"hopeless", -2.5}, {"panic", -2.3}, {"embarrassed", -1.5},

    // ---- Products and service -----------------------------------------
    {"broken", -2.0}, {"broke", -1.7}, {"useless", -1.8}, {"worthless", -1.9}, {"waste", -1.8},
    {"wasted", -2.2}, {"pointless", -1.7}, {"slow", -1.3}, {"slower", -1.1}, {"slowest", -1.4},
    {"slowly", -0.6}, {"sluggish", -1.6}, {"laggy", -1.8}, {"lag", -1.2}, {"lagging", -1.3},
    {"unresponsive", -1.9}, {"unstable", -1.7}, {"unreliable", -2.0}, {"flaky", -1.8}, {"buggy", -2.0},
    {"bug", -1.3}, {"bugs", -1.3}, {"glitch", -1.3}, {"glitches", -1.3}, {"glitchy", -1.7},
    {"clunky", -1.4}, {"awkward", -1.2}, {"complicated", -1.0}, {"difficult", -1.5}, {"cumbersome", -1.5},
    {"outdated", -1.3}, {"obsolete", -1.2}, {"expensive", -1.2}, {"overpriced", -2.0}, {"pricey", -0.8},
    {"flimsy", -1.8}, {"defective", -2.1}, {"faulty", -1.9}, {"damaged", -1.9}, {"cracked", -1.4},
    {"noisy", -1.3}, {"rude", -2.0}, {"unhelpful", -1.9}, {"unprofessional", -2.0}, {"incompetent", -2.3},
    {"careless", -1.5}, {"lazy", -1.5}, {"ignored", -1.6}, {"unusable", -2.2}, {"inconvenient", -1.4},
    {"inconvenience", -1.5}, {"hassle", -1.5}, {"nuisance", -1.6}, {"mess", -1.6}, {"messy", -1.5},
    {"nightmare", -2.8}, {"scam", -2.5}, {"fraud", -2.9}, {"ripoff", -2.2}, {"refund", -0.6},
    {"spoiled", -1.7}, {"stuck", -1.3}, {"missing", -1.2}, {"missed", -1.2}, {"uncomfortable", -1.6},
    {"leaking", -1.5}, {"overheats", -1.8}, {"overheating", -1.8}, {"drains", -1.0}, {"unintuitive", -1.5},

    // ---- Incidents and operations -------------------------------------
    {"outage", -2.0}, {"outages", -2.0}, {"downtime", -1.8}, {"crash", -2.2}, {"crashed", -2.2},
    {"crashes", -1.9}, {"crashing", -2.0}, {"fail", -2.3}, {"failed", -2.3}, {"fails", -1.9},
    {"failing", -2.3}, {"failure", -2.3}, {"failures", -2.1}, {"error", -1.5}, {"errors", -1.5},
    {"problem", -1.7}, {"problems", -1.7}, {"problematic", -1.9}, {"issue", -0.8}, {"issues", -0.8},
    {"incident", -0.9}, {"incidents", -1.0}, {"disruption", -1.8}, {"disruptions", -1.8}, {"disrupted", -1.8},
    {"interrupted", -1.2}, {"unavailable", -1.4}, {"inaccessible", -1.4}, {"degraded", -1.8}, {"degradation", -1.7},
    {"timeout", -1.2}, {"timeouts", -1.3}, {"freeze", -1.1}, {"freezes", -1.4}, {"frozen", -0.9},
    {"hangs", -1.1}, {"corrupted", -2.1}, {"corruption", -2.2}, {"lost", -1.3}, {"loss", -1.3},
    {"losses", -1.4}, {"leak", -1.4}, {"leaked", -1.6}, {"breach", -2.0}, {"breached", -2.0},
    {"vulnerability", -1.6}, {"vulnerable", -1.5}, {"exploit", -1.5}, {"attack", -2.1}, {"attacked", -2.1},
    {"hacked", -2.0}, {"malware", -2.1}, {"spam", -1.5}, {"delay", -1.3}, {"delayed", -1.4},
    {"delays", -1.3}, {"rejected", -1.4}, {"denied", -1.1}, {"refused", -1.2}, {"blocked", -1.2},
    {"panicked", -2.2}, {"severe", -1.6}, {"severely", -1.6}, {"catastrophic", -3.0}, {"catastrophe", -3.2},
    {"disaster", -3.1}, {"disastrous", -2.9}, {"chaos", -2.0}, {"chaotic", -2.0}, {"crisis", -3.1},
    {"risk", -1.1}, {"risky", -1.5}, {"dangerous", -2.1}, {"danger", -2.4}, {"threat", -2.4},
    {"unbearable", -2.6}, {"malfunction", -1.9}, {"malfunctioning", -1.9}, {"unplanned", -0.8}, {"erratic", -1.6},
    {"regression", -1.3}, {"regressions", -1.3}, {"flapping", -1.0}, {"overloaded", -1.4}, {"throttled", -1.0},

    // ---- Outcomes and news --------------------------------------------
    {"worsened", -1.9}, {"worsening", -1.9}, {"decline", -1.1}, {"declined", -0.8}, {"declining", -1.2},
    {"plunged", -1.6}, {"collapse", -2.1}, {"collapsed", -2.0}, {"recession", -1.9}, {"layoffs", -1.9},
    {"bankrupt", -2.6}, {"bankruptcy", -2.6}, {"killed", -2.2}, {"death", -2.9}, {"died", -2.6},
    {"dead", -2.0}, {"injured", -2.1}, {"injury", -2.2}, {"hurt", -2.4}, {"harm", -2.5},
    {"harmful", -2.2}, {"toxic", -2.1}, {"abusive", -3.2}, {"hostile", -2.2}, {"violence", -3.1},
    {"war", -2.9}, {"steal", -2.2}, {"stolen", -2.2}, {"theft", -2.2}, {"banned", -1.6},
    {"lawsuit", -1.5}, {"scandal", -2.4}, {"shortage", -1.5}, {"shortages", -1.5}, {"penalty", -1.6},
};

}  // namespace

const std::vector<LexiconEntry>& lexicon() { return entries; }

std::optional<double> valence_of(std::string_view lower_word) {
    // Built once, on first use; thread-safe since C++11.
    static const std::unordered_map<std::string_view, double> lookup = [] {
        std::unordered_map<std::string_view, double> map;
        for (const auto& entry : entries) map.emplace(entry.word, entry.valence);
        return map;
    }();
    auto found = lookup.find(lower_word);
    if (found == lookup.end()) return std::nullopt;
    return found->second;
}

}  // namespace sentiment
