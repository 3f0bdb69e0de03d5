// Text for XML and HTML (JUnit reports, SVG charts): & < > " ' escaped, and the
// control characters XML 1.0 forbids (all below U+0020 but tab and line feed) written
// as spaces.
#pragma once
#include <string>
#include <string_view>

namespace slac {

std::string xml_escape(std::string_view text);

}  // namespace slac
