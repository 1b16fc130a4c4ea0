// Word lists of the personal-data scrubber (ingest/scrub.h): common Swedish first names and
// surnames, written for EST from general knowledge of which names are common in Sweden (not copied
// from any published table). All entries are lower case UTF-8.
//
// Thread-safe (immutable data).
#ifndef EST_INGEST_SCRUB_NAMES_H_
#define EST_INGEST_SCRUB_NAMES_H_

#include <string_view>

namespace est::ingest::scrub_names {

enum class NameKind {
  kNone,
  kFirst,             // "anna": a name wherever it stands capitalised
  kFirstAmbiguous,    // "per", "björn", "klara": also an everyday word; a name only in context
  kSurname,           // "svensson": a name even alone
  kSurnameAmbiguous,  // "berg", "lind", "holm": also a word or place; a name only after a first
                      // name
};

// The kind of a folded (lower-case) word.
NameKind Lookup(std::string_view folded_word);

}  // namespace est::ingest::scrub_names

#endif  // EST_INGEST_SCRUB_NAMES_H_
