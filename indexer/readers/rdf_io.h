// RDF in and out: N-Triples / N-Quads read with serd (streaming, bounded
// memory), and a store exported as N-Quads, Turtle or TriG.
#ifndef BIBKG_INDEXER_READERS_RDF_IO_H_
#define BIBKG_INDEXER_READERS_RDF_IO_H_

#include <cstdio>
#include <functional>
#include <string>

#include "absl/status/status.h"
#include "indexer/mapping/record.h"
#include "store/store.h"

namespace bibkg::indexer {

// Called with each chunk of consecutive quads of one graph. The first chunk of
// a graph in the file has mode kReplace, later ones kAdd, so a file replaces
// every graph it names. Triples without a graph (N-Triples) go to the graph
// `<source uri>`. A non-OK status stops the read and is returned.
using RecordSink = std::function<absl::Status(Record&)>;
// Called for each malformed line; reading goes on with the next line.
using SyntaxErrorSink =
    std::function<void(uint64_t line, const std::string& message)>;
// Called now and then with the bytes read so far.
using ByteProgress = std::function<void(uint64_t bytes)>;

absl::Status ReadNQuads(const Source& source, std::FILE* in,
                        const RecordSink& sink, const SyntaxErrorSink& on_error,
                        const ByteProgress& progress = nullptr);

enum class RdfFormat { kNQuads, kTurtle, kTrig };
// Writes every quad of `view`. N-Quads is one quad per line in the order of
// the graph index; Turtle merges all graphs into one (graphs are lost); TriG
// keeps them.
absl::Status WriteRdf(const store::ReadView& view, RdfFormat format,
                      std::FILE* out);

}  // namespace bibkg::indexer

#endif  // BIBKG_INDEXER_READERS_RDF_IO_H_
