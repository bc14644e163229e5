#include "indexer/mapping/record.h"

#include "text/normalize.h"

namespace bibkg::indexer {

bool Record::has_fatal() const {
  for (const Problem& p : problems) {
    if (p.fatal) return true;
  }
  return false;
}

void Record::Warn(std::string field, std::string message) {
  problems.push_back({std::move(field), std::move(message), false});
}

void Record::Fail(std::string field, std::string message) {
  problems.push_back({std::move(field), std::move(message), true});
}

void Record::AddIri(const std::string& s, const char* p, const std::string& o) {
  if (s.empty() || o.empty()) return;
  triples.push_back(
      {store::Term::Iri(s), store::Term::Iri(p), store::Term::Iri(o)});
}

void Record::AddLiteral(const std::string& s, const char* p,
                        std::string_view text, std::string_view lang) {
  std::string value = text::CollapseSpace(text);
  if (s.empty() || value.empty()) return;
  store::Term o = lang.empty()
                      ? store::Term::Literal(std::move(value))
                      : store::Term::LangLiteral(std::move(value), lang);
  triples.push_back({store::Term::Iri(s), store::Term::Iri(p), std::move(o)});
}

void Record::AddTyped(const std::string& s, const char* p,
                      std::string_view lexical, const std::string& datatype) {
  if (s.empty() || lexical.empty()) return;
  triples.push_back({store::Term::Iri(s), store::Term::Iri(p),
                     store::Term::Typed(std::string(lexical), datatype)});
}

store::Term GraphFor(const Source& source, std::string_view id) {
  return store::Term::Iri(source.uri + "#" + text::IriEscape(id));
}

}  // namespace bibkg::indexer
