#include "ingest/reference.h"

#include <cctype>

#include "core/enum_text.h"

namespace est::ingest {

std::string FoldKey(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return FoldText(s.substr(b, e - b));
}

}  // namespace est::ingest
