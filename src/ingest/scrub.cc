// The scrubber. A cheap pre-check skips the regular expressions for the common text without
// digits or '@', which keeps bulk imports fast.
#include "ingest/scrub.h"

#include <algorithm>
#include <cctype>
#include <regex>

namespace est::ingest {
namespace {

void Note(std::vector<std::string>& removed, const char* kind) {
  if (std::find(removed.begin(), removed.end(), kind) == removed.end()) removed.emplace_back(kind);
}

std::string DigitsOf(const std::string& s) {
  std::string d;
  for (char c : s) {
    if (std::isdigit(static_cast<unsigned char>(c))) d += c;
  }
  return d;
}

}  // namespace

bool LuhnValid(std::string_view ten) {
  if (ten.size() != 10) return false;
  int sum = 0;
  for (size_t i = 0; i < 10; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(ten[i]))) return false;
    int d = ten[i] - '0';
    if (i % 2 == 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 == 0;
}

ScrubResult ScrubPersonalData(std::string_view text) {
  ScrubResult out;
  out.text = std::string(text);
  bool has_digit = std::any_of(text.begin(), text.end(),
                               [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  bool has_at = text.find('@') != std::string_view::npos;
  if (!has_digit && !has_at) return out;

  if (has_at) {
    static const std::regex kEmail(R"([A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,})");
    std::string replaced = std::regex_replace(out.text, kEmail, "[e-postadress borttagen]");
    if (replaced != out.text) Note(out.removed, "e-postadress");
    out.text = std::move(replaced);
  }
  if (!has_digit) return out;

  // Personnummer: (YY)YYMMDD[-+ ]NNNN with a plausible date (day 61–91 = samordningsnummer) and a
  // valid Luhn digit over the 10-digit form.
  static const std::regex kPnr(
      R"((^|[^0-9])((19|20)?([0-9]{2})(0[1-9]|1[0-2])([0-9]{2})[-+ ]?([0-9]{4}))(?![0-9]))");
  {
    std::string result;
    auto begin = std::sregex_iterator(out.text.begin(), out.text.end(), kPnr);
    size_t last = 0;
    for (auto it = begin; it != std::sregex_iterator(); ++it) {
      const std::smatch& m = *it;
      int day = std::stoi(m[6].str());
      bool day_ok = (day >= 1 && day <= 31) || (day >= 61 && day <= 91);
      std::string ten = m[4].str() + m[5].str() + m[6].str() + m[7].str();
      if (!day_ok || !LuhnValid(ten)) continue;
      size_t start = static_cast<size_t>(m.position(2));
      result += out.text.substr(last, start - last);
      result += "[personnummer borttaget]";
      last = start + static_cast<size_t>(m.length(2));
      Note(out.removed, "personnummer");
    }
    if (last > 0) {
      result += out.text.substr(last);
      out.text = std::move(result);
    }
  }
  // Phone numbers: +46 or 0 followed by 6–11 more digits, with spaces or hyphens between groups.
  static const std::regex kPhone(
      R"((^|[^0-9A-Za-z])((\+46|0)[ \-]?[1-9]([ \-]?[0-9]){5,10})(?![0-9]))");
  {
    std::string result;
    size_t last = 0;
    for (auto it = std::sregex_iterator(out.text.begin(), out.text.end(), kPhone);
         it != std::sregex_iterator(); ++it) {
      const std::smatch& m = *it;
      std::string digits = DigitsOf(m[2].str());
      if (digits.size() < 8) continue;
      size_t start = static_cast<size_t>(m.position(2));
      result += out.text.substr(last, start - last);
      result += "[telefonnummer borttaget]";
      last = start + static_cast<size_t>(m.length(2));
      Note(out.removed, "telefonnummer");
    }
    if (last > 0) {
      result += out.text.substr(last);
      out.text = std::move(result);
    }
  }
  // Swedish registration plates: three letters, two digits, a digit or letter ("ABC 123",
  // "ABC12D").
  static const std::regex kPlate(R"(\b[A-HJ-PR-UW-Z]{3} ?[0-9]{2}[0-9A-HJ-PR-UW-Z]\b)");
  std::string replaced = std::regex_replace(out.text, kPlate, "[registreringsnummer borttaget]");
  if (replaced != out.text) Note(out.removed, "registreringsnummer");
  out.text = std::move(replaced);
  return out;
}

}  // namespace est::ingest
