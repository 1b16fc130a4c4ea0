// Personal-data scrubber: what is removed, what is kept, and how the removal is reported.
#include "ingest/scrub.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace est::ingest {
namespace {

// Independent Luhn check digit for the first nine digits of YYMMDDNNN.
char LuhnDigit(const std::string& nine) {
  int sum = 0;
  for (size_t i = 0; i < 9; ++i) {
    int d = nine[i] - '0';
    if (i % 2 == 0) d *= 2;
    sum += d / 10 + d % 10;
  }
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

std::string WithCheckDigit(const std::string& nine) { return nine + LuhnDigit(nine); }
std::string WithWrongCheckDigit(const std::string& nine) {
  char good = LuhnDigit(nine);
  return nine + static_cast<char>(good == '9' ? '0' : good + 1);
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(Luhn, KnownAndComputedNumbers) {
  EXPECT_TRUE(LuhnValid("8112189876"));
  EXPECT_FALSE(LuhnValid("8112189875"));
  EXPECT_FALSE(LuhnValid("811218987"));    // 9 digits
  EXPECT_FALSE(LuhnValid("81121898760"));  // 11 digits
  EXPECT_FALSE(LuhnValid("81121898a6"));
  for (const std::string nine : {"640823323", "900101001", "121212121", "050607080"}) {
    SCOPED_TRACE(nine);
    EXPECT_TRUE(LuhnValid(WithCheckDigit(nine)));
    EXPECT_FALSE(LuhnValid(WithWrongCheckDigit(nine)));
  }
}

struct RemovedCase {
  std::string text;
  std::string gone;  // must not survive scrubbing
  std::string kind;  // the one kind reported
  std::string marker;
};

class ScrubRemoves : public ::testing::TestWithParam<RemovedCase> {};

TEST_P(ScrubRemoves, RemovesAndNamesTheKind) {
  const RemovedCase& c = GetParam();
  ScrubResult r = ScrubPersonalData(c.text);
  EXPECT_FALSE(Contains(r.text, c.gone)) << r.text;
  EXPECT_TRUE(Contains(r.text, c.marker)) << r.text;
  EXPECT_EQ(r.removed, std::vector<std::string>{c.kind}) << r.text;
}

const std::string kPnr = "[personnummer borttaget]";
const std::string kPhone = "[telefonnummer borttaget]";
const std::string kPlate = "[registreringsnummer borttaget]";
const std::string kMail = "[e-postadress borttagen]";

INSTANTIATE_TEST_SUITE_P(
    Cases, ScrubRemoves,
    ::testing::Values(
        RemovedCase{"Pojken 811218-9876 var där", "811218-9876", "personnummer", kPnr},
        RemovedCase{"pnr 8112189876.", "8112189876", "personnummer", kPnr},
        RemovedCase{"pnr 19811218-9876 igen", "19811218-9876", "personnummer", kPnr},
        RemovedCase{"pnr 198112189876", "198112189876", "personnummer", kPnr},
        RemovedCase{"hundraåring 811218+9876", "811218+9876", "personnummer", kPnr},
        RemovedCase{"computed " + WithCheckDigit("640823323") + " x", WithCheckDigit("640823323"),
                    "personnummer", kPnr},
        // Samordningsnummer: day + 60 (18 -> 78).
        RemovedCase{"snr " + WithCheckDigit("811278987").insert(6, "-"),
                    WithCheckDigit("811278987").insert(6, "-"), "personnummer", kPnr},
        RemovedCase{"Mejla anna.svensson@sollentuna.se snarast", "anna.svensson@", "e-postadress",
                    kMail},
        RemovedCase{"Ring 070-123 45 67 ikväll", "123 45 67", "telefonnummer", kPhone},
        RemovedCase{"Ring +46 70 123 45 67 ikväll", "123 45 67", "telefonnummer", kPhone},
        RemovedCase{"Växel 08-123 456 78.", "123 456 78", "telefonnummer", kPhone},
        RemovedCase{"mobil 0701234567", "0701234567", "telefonnummer", kPhone},
        RemovedCase{"Bilen ABC 123 stod kvar", "ABC 123", "registreringsnummer", kPlate},
        RemovedCase{"Bilen ABC12D stod kvar", "ABC12D", "registreringsnummer", kPlate}));

TEST(Scrub, InvalidCheckDigitIsKept) {
  for (const std::string& nine : {std::string("811218987"), std::string("640823323")}) {
    std::string text = "nummer " + WithWrongCheckDigit(nine).insert(6, "-") + " kvar";
    ScrubResult r = ScrubPersonalData(text);
    EXPECT_EQ(r.text, text);
    EXPECT_TRUE(r.removed.empty());
  }
}

TEST(Scrub, ImpossibleDateIsKeptEvenWithValidLuhn) {
  // Month 13 cannot be a personnummer, whatever the check digit says.
  std::string text = "kod " + WithCheckDigit("811318987");
  ScrubResult r = ScrubPersonalData(text);
  EXPECT_EQ(r.text, text);
  EXPECT_TRUE(r.removed.empty());
}

TEST(Scrub, PlainSwedishTextIsUntouched) {
  const std::vector<std::string> texts = {
      "Klotter på skolans vägg, kl 21.30 den 2026-11-20, 3 personer sprang mot stationen.",
      "Ungdomar samlades vid Tureberg kl 22:15, ca 15 st. Vecka 47 år 2026.",
      "Belysningen trasig sedan 2025-10-01; lampa nr 12 av 40 fungerar.",
      "Brand i papperskorg 19.45, släckt 19.52. Väktare på plats inom 10 min.",
      "Skadegörelse på 4 bilar i garaget, plan -1.",
      "Inget att rapportera.",
  };
  for (const std::string& t : texts) {
    SCOPED_TRACE(t);
    ScrubResult r = ScrubPersonalData(t);
    EXPECT_EQ(r.text, t);
    EXPECT_TRUE(r.removed.empty());
  }
}

TEST(Scrub, EachKindIsNamedOnceInOrderFound) {
  ScrubResult r = ScrubPersonalData(
      "811218-9876 och 19811218-9876, ring 070-123 45 67 eller 08-123 456 78, "
      "a@b.se c@d.se, bilar ABC 123 och DEF45G");
  std::vector<std::string> kinds = r.removed;
  std::sort(kinds.begin(), kinds.end());
  EXPECT_EQ(kinds, (std::vector<std::string>{"e-postadress", "personnummer", "registreringsnummer",
                                             "telefonnummer"}));
  for (const char* gone : {"9876", "45 67", "456 78", "@", "ABC 123", "DEF45G"}) {
    EXPECT_FALSE(Contains(r.text, gone)) << gone << " in " << r.text;
  }
}

TEST(Scrub, PersonnummerIsNotReportedAsPhoneNumber) {
  ScrubResult r = ScrubPersonalData("Pojken 811218-9876 var där");
  EXPECT_EQ(r.text, "Pojken " + kPnr + " var där");
}

// Long adversarial texts: the regex scrubber recursed once per character (a 30 kB description
// overflowed the stack) and needed seconds for 25 kB. The scanner must return, and still be right.
TEST(Scrub, LongDigitRunIsKeptWhole) {
  std::string digits(200000, '7');
  ScrubResult r = ScrubPersonalData(digits);
  EXPECT_EQ(r.text, digits);
  EXPECT_TRUE(r.removed.empty());
}

TEST(Scrub, ManyPhoneFragmentsAreScannedInOnePass) {
  std::string text;
  while (text.size() < 200000) text += "070-";
  text += " ring 070-123 45 67";
  ScrubResult r = ScrubPersonalData(text);
  EXPECT_EQ(r.removed, std::vector<std::string>{"telefonnummer"});
  EXPECT_FALSE(Contains(r.text, "123 45 67"));
}

TEST(Scrub, LongMixedTextRemovesEveryOccurrence) {
  const std::string unit = "Pojken 811218-9876 ringde 0701234567, a.b@c.se, bil ABC 123. ";
  std::string text;
  while (text.size() < 200000) text += unit;
  ScrubResult r = ScrubPersonalData(text);
  std::vector<std::string> kinds = r.removed;
  std::sort(kinds.begin(), kinds.end());
  EXPECT_EQ(kinds, (std::vector<std::string>{"e-postadress", "personnummer", "registreringsnummer",
                                             "telefonnummer"}));
  for (const char* gone : {"9876", "0701234567", "@", "ABC 123"}) {
    EXPECT_FALSE(Contains(r.text, gone)) << gone;
  }
}

TEST(Scrub, LongEmailLikeTextIsLinear) {
  std::string text(100000, 'a');
  text += "@";
  text += std::string(100000, 'b');
  ScrubResult r = ScrubPersonalData(text);
  EXPECT_EQ(r.text, text);  // no top-level domain: not an address
  text += ".se";
  r = ScrubPersonalData(text);
  EXPECT_EQ(r.text, "[e-postadress borttagen]");
}

}  // namespace
}  // namespace est::ingest
