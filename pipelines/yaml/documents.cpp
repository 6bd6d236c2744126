#include "pipelines/yaml/documents.hpp"

#include <sstream>
#include <string>

#include <yaml-cpp/eventhandler.h>

namespace ananas::pipeline::yaml {

namespace {

// Sees only where each document starts; keeps nothing else, so that the
// pass costs no memory however the text is made.
class DocumentStarts final : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override { start = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}

  YAML::Mark start = YAML::Mark::null_mark();
};

// Every document consumes at least one token (its `---` or its content), so
// it starts after the one before; one starting at the same place is yaml-cpp
// stuck on a token it cannot use, and LoadAll would repeat it forever.
void refuse_documents_that_make_no_progress(const SourceText& src) {
  std::istringstream in{std::string(src.text())};
  YAML::Parser parser(in);
  DocumentStarts starts;
  int previous = -1;
  while (parser.HandleNextDocument(starts)) {
    if (starts.start.pos != previous) {
      previous = starts.start.pos;
      continue;
    }
    const std::string_view text = src.text();
    const size_t bom = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    const size_t at = static_cast<size_t>(previous) + bom;
    const char c = at < text.size() ? text[at] : '\0';
    throw InputError(src.at(starts.start),
                     c == ','
                         ? std::string("YAML syntax error: ',' outside a flow collection ([ ] or { }) cannot start a node")
                         : std::string("YAML syntax error: no node can start here"));
  }
}

}  // namespace

std::vector<YAML::Node> parse_documents(const SourceText& src) {
  try {
    refuse_documents_that_make_no_progress(src);
    return YAML::LoadAll(std::string(src.text()));
  } catch (const YAML::ParserException& e) {
    throw InputError(src.at(e.mark), "YAML syntax error: " + e.msg);
  } catch (const YAML::Exception& e) {
    throw InputError(src.at(e.mark), "YAML error: " + e.msg);
  }
}

}  // namespace ananas::pipeline::yaml
