// Input files as they come: plain files, compressed files (gzip, bzip2, xz,
// zstd, and whatever else libarchive decompresses), archives (tar, zip, cpio,
// 7z …, themselves compressed or not, members compressed or not), and
// directories walked recursively. Compression and archives are recognized
// from the content, never from the file name. Everything is streamed: a
// compressed file or an archive member is decompressed as it is read, so
// memory stays bounded whatever the size of the input.
//
// This is the only place that includes libarchive.
#ifndef BIBKG_INDEXER_READERS_INPUT_H_
#define BIBKG_INDEXER_READERS_INPUT_H_

#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace bibkg::indexer {

// One stream of input bytes: a plain file, a decompressed file or one member
// of an archive. Valid only during the InputSink call that receives it.
struct InputStream {
  // What messages call it: the path for a file (also one read from a
  // directory), "archive!member" for an archive member, and
  // "outer!inner!member" for an archive inside an archive.
  std::string name;
  // The file the bytes come from (for a file IRI); for a member, its
  // archive's path.
  std::string path;
  // The first bytes of the stream (up to 64 KiB), for format detection.
  // `in` still starts at byte 0: these bytes are read again from it.
  std::string_view head;
  // Read-only; ftell() gives the decompressed position. No seeking.
  std::FILE* in = nullptr;
  // The decompressed size when known (a plain file, an archive member whose
  // header says it), else 0.
  uint64_t size = 0;
  // True when the bytes come through a decompressor or an archive.
  bool unpacked = false;
};

// Called for each stream; a non-OK status ends the walk and is returned.
using InputSink = std::function<absl::Status(InputStream&)>;
// Called for each input that cannot be read: `name` as in InputStream,
// `message` saying why (a damaged archive, an unreadable file). The walk
// goes on with the next input.
using InputErrorSink =
    std::function<void(const std::string& name, const std::string& message)>;

// Limits on what one input may unfold into.
struct InputOptions {
  // Archives inside archives are opened this deep. Default: 4.
  int max_nesting = 4;
};

// Calls `sink` for every stream that `path` holds: the file itself, its
// decompressed content, each regular member of an archive (members that
// are compressed or archives themselves are unfolded in turn), or, for a
// directory, every file below it in name order. Symbolic links inside a
// directory are not followed.
// Returns NotFound when `path` does not exist or cannot be opened, the
// first non-OK status of `sink`, else OK (also when some inputs were
// reported to `on_error`).
absl::Status ForEachInput(const std::string& path, const InputSink& sink,
                          const InputErrorSink& on_error,
                          const InputOptions& options = {});

// True when `head` starts with the magic number of a compressed file or an
// archive that ForEachInput unfolds.
bool LooksPacked(std::string_view head);

}  // namespace bibkg::indexer

#endif  // BIBKG_INDEXER_READERS_INPUT_H_
