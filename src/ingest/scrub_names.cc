// The name lists. Ambiguous entries are the names that are also ordinary Swedish words (or common
// abbreviations: "jan", "tim", "max"), so that "Per vecka" or "Björn sågs i skogen" keep their
// words.
#include "ingest/scrub_names.h"

#include <string>
#include <unordered_map>

namespace est::ingest::scrub_names {
namespace {

// The lists read better filled than one name per line.
// clang-format off
constexpr std::string_view kFirst[] = {
    // Women.
    "agnes", "agneta", "alexandra", "alice", "alicia", "alma", "alva", "amanda", "amina", "ann",
    "anna", "anne", "anneli", "annika", "anette", "annette", "astrid", "barbro", "birgitta",
    "britt", "camilla", "carina", "caroline", "cecilia", "charlotte", "ebba", "elin", "elina",
    "elisabet", "elisabeth", "ella", "ellen", "ellie", "elsa", "elvira", "emelie", "emilia", "emma",
    "ester", "eva", "fatima", "frida", "freja", "gun", "gunilla", "hanna", "helen", "helena",
    "ida", "ines", "inger", "ingrid", "irene", "isabella", "isabelle", "jennifer", "jenny",
    "jessica", "johanna", "josefin", "julia", "karin", "katarina", "kerstin", "kristina", "leila",
    "lena", "lilly", "lina", "linda", "lisa", "lotta", "louise", "lovisa", "madeleine", "maja", "malin",
    "margareta", "maria", "marie", "marianne", "matilda", "mia", "mikaela", "moa", "monica",
    "nathalie", "nellie", "nora", "olivia", "petra", "pia", "rebecka", "ronja", "sandra", "sara",
    "selma", "signe", "siv", "sofia", "sofie", "stella", "susanne", "thea", "therese", "tilda",
    "tyra", "ulla", "ulrika", "vera", "viktoria", "wilma", "yvonne", "zara", "åsa",
    // Men.
    "adam", "ahmed", "albin", "alexander", "alfred", "ali", "anders", "andreas", "anton", "arne",
    "arvid", "axel", "benjamin", "bengt", "bertil", "christer", "christian", "daniel", "david",
    "edvin", "elias", "emil", "erik", "filip", "folke", "fredrik", "gabriel", "gunnar", "gustav",
    "göran", "harald", "hassan", "henrik", "holger", "hugo", "hussein", "håkan", "ibrahim",
    "ingvar", "isak", "ivar", "jakob", "jacob", "jesper", "joakim", "johan", "johnny", "jonas",
    "jonathan", "jörgen", "kalle", "karl", "kent", "kevin", "kjell", "lars", "leif", "lennart",
    "leo", "liam", "linus", "lucas", "ludvig", "magnus", "malte", "marcus", "martin", "mats",
    "mattias", "melvin", "mikael", "mohamed", "mohammed", "mustafa", "måns", "niklas", "nils",
    "noah", "olle", "olof", "omar", "oscar", "oskar", "otto", "ove", "patrik", "pelle", "peter",
    "rasmus", "richard", "robert", "robin", "roger", "roland", "rolf", "rune", "samuel",
    "sebastian", "simon", "sixten", "stefan", "sune", "sven", "theo", "thomas", "tobias", "tomas",
    "tommy", "torbjörn", "ulf", "valter", "viktor", "vincent", "walter", "william", "yusuf",
    "örjan", "östen",
};

constexpr std::string_view kFirstAmbiguous[] = {
    "bo",    "bror", "björn", "dag",  "hans",  "inga", "jan",  "klara", "linnea", "liv",
    "love",  "maj",  "max",   "per",  "rosa", "rut",   "saga", "sten", "stig",  "tim",    "tor",
    "vide",  "åke",
};

constexpr std::string_view kSurname[] = {
    "abrahamsson", "andersson", "andreasson", "arvidsson", "axelsson", "bengtsson", "bergman",
    "berggren", "berglund", "bergqvist", "bergström", "björklund", "blomqvist", "carlsson",
    "claesson", "dahlberg", "danielsson", "ekberg", "eklund", "ekman", "ekström", "eliasson",
    "engström", "ericsson", "eriksson", "forsberg", "forsman", "fransson", "fredriksson",
    "gunnarsson", "gustafsson", "gustavsson", "hansen", "hansson", "hedberg", "hedlund",
    "hellström", "henriksson", "hermansson", "holmberg", "holmgren", "holmqvist", "holmström",
    "håkansson", "isaksson", "jakobsson", "jacobsson", "jansson", "johansson", "johnsson",
    "jonsson", "jönsson", "karlsson", "larsson", "lindahl", "lindberg", "lindblom", "lindgren",
    "lindholm", "lindqvist", "lindström", "lundberg", "lundgren", "lundin", "lundqvist",
    "lundström", "löfgren", "magnusson", "martinsson", "mattsson", "månsson", "mårtensson",
    "nilsson", "norberg", "nordin", "nordqvist", "nordström", "nyberg", "nyström", "olofsson",
    "olsson", "persson", "petersson", "pettersson", "pålsson", "samuelsson", "sandberg",
    "sandström", "sjögren", "sjöström", "strömberg", "sundberg", "sundqvist", "sundström",
    "svensson", "söderberg", "viklund", "wallin", "westerberg", "wikström", "yilmaz", "åberg",
    "åkesson", "öberg",
};

// Surnames that are also words or Swedish place names (Sjöberg is a district of Sollentuna).
constexpr std::string_view kSurnameAmbiguous[] = {
    "berg", "björk", "blom", "dahl", "ek", "falk", "holm", "lind", "lund", "sjöberg", "strand",
    "ström",
};

// clang-format on

const std::unordered_map<std::string_view, NameKind>& Table() {
  static const auto* table = [] {
    auto* t = new std::unordered_map<std::string_view, NameKind>();
    for (std::string_view w : kFirst) t->emplace(w, NameKind::kFirst);
    for (std::string_view w : kFirstAmbiguous) t->emplace(w, NameKind::kFirstAmbiguous);
    for (std::string_view w : kSurname) t->emplace(w, NameKind::kSurname);
    for (std::string_view w : kSurnameAmbiguous) t->emplace(w, NameKind::kSurnameAmbiguous);
    return t;
  }();
  return *table;
}

}  // namespace

NameKind Lookup(std::string_view folded_word) {
  const auto& t = Table();
  auto it = t.find(folded_word);
  return it == t.end() ? NameKind::kNone : it->second;
}

}  // namespace est::ingest::scrub_names
