// Words about people: given names, titles, roles and attribution verbs.
// The given-name list spans common English, European, Latin American,
// African, Arabic, South and East Asian names; it is evidence, not proof,
// so names that are also everyday words ("Will", "Hope") are left out.
#include "gazetteers.hpp"

#include <unordered_set>

namespace entity_extractor::gazetteer {

namespace {

using WordSet = std::unordered_set<std::string_view>;

const WordSet& first_names() {
    static const WordSet words = {
        "aaron", "abdul", "abigail", "adam", "adrian", "ahmed", "aisha", "alan", "albert", "alejandro",
        "alex", "alexander", "alexandra", "alexis", "ali", "alice", "alicia", "alison", "amanda", "amber",
        "amelia", "amir", "amit", "amy", "ana", "anastasia", "andrea", "andreas", "andrew", "andy", "angela",
        "anil", "anita", "ann", "anna", "anne", "anthony", "antonio", "anya", "arjun", "arthur", "ashley",
        "aurora", "barbara", "ben", "benjamin", "bernard", "beth", "bill", "bob", "brandon", "brenda",
        "brian", "bruce", "bruno", "caitlin", "carl", "carla", "carlos", "carmen", "carol", "caroline",
        "catherine", "charles", "charlie", "charlotte", "chen", "chloe", "chris", "christian", "christina",
        "christine", "christopher", "claire", "claudia", "colin", "craig", "cristina", "cynthia", "daniel",
        "daniela", "david", "deborah", "deepak", "denise", "dennis", "diana", "diego", "dmitri", "donald",
        "donna", "dorothy", "douglas", "dylan", "edward", "elena", "elizabeth", "ella", "ellen", "emily",
        "emma", "eric", "erik", "ethan", "eva", "evelyn", "fatima", "felix", "fernando", "fiona", "francesca",
        "francisco", "frank", "franz", "fred", "gabriel", "gabriela", "gary", "george", "georgia", "gerald",
        "giovanni", "giulia", "gloria", "gregory", "hana", "hannah", "hans", "harold", "harry", "hassan",
        "heather", "heinrich", "helen", "helena", "henry", "hiroshi", "hugo", "hussein", "ian", "ibrahim",
        "igor", "ingrid", "irene", "isaac", "isabel", "isabella", "ivan", "jack", "jacob", "james", "jamie",
        "jan", "jane", "janet", "jasmine", "jason", "javier", "jean", "jeffrey", "jennifer", "jens", "jeremy",
        "jessica", "jim", "joan", "joanna", "joe", "johann", "johannes", "john", "jonathan", "jorge", "josé",
        "jose", "joseph", "joshua", "joyce", "juan", "judith", "julia", "julian", "julie", "jürgen", "justin",
        "karen", "karim", "karl", "kate", "katherine", "kathleen", "katrin", "kavya", "keith", "kelly", "ken",
        "kenji", "kenneth", "kevin", "khalid", "kim", "klaus", "kumar", "kyle", "larry", "laura", "lauren",
        "lawrence", "layla", "leila", "leo", "leon", "li", "liam", "linda", "lisa", "lucas", "lucia", "lucy",
        "luis", "luca", "lukas", "magnus", "maria", "marie", "marco", "margaret", "mario", "marisol", "mark",
        "markus", "martha", "martin", "mary", "mateo", "matthew", "matthias", "maya", "megan", "mei",
        "melissa", "mia", "michael", "michelle", "miguel", "mikhail", "mohammed", "mohammad", "muhammad",
        "mohamed", "nadia", "nancy", "naomi", "natalia", "natalie", "nathan", "neha", "nicholas", "nicole",
        "nikolai", "nina", "noah", "nora", "olga", "oliver", "olivia", "omar", "oscar", "pablo", "pamela",
        "paolo", "patricia", "patrick", "paul", "paula", "pedro", "peter", "philip", "pierre", "pooja",
        "priya", "rachel", "rahul", "raj", "rajesh", "ralph", "ramon", "raymond", "rebecca", "richard",
        "rita", "robert", "roberto", "roger", "ronald", "rosa", "ruth", "ryan", "sabine", "sakura", "samir",
        "samuel", "sandra", "sanjay", "sara", "sarah", "scott", "sean", "sebastian", "sergei", "sergio",
        "sharon", "shirley", "simon", "sofia", "sophia", "sophie", "stefan", "stephanie", "stephen", "steve",
        "steven", "sunil", "susan", "takeshi", "tanya", "teresa", "terry", "thomas", "tim", "timothy", "tom",
        "tony", "tyler", "ursula", "valentina", "vanessa", "victor", "vijay", "vikram", "vincent", "virginia",
        "walter", "wang", "wei", "william", "wolfgang", "xavier", "yasmin", "yuki", "yusuf", "zachary",
        "zainab", "zhang", "zoe", "zoë",
    };
    return words;
}

const WordSet& person_titles() {
    static const WordSet words = {
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lord", "lady", "rev",
        "reverend", "fr", "sen", "senator", "rep", "representative", "gov", "governor", "pres", "president",
        "mayor", "minister", "chancellor", "secretary", "ambassador", "judge", "officer", "detective", "det",
        "sgt", "sergeant", "lt", "lieutenant", "capt", "captain", "col", "colonel", "cmdr", "commander", "adm",
        "admiral", "insp", "inspector", "supt", "superintendent", "ceo", "cfo", "cto", "coo", "cio", "ciso",
        "cmo", "chairman", "chairwoman", "chairperson", "director", "founder", "co-founder", "executive",
        "coach", "king", "queen", "prince", "princess", "pope", "sheikh", "emir", "dean", "rabbi", "imam",
        "pastor", "bishop", "cardinal", "archbishop", "nurse", "agent", "attorney", "commissioner", "chief",
    };
    return words;
}

const WordSet& title_modifiers() {
    static const WordSet words = {
        "prime",   "vice",      "deputy",  "senior", "assistant", "associate", "acting",
        "former",  "managing",  "general", "first",   "high",   "foreign",   "interior",  "defense",
        "defence", "finance",   "health",  "education", "state", "special",  "district",  "police",
    };
    return words;
}

const WordSet& role_nouns() {
    static const WordSet words = {
        "spokesperson", "spokesman", "spokeswoman", "analyst", "reporter", "correspondent", "engineer",
        "manager", "director", "founder", "co-founder", "cofounder", "chairman", "chairwoman", "president",
        "ceo", "cfo", "cto", "executive", "officer", "minister", "secretary", "author", "writer", "novelist",
        "poet", "actor", "actress", "singer", "musician", "artist", "player", "striker", "coach", "professor",
        "researcher", "scientist", "economist", "lawyer", "attorney", "judge", "detective", "inspector",
        "technician", "colleague", "administrator", "boss", "leader", "candidate", "senator", "governor",
        "mayor", "doctor", "physician", "nurse", "patient", "victim", "suspect", "witness", "teacher",
        "student", "employee", "contractor", "consultant", "developer", "designer", "architect", "investor",
        "entrepreneur", "billionaire", "journalist", "editor", "photographer", "presenter", "producer",
        "supervisor", "lead", "head", "chief",
    };
    return words;
}

const WordSet& attribution_verbs() {
    static const WordSet words = {
        "said",    "says",     "told",    "added",    "explained", "noted",    "wrote",  "stated",
        "commented", "recalled", "insisted", "argued", "warned",   "replied",  "asked",  "answered",
        "admitted", "acknowledged", "tweeted", "testified",
    };
    return words;
}

const WordSet& name_particles() {
    static const WordSet words = {"de", "da", "di", "del", "della", "der", "den", "van", "von", "la", "le",
                                  "du", "dos", "das", "bin", "ibn", "al", "ter", "ten", "zu", "y"};
    return words;
}

}  // namespace

bool is_first_name(std::string_view key) { return first_names().count(key) > 0; }
bool is_person_title(std::string_view key) { return person_titles().count(key) > 0; }
bool is_title_modifier(std::string_view key) { return title_modifiers().count(key) > 0; }
bool is_role_noun(std::string_view key) { return role_nouns().count(key) > 0; }
const WordSet& person_action_verbs() {
    static const WordSet words = {
        "leads",   "led",      "founded", "co-founded", "cofounded", "heads",  "headed",   "resigned",
        "retired", "married",  "stepped", "thinks",     "believes",  "chairs", "chaired",  "graduated",
    };
    return words;
}

bool is_attribution_verb(std::string_view key) { return attribution_verbs().count(key) > 0; }
bool is_person_action_verb(std::string_view key) { return person_action_verbs().count(key) > 0; }
bool is_name_particle(std::string_view key) { return name_particles().count(key) > 0; }

bool is_generational_suffix(std::string_view key) {
    return key == "jr" || key == "sr" || key == "ii" || key == "iii" || key == "iv";
}

}  // namespace entity_extractor::gazetteer
