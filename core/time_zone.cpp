#include "core/time_zone.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <vector>

#include "core/diagnostic.hpp"

namespace ananas {

namespace {

namespace fs = std::filesystem;

std::string zoneinfo_dir() {
  const char* dir = std::getenv("TZDIR");
  return dir && *dir ? dir : "/usr/share/zoneinfo";
}

// 'GMT+3', 'GMT-03', 'GMT+03:30': Java's ZoneId and TimeZone agree on these
// (hours up to 18, as java.time.ZoneOffset allows).
bool is_gmt_offset(const std::string& zone) {
  static const std::regex offset(R"(GMT[+-](\d{1,2})(:(\d{2}))?)");
  std::smatch m;
  if (!std::regex_match(zone, m, offset)) return false;
  const int hours = std::stoi(m[1].str());
  const int minutes = m[3].matched ? std::stoi(m[3].str()) : 0;
  return hours <= 18 && minutes < 60 && (hours < 18 || minutes == 0);
}

// A compiled zone file of the database ("TZif" magic), not one of its tables
// (zone.tab, tzdata.zi) nor the posix/ and right/ variants Java does not know.
bool is_tzdb_zone(const std::string& zone) {
  static const std::regex name(R"([A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*)");
  if (!std::regex_match(zone, name) || zone.rfind("posix/", 0) == 0 || zone.rfind("right/", 0) == 0) return false;
  std::ifstream in(fs::path(zoneinfo_dir()) / zone, std::ios::binary);
  char magic[4] = {};
  return in.read(magic, 4) && std::string(magic, 4) == "TZif";
}

// The zone files next to where `zone` would be, for a did-you-mean.
std::vector<std::string> neighbours(const std::string& zone) {
  std::vector<std::string> out;
  const size_t slash = zone.rfind('/');
  const std::string area = slash == std::string::npos ? "" : zone.substr(0, slash + 1);
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(fs::path(zoneinfo_dir()) / area, ec))
    if (e.is_regular_file(ec) || e.is_symlink(ec)) out.push_back(area + e.path().filename().string());
  return out;
}

}  // namespace

std::optional<std::string> time_zone_problem(const std::string& zone) {
  if (zone.empty()) return "a time zone must not be empty";
  if (zone == "UTC" || zone == "GMT" || is_gmt_offset(zone) || is_tzdb_zone(zone)) return std::nullopt;
  std::error_code ec;
  if (!fs::is_directory(zoneinfo_dir(), ec))
    return "cannot check time zone '" + zone + "': no time zone database at " + zoneinfo_dir() +
           " (install the tzdata package or set TZDIR); 'UTC' and offsets such as 'GMT+03:00' need none";
  std::string message = "unknown time zone '" + zone +
                        "': expected a time zone database ID such as 'Europe/Rome', 'UTC', or a fixed offset such as "
                        "'GMT+03:00'";
  if (const std::string hint = closest_match(zone, neighbours(zone)); !hint.empty())
    message += " (did you mean '" + hint + "'?)";
  return message;
}

bool is_utc_time_zone(const std::string& zone) {
  static const std::set<std::string> utc = {"UTC",          "GMT",           "UCT",        "Universal",  "Zulu",
                                            "GMT0",         "GMT+0",         "GMT-0",      "Greenwich",  "Etc/UTC",
                                            "Etc/GMT",      "Etc/UCT",       "Etc/Universal", "Etc/Zulu", "Etc/GMT0",
                                            "Etc/GMT+0",    "Etc/GMT-0",     "Etc/Greenwich"};
  static const std::regex zero_offset(R"(GMT[+-]0{1,2}(:00)?)");
  return utc.count(zone) > 0 || std::regex_match(zone, zero_offset);
}

}  // namespace ananas
