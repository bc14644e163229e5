#include "indexer/readers/rdf_io.h"

#include <serd/serd.h>

#include <cstdarg>
#include <cstring>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "text/vocab.h"

namespace bibkg::indexer {
namespace {

// Quads buffered per chunk before a graph's quads are handed on in parts.
constexpr size_t kMaxChunk = 50000;
// The longest line read; a longer one is reported and skipped.
constexpr size_t kMaxLine = 1 << 20;
constexpr uint64_t kLinesPerReader = 1 << 16;

std::string NodeString(const SerdNode* n) {
  return std::string(reinterpret_cast<const char*>(n->buf), n->n_bytes);
}

struct ReadState {
  const Source* source = nullptr;
  const RecordSink* sink = nullptr;
  const SyntaxErrorSink* on_error = nullptr;
  const ByteProgress* progress = nullptr;
  std::FILE* in = nullptr;
  absl::Status status;
  uint64_t line = 0;
  Record chunk;
  std::string chunk_graph;
  bool have_chunk = false;
  absl::flat_hash_set<std::string> seen_graphs;
  uint64_t statements = 0;

  absl::Status EmitChunk() {
    if (!have_chunk) return absl::OkStatus();
    have_chunk = false;
    absl::Status s = (*sink)(chunk);
    chunk = Record();
    return s;
  }
};

absl::StatusOr<store::Term> ToTerm(const SerdNode* n, const SerdNode* datatype,
                                   const SerdNode* lang) {
  switch (n->type) {
    case SERD_URI:
      return store::Term::Iri(NodeString(n));
    case SERD_BLANK:
      return store::Term::Blank(NodeString(n));
    case SERD_LITERAL:
      if (lang != nullptr && lang->buf != nullptr) {
        return store::Term::LangLiteral(NodeString(n), NodeString(lang));
      }
      if (datatype != nullptr && datatype->buf != nullptr) {
        return store::Term::Typed(NodeString(n), NodeString(datatype));
      }
      return store::Term::Literal(NodeString(n));
    default:
      return absl::InvalidArgumentError("prefixed names are not N-Quads");
  }
}

SerdStatus OnStatement(void* handle, SerdStatementFlags, const SerdNode* graph,
                       const SerdNode* subject, const SerdNode* predicate,
                       const SerdNode* object, const SerdNode* datatype,
                       const SerdNode* lang) {
  auto* st = static_cast<ReadState*>(handle);
  absl::StatusOr<store::Term> s = ToTerm(subject, nullptr, nullptr);
  absl::StatusOr<store::Term> p = ToTerm(predicate, nullptr, nullptr);
  absl::StatusOr<store::Term> o = ToTerm(object, datatype, lang);
  if (!s.ok() || !p.ok() || !o.ok()) return SERD_SUCCESS;
  std::string g = (graph != nullptr && graph->buf != nullptr)
                      ? NodeString(graph)
                      : st->source->uri;
  if (st->have_chunk &&
      (g != st->chunk_graph || st->chunk.triples.size() >= kMaxChunk)) {
    st->status = st->EmitChunk();
    if (!st->status.ok()) return SERD_ERR_UNKNOWN;
  }
  if (!st->have_chunk) {
    st->have_chunk = true;
    st->chunk_graph = g;
    st->chunk.id = g;
    st->chunk.graph = (graph != nullptr && graph->type == SERD_BLANK)
                          ? store::Term::Blank(g)
                          : store::Term::Iri(g);
    st->chunk.mode = st->seen_graphs.insert(g).second ? Record::Mode::kReplace
                                                      : Record::Mode::kAdd;
    st->chunk.triples.reserve(kMaxChunk);
  }
  st->chunk.triples.push_back({*std::move(s), *std::move(p), *std::move(o)});
  return SERD_SUCCESS;
}

SerdStatus OnError(void* handle, const SerdError* error) {
  auto* st = static_cast<ReadState*>(handle);
  char buf[512];
  va_list args;
  va_copy(args, *error->args);
  std::vsnprintf(buf, sizeof buf, error->fmt, args);
  va_end(args);
  std::string msg(buf);
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' '))
    msg.pop_back();
  // serd sees one line at a time; the line number is ours.
  (*st->on_error)(st->line, msg);
  return SERD_SUCCESS;
}

}  // namespace

absl::Status ReadNQuads(const Source& source, std::FILE* in,
                        const RecordSink& sink, const SyntaxErrorSink& on_error,
                        const ByteProgress& progress) {
  ReadState st;
  st.source = &source;
  st.sink = &sink;
  st.on_error = &on_error;
  st.progress = &progress;
  st.in = in;
  // serd keeps a little of each string it reads until the reader is freed:
  // a fresh reader every kLinesPerReader lines bounds that.
  auto new_reader = [&st] {
    SerdReader* r = serd_reader_new(SERD_NQUADS, &st, nullptr, nullptr, nullptr,
                                    OnStatement, nullptr);
    serd_reader_set_strict(r, true);
    serd_reader_set_error_sink(r, OnError, &st);
    return r;
  };
  SerdReader* reader = new_reader();
  uint64_t reader_lines = 0;
  // N-Quads is line-based: each line goes to serd on its own, so a malformed
  // line (an unterminated string, say) is reported and cannot swallow the
  // lines after it. Lines longer than kMaxLine are refused, which bounds
  // memory whatever the input.
  std::string line;
  char buf[1 << 16];
  size_t n;
  bool too_long = false;
  auto finish_line = [&]() -> bool {
    ++st.line;
    if (too_long) {
      on_error(st.line,
               absl::StrCat("line longer than ", kMaxLine, " bytes; skipped"));
      too_long = false;
      line.clear();
      return true;
    }
    size_t first = line.find_first_not_of(" \t\r");
    if (first != std::string::npos && line[first] != '#') {
      if (++reader_lines == kLinesPerReader) {
        serd_reader_free(reader);
        reader = new_reader();
        reader_lines = 0;
      }
      serd_reader_read_string(reader,
                              reinterpret_cast<const uint8_t*>(line.c_str()));
    }
    line.clear();
    return st.status.ok();
  };
  bool ok = true;
  while (ok && (n = std::fread(buf, 1, sizeof buf, in)) > 0) {
    size_t pos = 0;
    while (ok && pos < n) {
      const char* nl =
          static_cast<const char*>(std::memchr(buf + pos, '\n', n - pos));
      size_t end = nl ? static_cast<size_t>(nl - buf) : n;
      if (!too_long) {
        if (line.size() + (end - pos) > kMaxLine) {
          too_long = true;
          line.clear();
        } else {
          line.append(buf + pos, end - pos);
        }
      }
      pos = end;
      if (nl) {
        ++pos;
        ok = finish_line();
      }
    }
    if (progress) progress(static_cast<uint64_t>(std::ftell(in)));
  }
  if (ok && (!line.empty() || too_long)) ok = finish_line();
  serd_reader_free(reader);
  if (!st.status.ok()) return st.status;
  if (std::ferror(in)) {
    return absl::UnavailableError(absl::StrCat(source.path, ": read error"));
  }
  return st.EmitChunk();
}

// ---------------------------------------------------------------------------
// Writing

namespace {

struct SerdTerm {
  SerdNode node = SERD_NODE_NULL;
  SerdNode datatype = SERD_NODE_NULL;
  SerdNode lang = SERD_NODE_NULL;
};

SerdTerm ToSerd(const store::Term& t) {
  SerdTerm out;
  auto u8 = [](const std::string& s) {
    return reinterpret_cast<const uint8_t*>(s.c_str());
  };
  switch (t.kind) {
    case store::Term::Kind::kIri:
      out.node = serd_node_from_string(SERD_URI, u8(t.value));
      break;
    case store::Term::Kind::kBlank:
      out.node = serd_node_from_string(SERD_BLANK, u8(t.value));
      break;
    case store::Term::Kind::kLiteral:
      out.node = serd_node_from_string(SERD_LITERAL, u8(t.value));
      break;
    case store::Term::Kind::kLangLiteral:
      out.node = serd_node_from_string(SERD_LITERAL, u8(t.value));
      out.lang = serd_node_from_string(SERD_LITERAL, u8(t.extra));
      break;
    case store::Term::Kind::kTypedLiteral:
      out.node = serd_node_from_string(SERD_LITERAL, u8(t.value));
      out.datatype = serd_node_from_string(SERD_URI, u8(t.extra));
      break;
  }
  return out;
}

absl::Status WriteNQuads(const store::ReadView& view, std::FILE* out) {
  std::string line;
  absl::Status io;
  absl::Status s = view.Scan({}, [&](const store::Quad& q) {
    line.clear();
    absl::StrAppend(&line, q.s.ToNTriples(), " ", q.p.ToNTriples(), " ",
                    q.o.ToNTriples(), " ", q.g.ToNTriples(), " .\n");
    if (std::fwrite(line.data(), 1, line.size(), out) != line.size()) {
      io = absl::UnavailableError("write failed (disk full or closed pipe?)");
      return false;
    }
    return true;
  });
  if (!s.ok()) return s;
  return io;
}

}  // namespace

absl::Status WriteRdf(const store::ReadView& view, RdfFormat format,
                      std::FILE* out) {
  if (format == RdfFormat::kNQuads) return WriteNQuads(view, out);
  SerdEnv* env = serd_env_new(nullptr);
  const std::pair<const char*, const char*> prefixes[] = {
      {"rdf", vocab::kRdf},         {"xsd", vocab::kXsd},
      {"dcterms", vocab::kDcterms}, {"bibo", vocab::kBibo},
      {"fabio", vocab::kFabio},     {"cito", vocab::kCito},
      {"frapo", vocab::kFrapo},     {"foaf", vocab::kFoaf},
      {"skos", vocab::kSkos},       {"schema", vocab::kSchema},
      {"prov", vocab::kProv},       {"bibkg", vocab::kBibkg}};
  SerdSyntax syntax = format == RdfFormat::kTrig ? SERD_TRIG : SERD_TURTLE;
  SerdWriter* writer = serd_writer_new(
      syntax,
      static_cast<SerdStyle>(SERD_STYLE_ABBREVIATED | SERD_STYLE_CURIED), env,
      nullptr, serd_file_sink, out);
  for (const auto& [name, iri] : prefixes) {
    SerdNode n = serd_node_from_string(SERD_LITERAL,
                                       reinterpret_cast<const uint8_t*>(name));
    SerdNode u =
        serd_node_from_string(SERD_URI, reinterpret_cast<const uint8_t*>(iri));
    serd_env_set_prefix(env, &n, &u);
    serd_writer_set_prefix(writer, &n, &u);
  }
  // Turtle has no graphs: order by subject so that the writer can group.
  store::QuadPattern all;
  absl::Status status;
  auto write = [&](const store::Quad& q) {
    SerdTerm s = ToSerd(q.s), p = ToSerd(q.p), o = ToSerd(q.o), g = ToSerd(q.g);
    SerdStatus rc = serd_writer_write_statement(
        writer, 0, syntax == SERD_TRIG ? &g.node : nullptr, &s.node, &p.node,
        &o.node, o.datatype.buf ? &o.datatype : nullptr,
        o.lang.buf ? &o.lang : nullptr);
    if (rc != SERD_SUCCESS) {
      status = absl::InternalError(
          absl::StrCat("RDF writer failed on ", q.s.ToNTriples()));
      return false;
    }
    return true;
  };
  absl::Status scan = view.Scan(all, write);
  serd_writer_finish(writer);
  serd_writer_free(writer);
  serd_env_free(env);
  std::fflush(out);
  if (!scan.ok()) return scan;
  return status;
}

}  // namespace bibkg::indexer
