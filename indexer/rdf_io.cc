#include "indexer/rdf_io.h"

#include <cstdarg>

#include <serd/serd.h>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "indexer/vocab.h"

namespace bibkg::indexer {
namespace {

// Quads buffered per chunk before a graph's quads are handed on in parts.
constexpr size_t kMaxChunk = 50000;

std::string NodeString(const SerdNode* n) {
  return std::string(reinterpret_cast<const char*>(n->buf), n->n_bytes);
}

struct ReadState {
  const Source* source;
  const RecordSink* sink;
  const SyntaxErrorSink* on_error;
  const ByteProgress* progress;
  std::FILE* in;
  absl::Status status;
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
  std::string g = (graph != nullptr && graph->buf != nullptr) ? NodeString(graph)
                                                             : st->source->uri;
  if (st->have_chunk && (g != st->chunk_graph || st->chunk.triples.size() >= kMaxChunk)) {
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
  }
  st->chunk.triples.push_back({*std::move(s), *std::move(p), *std::move(o)});
  if (++st->statements % 65536 == 0 && st->progress && *st->progress) {
    (*st->progress)(static_cast<uint64_t>(std::ftell(st->in)));
  }
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
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  (*st->on_error)(error->line, msg);
  return SERD_SUCCESS;
}

}  // namespace

absl::Status ReadNQuads(const Source& source, std::FILE* in, const RecordSink& sink,
                        const SyntaxErrorSink& on_error, const ByteProgress& progress) {
  ReadState st{&source, &sink, &on_error, &progress, in, absl::OkStatus(), {}, {}, false,
               {}, 0};
  SerdReader* reader = serd_reader_new(SERD_NQUADS, &st, nullptr, nullptr, nullptr,
                                       OnStatement, nullptr);
  // Lax: a malformed line is reported and skipped, the rest is read.
  serd_reader_set_strict(reader, false);
  serd_reader_set_error_sink(reader, OnError, &st);
  SerdStatus rc = serd_reader_read_file_handle(
      reader, in, reinterpret_cast<const uint8_t*>(source.path.c_str()));
  serd_reader_free(reader);
  if (!st.status.ok()) return st.status;
  (void)rc;  // syntax errors were reported line by line through on_error
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

absl::Status WriteRdf(const store::ReadView& view, RdfFormat format, std::FILE* out) {
  if (format == RdfFormat::kNQuads) return WriteNQuads(view, out);
  SerdEnv* env = serd_env_new(nullptr);
  const std::pair<const char*, const char*> prefixes[] = {
      {"rdf", vocab::kRdf},       {"xsd", vocab::kXsd},       {"dcterms", vocab::kDcterms},
      {"bibo", vocab::kBibo},     {"fabio", vocab::kFabio},   {"cito", vocab::kCito},
      {"frapo", vocab::kFrapo},   {"foaf", vocab::kFoaf},     {"skos", vocab::kSkos},
      {"schema", vocab::kSchema}, {"prov", vocab::kProv},     {"bibkg", vocab::kBibkg}};
  SerdSyntax syntax = format == RdfFormat::kTrig ? SERD_TRIG : SERD_TURTLE;
  SerdWriter* writer = serd_writer_new(
      syntax, static_cast<SerdStyle>(SERD_STYLE_ABBREVIATED | SERD_STYLE_CURIED), env,
      nullptr, serd_file_sink, out);
  for (const auto& [name, iri] : prefixes) {
    SerdNode n = serd_node_from_string(SERD_LITERAL, reinterpret_cast<const uint8_t*>(name));
    SerdNode u = serd_node_from_string(SERD_URI, reinterpret_cast<const uint8_t*>(iri));
    serd_env_set_prefix(env, &n, &u);
    serd_writer_set_prefix(writer, &n, &u);
  }
  // Turtle has no graphs: order by subject so that the writer can group.
  store::QuadPattern all;
  absl::Status status;
  auto write = [&](const store::Quad& q) {
    SerdTerm s = ToSerd(q.s), p = ToSerd(q.p), o = ToSerd(q.o), g = ToSerd(q.g);
    SerdStatus rc = serd_writer_write_statement(
        writer, 0, syntax == SERD_TRIG ? &g.node : nullptr, &s.node, &p.node, &o.node,
        o.datatype.buf ? &o.datatype : nullptr, o.lang.buf ? &o.lang : nullptr);
    if (rc != SERD_SUCCESS) {
      status = absl::InternalError(absl::StrCat("RDF writer failed on ", q.s.ToNTriples()));
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
