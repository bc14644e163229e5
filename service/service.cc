#include "service/service.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "base/status_macros.h"
#include "query/engine.h"
#include "query/formats.h"
#include "service/status.h"
#include "store/topic_postings.h"

namespace bibkg::service {
namespace {

constexpr int kDefaultPageSize = 20;
constexpr int kMaxPageSize = 100;

// Page tokens are "o" followed by the offset of the page's first item.
absl::StatusOr<size_t> ParsePageToken(const std::string& token) {
  if (token.empty()) return 0;
  if (token.size() < 2 || token[0] != 'o' || token.size() > 12) {
    return absl::InvalidArgumentError(
        "malformed page_token; pass next_page_token unchanged");
  }
  size_t offset = 0;
  for (size_t i = 1; i < token.size(); ++i) {
    if (token[i] < '0' || token[i] > '9') {
      return absl::InvalidArgumentError(
          "malformed page_token; pass next_page_token unchanged");
    }
    offset = offset * 10 + static_cast<size_t>(token[i] - '0');
  }
  return offset;
}

// One page of a list: its first item and its length.
struct Page {
  size_t offset = 0;
  size_t size = 0;
};

absl::StatusOr<size_t> PageSize(int requested);

absl::StatusOr<Page> ParsePage(int page_size, const std::string& token) {
  Page page;
  BIBKG_ASSIGN_OR_RETURN(page.offset, ParsePageToken(token));
  BIBKG_ASSIGN_OR_RETURN(page.size, PageSize(page_size));
  return page;
}

std::string NextPageToken(size_t offset, size_t page, size_t total) {
  return offset + page < total ? absl::StrCat("o", offset + page) : "";
}

absl::StatusOr<size_t> PageSize(int requested) {
  if (requested < 0)
    return absl::InvalidArgumentError("page_size must not be negative");
  if (requested == 0) return kDefaultPageSize;
  return static_cast<size_t>(std::min(requested, kMaxPageSize));
}

void ToProto(const query::WorkSummary& w, v1::WorkSummary* out) {
  out->set_iri(w.iri);
  out->set_title(w.title);
  out->set_type(w.type);
  out->set_issued(w.issued);
  for (const auto& c : w.creators) out->add_creators(c);
  out->set_venue(w.venue);
  out->set_doi(w.doi);
}

void ToProto(const query::Text& t, v1::Text* out) {
  out->set_value(t.value);
  out->set_lang(t.lang);
}

void ToProto(const query::NamedNode& n, v1::NamedNode* out) {
  out->set_iri(n.iri);
  out->set_label(n.label);
}

void ToProto(const query::Work& w, v1::Work* out) {
  ToProto(w.summary, out->mutable_summary());
  for (const auto& t : w.types) out->add_types(t);
  for (const auto& t : w.titles) ToProto(t, out->add_titles());
  for (const auto& t : w.alternative_titles)
    ToProto(t, out->add_alternative_titles());
  for (const auto& c : w.creators) ToProto(c, out->add_creators());
  if (w.venue) ToProto(*w.venue, out->mutable_venue());
  for (const auto& i : w.issns) out->add_issns(i);
  out->set_volume(w.volume);
  out->set_issue(w.issue);
  out->set_page_start(w.page_start);
  out->set_page_end(w.page_end);
  for (const auto& s : w.subjects) ToProto(s, out->add_subjects());
  for (const auto& t : w.abstracts) ToProto(t, out->add_abstracts());
  for (const auto& t : w.descriptions) ToProto(t, out->add_descriptions());
  for (const auto& l : w.languages) out->add_languages(l);
  for (const auto& f : w.funders) ToProto(f, out->add_funders());
  if (w.programme) ToProto(*w.programme, out->mutable_programme());
  out->set_amount(w.amount);
  out->set_currency(w.currency);
  out->set_reference_count(w.reference_count);
  out->set_citation_count(w.citation_count);
  for (const auto& s : w.sources) out->add_sources(s);
}

// Finishes a callback-API unary call with the status `answer` returns,
// computed on the thread that read the request.
template <typename Answer>
grpc::ServerUnaryReactor* Reply(grpc::CallbackServerContext* ctx,
                                Answer&& answer) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  reactor->Finish(answer());
  return reactor;
}

// A funder given as an IRI or as a Crossref Funder Registry DOI.
absl::StatusOr<std::string> FunderIri(const std::string& id) {
  if (id.find("://") != std::string::npos) return id;
  if (id.rfind("10.", 0) == 0 || id.rfind("doi:", 0) == 0) {
    return "https://doi.org/" + id.substr(id.rfind("doi:", 0) == 0 ? 4 : 0);
  }
  return absl::InvalidArgumentError(
      "funder \"" + id + "\" is neither an IRI nor a Funder Registry DOI");
}

}  // namespace

BibkgService::BibkgService(store::Store* store, std::string token,
                           bool trust_client_certs)
    : store_(store), import_(store, std::move(token), trust_client_certs) {}

query::SharedView BibkgService::CurrentView() {
  std::shared_ptr<const store::ReadView> view = store_->SharedReadView();
  std::lock_guard<std::mutex> lock(view_mu_);
  if (current_view_.lock() != view || !current_cache_) {
    current_view_ = view;
    current_cache_ = std::make_shared<query::ViewCache>();
  }
  return {std::move(view), current_cache_};
}

absl::StatusOr<size_t> BibkgService::WarmSearch(const std::atomic<bool>* stop) {
  query::SharedView view = CurrentView();
  return query::Engine(view).WarmSearchEntries(stop);
}

grpc::ServerUnaryReactor* BibkgService::GetWork(
    grpc::CallbackServerContext* ctx, const v1::GetWorkRequest* req,
    v1::Work* resp) {
  return Reply(ctx, [&] { return AnswerGetWork(ctx, req, resp); });
}

grpc::Status BibkgService::AnswerGetWork(grpc::ServerContextBase* ctx,
                                         const v1::GetWorkRequest* req,
                                         v1::Work* resp) {
  if (ctx->IsCancelled()) return Gone(ctx);
  query::SharedView view = CurrentView();
  query::Engine engine(view);
  // GetWork's read of the work's statements tells whether it is known.
  absl::StatusOr<std::string> iri =
      engine.Resolve(req->id(), /*check_known=*/false);
  if (!iri.ok()) return ToGrpcStatus(iri.status());
  absl::StatusOr<query::Work> work =
      engine.GetWork(*iri, /*require_known=*/true);
  if (!work.ok()) return ToGrpcStatus(work.status());
  ToProto(*work, resp);
  return grpc::Status::OK;
}

grpc::Status BibkgService::Links(grpc::ServerContext* ctx,
                                 const v1::LinksRequest* req, bool incoming,
                                 v1::LinksResponse* resp) {
  if (ctx->IsCancelled()) return Gone(ctx);
  absl::StatusOr<Page> page = ParsePage(req->page_size(), req->page_token());
  if (!page.ok()) return ToGrpcStatus(page.status());
  query::SharedView view = CurrentView();
  query::Engine engine(view);
  absl::StatusOr<std::string> iri = engine.Resolve(req->id());
  if (!iri.ok()) return ToGrpcStatus(iri.status());
  size_t total = 0;
  absl::StatusOr<std::vector<query::Link>> links =
      engine.Links(*iri, incoming, page->offset, page->size, &total);
  if (!links.ok()) return ToGrpcStatus(links.status());
  for (const query::Link& link : *links) {
    v1::Link* l = resp->add_links();
    ToProto(link.work, l->mutable_work());
    l->set_relation(link.relation);
    l->set_source(link.source);
  }
  resp->set_total(total);
  resp->set_next_page_token(NextPageToken(page->offset, page->size, total));
  return grpc::Status::OK;
}

grpc::Status BibkgService::References(grpc::ServerContext* ctx,
                                      const v1::LinksRequest* req,
                                      v1::LinksResponse* resp) {
  return Links(ctx, req, false, resp);
}

grpc::Status BibkgService::CitedBy(grpc::ServerContext* ctx,
                                   const v1::LinksRequest* req,
                                   v1::LinksResponse* resp) {
  return Links(ctx, req, true, resp);
}

grpc::Status BibkgService::WorksByAuthor(grpc::ServerContext* ctx,
                                         const v1::WorksByAuthorRequest* req,
                                         v1::WorksResponse* resp) {
  if (ctx->IsCancelled()) return Gone(ctx);
  if (req->person().empty()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "person (an IRI) is required");
  }
  absl::StatusOr<Page> page = ParsePage(req->page_size(), req->page_token());
  if (!page.ok()) return ToGrpcStatus(page.status());
  query::SharedView view = CurrentView();
  query::Engine engine(view);
  absl::StatusOr<std::vector<query::WorkSummary>> works =
      engine.WorksByCreator(req->person());
  if (!works.ok()) return ToGrpcStatus(works.status());
  if (works->empty()) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND,
                        "no works by " + req->person());
  }
  for (size_t i = page->offset;
       i < works->size() && i < page->offset + page->size; ++i) {
    ToProto((*works)[i], resp->add_works());
  }
  resp->set_total(works->size());
  resp->set_next_page_token(
      NextPageToken(page->offset, page->size, works->size()));
  return grpc::Status::OK;
}

grpc::Status BibkgService::Projects(grpc::ServerContext* ctx,
                                    const v1::ProjectsRequest* req,
                                    v1::ProjectsResponse* resp) {
  if (ctx->IsCancelled()) return Gone(ctx);
  absl::StatusOr<Page> page = ParsePage(req->page_size(), req->page_token());
  if (!page.ok()) return ToGrpcStatus(page.status());
  query::ProjectFilter filter;
  if (!req->funder().empty()) {
    absl::StatusOr<std::string> funder = FunderIri(req->funder());
    if (!funder.ok()) return ToGrpcStatus(funder.status());
    filter.funder = *funder;
  }
  filter.programme = req->programme();
  filter.topic = req->topic();
  query::SharedView view = CurrentView();
  query::Engine engine(view);
  absl::StatusOr<std::vector<std::string>> projects =
      engine.FindProjects(filter);
  if (!projects.ok()) return ToGrpcStatus(projects.status());
  for (size_t i = page->offset;
       i < projects->size() && i < page->offset + page->size; ++i) {
    absl::StatusOr<query::ProjectInfo> info =
        engine.DescribeProject((*projects)[i]);
    if (!info.ok()) return ToGrpcStatus(info.status());
    v1::Project* p = resp->add_projects();
    ToProto(info->project, p->mutable_project());
    for (const auto& f : info->funders) ToProto(f, p->add_funders());
    if (info->programme) ToProto(*info->programme, p->mutable_programme());
    p->set_amount(info->amount);
    p->set_currency(info->currency);
    for (const auto& o : info->outputs) ToProto(o, p->add_outputs());
  }
  resp->set_total(projects->size());
  resp->set_next_page_token(
      NextPageToken(page->offset, page->size, projects->size()));
  return grpc::Status::OK;
}

grpc::ServerUnaryReactor* BibkgService::Search(grpc::CallbackServerContext* ctx,
                                               const v1::SearchRequest* req,
                                               v1::SearchResponse* resp) {
  return Reply(ctx, [&] { return AnswerSearch(ctx, req, resp); });
}

grpc::Status BibkgService::AnswerSearch(grpc::ServerContextBase* ctx,
                                        const v1::SearchRequest* req,
                                        v1::SearchResponse* resp) {
  if (ctx->IsCancelled()) return Gone(ctx);
  absl::StatusOr<Page> page = ParsePage(req->page_size(), req->page_token());
  if (!page.ok()) return ToGrpcStatus(page.status());
  if (req->query().size() > 4096) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "query longer than 4096 bytes");
  }
  query::SearchOptions o;
  o.query = req->query();
  o.types.assign(req->types().begin(), req->types().end());
  o.year_from = req->year_from();
  o.year_to = req->year_to();
  o.language = req->language();
  if (!req->funder().empty()) {
    absl::StatusOr<std::string> funder = FunderIri(req->funder());
    if (!funder.ok()) return ToGrpcStatus(funder.status());
    o.funder = *funder;
  }
  o.offset = page->offset;
  o.limit = page->size;
  query::SharedView view = CurrentView();
  query::Engine engine(view);
  absl::StatusOr<query::SearchResult> r = engine.Search(o);
  if (!r.ok()) return ToGrpcStatus(r.status());
  if (ctx->IsCancelled()) return Gone(ctx);
  for (const auto& h : r->hits) {
    v1::SearchHit* hit = resp->add_hits();
    ToProto(h.work, hit->mutable_work());
    hit->set_score(h.score);
    for (const auto& t : h.matched_terms) hit->add_matched_terms(t);
  }
  resp->set_total(r->total);
  resp->set_next_page_token(NextPageToken(page->offset, page->size, r->total));
  auto facets = [](const std::vector<query::Facet>& in,
                   google::protobuf::RepeatedPtrField<v1::FacetCount>* out) {
    for (const auto& f : in) {
      v1::FacetCount* c = out->Add();
      c->set_value(f.value);
      c->set_count(f.count);
    }
  };
  facets(r->by_type, resp->mutable_by_type());
  facets(r->by_year, resp->mutable_by_year());
  facets(r->by_subject, resp->mutable_by_subject());
  return grpc::Status::OK;
}

grpc::ServerUnaryReactor* BibkgService::RelatedWorks(
    grpc::CallbackServerContext* ctx, const v1::RelatedWorksRequest* req,
    v1::RelatedWorksResponse* resp) {
  return Reply(ctx, [&] { return AnswerRelatedWorks(ctx, req, resp); });
}

grpc::Status BibkgService::AnswerRelatedWorks(
    grpc::ServerContextBase* ctx, const v1::RelatedWorksRequest* req,
    v1::RelatedWorksResponse* resp) {
  if (ctx->IsCancelled()) return Gone(ctx);
  if (req->ids().empty()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "give at least one seed id");
  }
  if (req->ids_size() > 100) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "at most 100 seed ids");
  }
  absl::StatusOr<size_t> limit =
      PageSize(req->limit() == 0 ? 10 : req->limit());
  if (!limit.ok()) return ToGrpcStatus(limit.status());
  query::SharedView view = CurrentView();
  query::Engine engine(view);
  std::vector<std::string> seeds;
  for (const std::string& id : req->ids()) {
    absl::StatusOr<std::string> iri = engine.Resolve(id);
    if (!iri.ok()) return ToGrpcStatus(iri.status());
    seeds.push_back(*iri);
  }
  absl::StatusOr<std::vector<query::RelatedHit>> hits =
      engine.Related(seeds, *limit);
  if (!hits.ok()) return ToGrpcStatus(hits.status());
  if (ctx->IsCancelled()) return Gone(ctx);
  for (const auto& h : *hits) {
    v1::RelatedWork* w = resp->add_works();
    ToProto(h.work, w->mutable_work());
    w->set_score(h.score);
    for (const auto& r : h.reasons) w->add_reasons(r);
  }
  return grpc::Status::OK;
}

grpc::ServerUnaryReactor* BibkgService::ReadingList(
    grpc::CallbackServerContext* ctx, const v1::ReadingListRequest* req,
    v1::ReadingListResponse* resp) {
  return Reply(ctx, [&] { return AnswerReadingList(ctx, req, resp); });
}

grpc::Status BibkgService::AnswerReadingList(grpc::ServerContextBase* ctx,
                                             const v1::ReadingListRequest* req,
                                             v1::ReadingListResponse* resp) {
  if (ctx->IsCancelled()) return Gone(ctx);
  absl::StatusOr<query::CitationFormat> format = query::ParseCitationFormat(
      req->format().empty() ? "markdown" : req->format());
  if (!format.ok()) return ToGrpcStatus(format.status());
  absl::StatusOr<size_t> size = PageSize(req->size() == 0 ? 10 : req->size());
  if (!size.ok()) return ToGrpcStatus(size.status());
  query::ReadingListOptions o;
  o.seeds.assign(req->seed_ids().begin(), req->seed_ids().end());
  o.topic = req->topic();
  o.size = *size;
  query::SharedView view = CurrentView();
  query::Engine engine(view);
  absl::StatusOr<std::vector<query::Work>> works = engine.ReadingList(o);
  if (!works.ok()) return ToGrpcStatus(works.status());
  resp->set_text(query::Render(*works, *format));
  for (const auto& w : *works) ToProto(w.summary, resp->add_works());
  return grpc::Status::OK;
}

grpc::Status BibkgService::Import(grpc::ServerContext* ctx,
                                  grpc::ServerReader<v1::ImportRequest>* reader,
                                  v1::ImportResponse* resp) {
  return import_.Import(ctx, reader, resp);
}

grpc::Status BibkgService::Stats(grpc::ServerContext* ctx,
                                 const v1::StatsRequest*,
                                 v1::StatsResponse* resp) {
  if (ctx->IsCancelled()) return Gone(ctx);
  std::shared_ptr<const store::ReadView> view = store_->SharedReadView();
  absl::StatusOr<uint64_t> graphs = view->CountGraphs();
  if (!graphs.ok()) return ToGrpcStatus(graphs.status());
  resp->set_quads(view->quad_count());
  resp->set_terms(view->term_count());
  resp->set_graphs(*graphs);
  resp->set_indexed_documents(static_cast<uint64_t>(
      std::max<int64_t>(0, view->Counter(store::kTopicDocsCounter))));
  return grpc::Status::OK;
}

absl::StatusOr<RunningServer> StartServer(store::Store* store,
                                          const ServerOptions& options) {
  // Debian's abseil is built with absl::Mutex's deadlock detection on, which
  // keeps a graph of lock order on every lock gRPC takes while holding
  // another: a few per cent of a short call's CPU, for a check meant for
  // debug builds.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  std::shared_ptr<grpc::ServerCredentials> creds =
      grpc::InsecureServerCredentials();
  if (!options.tls_cert_file.empty() || !options.tls_key_file.empty()) {
    auto read = [](const std::string& path) -> absl::StatusOr<std::string> {
      std::ifstream in(path, std::ios::binary);
      if (!in) return absl::NotFoundError("cannot read " + path);
      std::stringstream ss;
      ss << in.rdbuf();
      return ss.str();
    };
    BIBKG_ASSIGN_OR_RETURN(std::string cert, read(options.tls_cert_file));
    BIBKG_ASSIGN_OR_RETURN(std::string key, read(options.tls_key_file));
    grpc::SslServerCredentialsOptions ssl(
        options.tls_client_ca_file.empty()
            ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
            : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
    if (!options.tls_client_ca_file.empty()) {
      BIBKG_ASSIGN_OR_RETURN(ssl.pem_root_certs,
                             read(options.tls_client_ca_file));
    }
    ssl.pem_key_cert_pairs.push_back({key, cert});
    creds = grpc::SslServerCredentials(ssl);
  } else if (!options.tls_client_ca_file.empty()) {
    return absl::InvalidArgumentError(
        "client certificates need TLS: give the server's certificate and key "
        "too");
  }
  RunningServer running;
  running.service = std::make_unique<BibkgService>(
      store, options.token, !options.tls_client_ca_file.empty());
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen, creds, &running.port);
  builder.RegisterService(running.service.get());
  builder.SetMaxReceiveMessageSize(options.max_message_bytes);
  builder.SetMaxSendMessageSize(options.max_message_bytes);
  running.server = builder.BuildAndStart();
  if (!running.server || running.port == 0) {
    return absl::UnavailableError("cannot listen on " + options.listen +
                                  " (address in use, or not a host:port?)");
  }
  running.server->GetHealthCheckService()->SetServingStatus("bibkg.v1.Bibkg",
                                                            true);
  return running;
}

}  // namespace bibkg::service
