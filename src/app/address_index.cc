// Address search (address_index.h).
#include "app/address_index.h"

#include <algorithm>
#include <charconv>
#include <set>
#include <tuple>

#include "core/enum_text.h"

namespace est::app {
namespace {

// At most this many matching keys are ranked for one query: a two-letter prefix of a large
// register stays bounded, and the best hits (exact, then by street) come from the first keys.
constexpr size_t kMaxCandidates = 4000;

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

// "12b" -> (12, "b"); "" -> (0, "").
std::pair<long, std::string_view> SplitNumber(std::string_view n) {
  long value = 0;
  auto [p, ec] = std::from_chars(n.data(), n.data() + n.size(), value);
  if (ec != std::errc()) return {0, n};
  return {value, n.substr(static_cast<size_t>(p - n.data()))};
}

// The query's main part normalized, with "12 b" joined to "12b" (as numbers are keyed).
std::string NormalizeQuery(std::string_view q) {
  std::string n = AddressIndex::Normalize(q);
  if (n.size() >= 4 && n[n.size() - 2] == ' ' &&
      std::isalpha(static_cast<unsigned char>(n.back())) &&
      std::isdigit(static_cast<unsigned char>(n[n.size() - 3]))) {
    n.erase(n.size() - 2, 1);
  }
  return n;
}

bool LastTokenIsNumber(std::string_view n) {
  const size_t sp = n.rfind(' ');
  return sp != std::string_view::npos && sp + 1 < n.size() &&
         std::isdigit(static_cast<unsigned char>(n[sp + 1]));
}

}  // namespace

std::string AddressIndex::Normalize(std::string_view text) {
  const std::string folded = FoldText(text);
  std::string out;
  out.reserve(folded.size());
  bool space = true;  // drops leading spaces
  for (char ch : folded) {
    const auto c = static_cast<unsigned char>(ch);
    const bool keep = c >= 0x80 || std::isalnum(c);
    if (keep) {
      out += ch;
      space = false;
    } else if (!space) {
      out += ' ';
      space = true;
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string AddressIndex::Label(const Address& a, bool with_number) {
  std::string s = a.street;
  if (with_number && !a.number.empty()) s += " " + a.number;
  if (!a.locality.empty()) s += ", " + a.locality;
  return s;
}

AddressIndex::AddressIndex(std::vector<Address> addresses) : addresses_(std::move(addresses)) {
  folded_locality_.reserve(addresses_.size());
  keys_.reserve(addresses_.size() + addresses_.size() / 4);
  for (size_t i = 0; i < addresses_.size(); ++i) {
    const Address& a = addresses_[i];
    folded_locality_.push_back(Normalize(a.locality));
    std::string number = Normalize(a.number);
    std::erase(number, ' ');
    const std::string text = Normalize(a.street) + (number.empty() ? "" : " " + number);
    const auto idx = static_cast<uint32_t>(i);
    // Later words of the street: "gamla malmvagen 3" is also found from "malmvagen 3".
    const size_t street_end = text.size() - (number.empty() ? 0 : number.size() + 1);
    for (size_t p = text.find(' '); p != std::string::npos && p < street_end;
         p = text.find(' ', p + 1)) {
      keys_.push_back({text.substr(p + 1), idx, true});
    }
    keys_.push_back({text, idx, false});
  }
  std::sort(keys_.begin(), keys_.end(), [](const Key& x, const Key& y) {
    return std::tie(x.text, x.secondary, x.address) < std::tie(y.text, y.secondary, y.address);
  });
}

std::vector<AddressHit> AddressIndex::Search(std::string_view query, size_t limit) const {
  std::vector<AddressHit> out;
  if (limit == 0) return out;
  const size_t comma = query.find(',');
  const std::string q = NormalizeQuery(query.substr(0, comma));
  const std::string locality =
      comma == std::string_view::npos ? "" : Normalize(query.substr(comma + 1));
  if (q.size() < 2) return out;
  const bool has_number = LastTokenIsNumber(q);

  struct Candidate {
    const Key* key;
    bool exact;
    long number = 0;          // the house number's digits (SplitNumber), parsed once
    std::string_view letter;  // and what follows them
  };
  std::vector<Candidate> found;
  std::set<uint32_t> seen;
  auto it = std::lower_bound(keys_.begin(), keys_.end(), q,
                             [](const Key& k, const std::string& v) { return k.text < v; });
  for (; it != keys_.end() && StartsWith(it->text, q) && found.size() < kMaxCandidates; ++it) {
    if (!locality.empty() && !StartsWith(folded_locality_[it->address], locality)) continue;
    if (!seen.insert(it->address).second) continue;
    const auto [number, letter] = SplitNumber(addresses_[it->address].number);
    found.push_back({&*it, it->text == q, number, letter});
  }
  auto rank = [&](const Candidate& c) {
    return std::make_tuple(!c.exact, c.key->secondary,
                           std::string_view(addresses_[c.key->address].street),
                           std::string_view(folded_locality_[c.key->address]), c.number, c.letter);
  };
  std::sort(found.begin(), found.end(),
            [&](const Candidate& x, const Candidate& y) { return rank(x) < rank(y); });

  if (!has_number) {
    // One street hit per (street, locality), at its middle address, before the numbers.
    struct Street {
      std::vector<uint32_t> members;
    };
    std::vector<std::pair<std::pair<std::string_view, std::string_view>, Street>> streets;
    for (const Candidate& c : found) {
      const Address& a = addresses_[c.key->address];
      std::pair<std::string_view, std::string_view> k{a.street, a.locality};
      auto s = std::find_if(streets.begin(), streets.end(),
                            [&](const auto& e) { return e.first == k; });
      if (s == streets.end()) {
        streets.push_back({k, {}});
        s = streets.end() - 1;
      }
      s->second.members.push_back(c.key->address);
    }
    for (const auto& [k, s] : streets) {
      if (out.size() >= limit) break;
      // A street of one address is that address, listed below.
      if (s.members.size() < 2) continue;
      const Address& mid = addresses_[s.members[s.members.size() / 2]];
      out.push_back({Label(mid, false), &mid, true});
    }
  }
  for (const Candidate& c : found) {
    if (out.size() >= limit) break;
    const Address& a = addresses_[c.key->address];
    out.push_back({Label(a), &a, false});
  }
  return out;
}

std::vector<AddressHit> AddressIndex::Resolve(std::string_view query) const {
  std::vector<AddressHit> out;
  const size_t comma = query.find(',');
  const std::string q = NormalizeQuery(query.substr(0, comma));
  const std::string locality =
      comma == std::string_view::npos ? "" : Normalize(query.substr(comma + 1));
  if (q.size() < 2) return out;
  auto it = std::lower_bound(keys_.begin(), keys_.end(), q,
                             [](const Key& k, const std::string& v) { return k.text < v; });
  for (; it != keys_.end() && it->text == q; ++it) {
    if (it->secondary) continue;
    if (!locality.empty() && !StartsWith(folded_locality_[it->address], locality)) continue;
    const Address& a = addresses_[it->address];
    out.push_back({Label(a), &a, false});
  }
  return out;
}

}  // namespace est::app
