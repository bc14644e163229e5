// Unfolding inputs with libarchive. A packed stream (one whose first bytes
// are a compression or archive magic number) is opened as an archive with
// every filter and format libarchive knows, plus its "raw" format, which
// stands for a compressed file that is not an archive. Readers get each
// stream as a std::FILE* (fopencookie over archive_read_data), so they read
// a member exactly as they read a file.
#include "indexer/readers/input.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

namespace bibkg::indexer {
namespace {

// Format detection looks at this much of a stream.
constexpr size_t kHeadBytes = 64 * 1024;
// Buffer of the stdio stream over a member, and of reads from a file.
constexpr size_t kBufferBytes = 256 * 1024;

// A stream of bytes to unfold. Read() returns the number of bytes read, 0
// at the end, -1 on an error (then error() says what).
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual ssize_t Read(char* buf, size_t n) = 0;
  const std::string& error() const { return error_; }

 protected:
  std::string error_;
};

class FileBytes final : public ByteSource {
 public:
  explicit FileBytes(std::FILE* f) : f_(f) {}
  ssize_t Read(char* buf, size_t n) override {
    size_t got = std::fread(buf, 1, n, f_);
    if (got == 0 && std::ferror(f_)) {
      error_ = std::strerror(errno);
      return -1;
    }
    return static_cast<ssize_t>(got);
  }

 private:
  std::FILE* f_;
};

// The data of the archive entry whose header was read last.
class MemberBytes final : public ByteSource {
 public:
  explicit MemberBytes(struct archive* a) : a_(a) {}
  ssize_t Read(char* buf, size_t n) override {
    la_ssize_t got = archive_read_data(a_, buf, n);
    if (got < 0) {
      const char* e = archive_error_string(a_);
      error_ = e ? e : "damaged data";
      return -1;
    }
    return static_cast<ssize_t>(got);
  }

 private:
  struct archive* a_;
};

// The bytes of `rest` again from the start: `head` (already read from
// `rest`) first, then what follows it. An error of `rest` reads as the end
// of the data, and is kept in error(), so that a reader sees a cut stream
// (and reports the record it cuts) rather than a failed one.
class Replay final : public ByteSource {
 public:
  Replay(std::string head, ByteSource* rest)
      : head_(std::move(head)), rest_(rest) {}
  ssize_t Read(char* buf, size_t n) override {
    if (pos_ < head_.size()) {
      size_t k = std::min(n, head_.size() - pos_);
      std::memcpy(buf, head_.data() + pos_, k);
      pos_ += k;
      position_ += k;
      return static_cast<ssize_t>(k);
    }
    if (!error_.empty()) return 0;
    ssize_t got = rest_->Read(buf, n);
    if (got < 0) {
      error_ = rest_->error();
      return 0;
    }
    position_ += static_cast<uint64_t>(got);
    return got;
  }
  uint64_t position() const { return position_; }
  const std::string& head() const { return head_; }

 private:
  std::string head_;
  size_t pos_ = 0;
  uint64_t position_ = 0;
  ByteSource* rest_;
};

ssize_t CookieRead(void* cookie, char* buf, size_t n) {
  return static_cast<Replay*>(cookie)->Read(buf, n);
}

// Only what ftell() asks: the current position.
int CookieSeek(void* cookie, off64_t* offset, int whence) {
  auto* r = static_cast<Replay*>(cookie);
  uint64_t pos = r->position();
  if ((whence == SEEK_CUR && *offset == 0) ||
      (whence == SEEK_SET && static_cast<uint64_t>(*offset) == pos)) {
    *offset = static_cast<off64_t>(pos);
    return 0;
  }
  errno = ESPIPE;
  return -1;
}

// Reads up to kHeadBytes from `src`.
std::string ReadHead(ByteSource* src, bool* failed) {
  std::string head(kHeadBytes, '\0');
  size_t have = 0;
  while (have < head.size()) {
    ssize_t got = src->Read(head.data() + have, head.size() - have);
    if (got < 0) {
      *failed = true;
      break;
    }
    if (got == 0) break;
    have += static_cast<size_t>(got);
  }
  head.resize(have);
  return head;
}

struct ArchiveCloser {
  void operator()(struct archive* a) const { archive_read_free(a); }
};

// libarchive's read callback over a ByteSource.
struct Upstream {
  ByteSource* src;
  std::vector<char> buf = std::vector<char>(kBufferBytes);
};

la_ssize_t UpstreamRead(struct archive* a, void* client, const void** out) {
  auto* up = static_cast<Upstream*>(client);
  ssize_t got = up->src->Read(up->buf.data(), up->buf.size());
  if (got < 0) {
    archive_set_error(a, EIO, "%s", up->src->error().c_str());
    return -1;
  }
  *out = up->buf.data();
  return static_cast<la_ssize_t>(got);
}

class Walker {
 public:
  Walker(const InputSink& sink, const InputErrorSink& on_error,
         const InputOptions& options)
      : sink_(sink), on_error_(on_error), options_(options) {}

  absl::Status Path(const std::string& path);

 private:
  absl::Status File(const std::string& path);
  // Unfolds the bytes of `src` (named `name`, from the file `path`).
  absl::Status Unfold(ByteSource* src, const std::string& name,
                      const std::string& path, uint64_t size, int depth);
  absl::Status Archive(Replay* bytes, const std::string& name,
                       const std::string& path, int depth);
  absl::Status Deliver(Replay* bytes, const std::string& name,
                       const std::string& path, uint64_t size);
  void Error(const std::string& name, const std::string& message) {
    if (on_error_) on_error_(name, message);
  }

  const InputSink& sink_;
  const InputErrorSink& on_error_;
  const InputOptions& options_;
};

absl::Status Walker::Path(const std::string& path) {
  std::error_code ec;
  std::filesystem::file_status st = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(st)) {
    return absl::NotFoundError(absl::StrCat(
        path, ": cannot read: ", ec ? ec.message() : "no such file"));
  }
  if (!std::filesystem::is_directory(st)) return File(path);
  std::vector<std::string> files;
  std::filesystem::recursive_directory_iterator it(path, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    if (it->is_symlink(ec)) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(ec)) files.push_back(it->path().string());
  }
  if (ec)
    Error(path, absl::StrCat("cannot list the directory: ", ec.message()));
  std::sort(files.begin(), files.end());
  for (const std::string& f : files) {
    absl::Status s = File(f);
    if (absl::IsNotFound(s)) {
      Error(f, std::string(s.message()));
      continue;
    }
    BIBKG_RETURN_IF_ERROR(s);
  }
  return absl::OkStatus();
}

absl::Status Walker::File(const std::string& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(
      std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat(path, ": cannot open: ", std::strerror(errno)));
  }
  std::error_code ec;
  uint64_t size = std::filesystem::file_size(path, ec);
  if (ec) size = 0;
  FileBytes bytes(in.get());
  bool failed = false;
  std::string head = ReadHead(&bytes, &failed);
  if (failed) {
    return absl::UnavailableError(
        absl::StrCat(path, ": read error: ", bytes.error()));
  }
  if (LooksPacked(head) && options_.max_nesting > 0) {
    Replay replay(std::move(head), &bytes);
    return Archive(&replay, path, path, 1);
  }
  // A plain file is read through its own stream, which seeks and is read
  // at full speed.
  std::rewind(in.get());
  InputStream stream;
  stream.name = path;
  stream.path = path;
  stream.head = head;
  stream.in = in.get();
  stream.size = size;
  return sink_(stream);
}

absl::Status Walker::Unfold(ByteSource* src, const std::string& name,
                            const std::string& path, uint64_t size, int depth) {
  bool failed = false;
  std::string head = ReadHead(src, &failed);
  Replay replay(std::move(head), src);
  if (failed) {
    Error(name, absl::StrCat("damaged data: ", src->error()));
    return absl::OkStatus();
  }
  if (LooksPacked(replay.head()) && depth < options_.max_nesting) {
    return Archive(&replay, name, path, depth + 1);
  }
  return Deliver(&replay, name, path, size);
}

absl::Status Walker::Archive(Replay* bytes, const std::string& name,
                             const std::string& path, int depth) {
  std::unique_ptr<struct archive, ArchiveCloser> a(archive_read_new());
  if (!a) return absl::ResourceExhaustedError("cannot start libarchive");
  archive_read_support_filter_all(a.get());
  archive_read_support_format_all(a.get());
  archive_read_support_format_raw(a.get());
  Upstream up{bytes};
  if (archive_read_open(a.get(), &up, nullptr, UpstreamRead, nullptr) !=
      ARCHIVE_OK) {
    Error(name, absl::StrCat("cannot unpack: ",
                             archive_error_string(a.get())
                                 ? archive_error_string(a.get())
                                 : "unknown compression or archive format"));
    return absl::OkStatus();
  }
  struct archive_entry* entry = nullptr;
  for (;;) {
    int r = archive_read_next_header(a.get(), &entry);
    if (r == ARCHIVE_EOF) break;
    if (r == ARCHIVE_RETRY) continue;
    if (r < ARCHIVE_WARN) {
      const char* e = archive_error_string(a.get());
      Error(name, absl::StrCat("damaged archive: ", e ? e : "unreadable",
                               r == ARCHIVE_FATAL ? "; the rest is not read"
                                                  : "; member skipped"));
      if (r == ARCHIVE_FATAL) break;
      continue;
    }
    bool raw = archive_format(a.get()) == ARCHIVE_FORMAT_RAW;
    if (!raw && archive_entry_filetype(entry) != AE_IFREG) continue;
    std::string member = raw ? name
                             : absl::StrCat(name, "!",
                                            archive_entry_pathname(entry)
                                                ? archive_entry_pathname(entry)
                                                : "?");
    uint64_t size = !raw && archive_entry_size_is_set(entry)
                        ? static_cast<uint64_t>(std::max<la_int64_t>(
                              0, archive_entry_size(entry)))
                        : 0;
    MemberBytes data(a.get());
    absl::Status s;
    if (raw && archive_filter_count(a.get()) <= 1) {
      // Magic bytes, but neither compressed nor an archive: read as is.
      bool failed = false;
      Replay plain(ReadHead(&data, &failed), &data);
      s = Deliver(&plain, member, path, 0);
    } else {
      s = Unfold(&data, member, path, size, depth);
    }
    BIBKG_RETURN_IF_ERROR(s);
    if (raw) break;
  }
  if (!bytes->error().empty()) {
    Error(name, absl::StrCat("read error: ", bytes->error()));
  }
  return absl::OkStatus();
}

absl::Status Walker::Deliver(Replay* bytes, const std::string& name,
                             const std::string& path, uint64_t size) {
  cookie_io_functions_t io{CookieRead, nullptr, CookieSeek, nullptr};
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(
      fopencookie(bytes, "r", io), &std::fclose);
  if (!in) return absl::ResourceExhaustedError("cannot open a stream");
  std::setvbuf(in.get(), nullptr, _IOFBF, kBufferBytes);
  InputStream stream;
  stream.name = name;
  stream.path = path;
  stream.head = bytes->head();
  stream.in = in.get();
  stream.size = size;
  stream.unpacked = true;
  BIBKG_RETURN_IF_ERROR(sink_(stream));
  if (!bytes->error().empty()) {
    Error(name, absl::StrCat("damaged compressed data after byte ",
                             bytes->position(), ": ", bytes->error(),
                             "; what was read before it is kept"));
  }
  return absl::OkStatus();
}

}  // namespace

bool LooksPacked(std::string_view head) {
  auto starts = [&](std::string_view magic) { return head.starts_with(magic); };
  using namespace std::string_view_literals;
  if (starts("\x1F\x8B"sv) ||  // gzip
      starts("BZh"sv) ||       // bzip2
      starts("\xFD"
             "7zXZ\0"sv) ||              // xz
      starts("\x5D\0\0"sv) ||            // lzma
      starts("\x28\xB5\x2F\xFD"sv) ||    // zstd
      starts("\x04\x22\x4D\x18"sv) ||    // lz4
      starts("\x1F\x9D"sv) ||            // compress (.Z)
      starts("PK\x03\x04"sv) ||          // zip
      starts("PK\x05\x06"sv) ||          // empty zip
      starts("7z\xBC\xAF\x27\x1C"sv)) {  // 7-Zip
    return true;
  }
  // tar (POSIX and GNU): "ustar" at byte 257 of the first header.
  return head.size() >= 262 && head.substr(257, 5) == "ustar";
}

absl::Status ForEachInput(const std::string& path, const InputSink& sink,
                          const InputErrorSink& on_error,
                          const InputOptions& options) {
  Walker walker(sink, on_error, options);
  return walker.Path(path);
}

}  // namespace bibkg::indexer
