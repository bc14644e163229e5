// Small helpers over libxml2 tree nodes, shared by the XML readers.
#ifndef BIBKG_INDEXER_READERS_XML_UTIL_H_
#define BIBKG_INDEXER_READERS_XML_UTIL_H_

#include <libxml/tree.h>

#include <string>
#include <string_view>

#include "text/normalize.h"

namespace bibkg::indexer::xml {

inline std::string_view Name(const xmlNode* n) {
  return n && n->name ? reinterpret_cast<const char*>(n->name) : "";
}
inline std::string_view Ns(const xmlNode* n) {
  return n && n->ns && n->ns->href ? reinterpret_cast<const char*>(n->ns->href)
                                   : "";
}
inline std::string Text(const xmlNode* n) {
  xmlChar* c = xmlNodeGetContent(n);
  if (!c) return "";
  std::string out = text::Nfc(reinterpret_cast<const char*>(c));
  xmlFree(c);
  return out;
}
// The node's text with white space collapsed; empty for a null node.
inline std::string TextOf(const xmlNode* n) {
  return n ? text::CollapseSpace(Text(n)) : "";
}
inline std::string Attr(const xmlNode* n, const char* name) {
  xmlChar* c = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
  if (!c) return "";
  std::string out(reinterpret_cast<const char*>(c));
  xmlFree(c);
  return out;
}
inline std::string Lang(const xmlNode* n) {
  xmlChar* c = xmlNodeGetLang(n);
  if (!c) return "";
  std::string out(reinterpret_cast<const char*>(c));
  xmlFree(c);
  return text::ToIso639_1(out.substr(0, out.find('-')));
}
template <typename F>
void ForChildren(const xmlNode* n, F f) {
  for (const xmlNode* c = n ? n->children : nullptr; c; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) f(c);
  }
}
inline const xmlNode* Child(const xmlNode* n, std::string_view name) {
  for (const xmlNode* c = n ? n->children : nullptr; c; c = c->next) {
    if (c->type == XML_ELEMENT_NODE && Name(c) == name) return c;
  }
  return nullptr;
}

}  // namespace bibkg::indexer::xml

#endif  // BIBKG_INDEXER_READERS_XML_UTIL_H_
