// End-to-end tests of the gRPC API: the real server on a free loopback port,
// the generated C++ client, a Python grpcio client, and reading lists parsed
// back by citation-js.
#include "service/service.h"

#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "bibkg/v1/bibkg.grpc.pb.h"
#include "indexer/importer.h"
#include "tests/testing/samples.h"
#include "tests/testing/testing.h"

namespace bibkg::service {
namespace {

using ::testing::HasSubstr;
const char* kDoi = "10.1080/15309576.2024.2302059";
const char* kToken = "test-token-123";

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = *store::Store::Open(dir_.Sub("db"));
    testing::ImportSamples(store_.get());
    ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.token = kToken;
    auto server = StartServer(store_.get(), options);
    ASSERT_OK(server);
    server_ = *std::move(server);
    ASSERT_GT(server_.port, 0);
    address_ = "127.0.0.1:" + std::to_string(server_.port);
    stub_ = v1::Bibkg::NewStub(
        grpc::CreateChannel(address_, grpc::InsecureChannelCredentials()));
  }
  void TearDown() override {
    if (server_.server) server_.server->Shutdown();
  }

  std::unique_ptr<grpc::ClientContext> Ctx() {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->set_deadline(std::chrono::system_clock::now() +
                      std::chrono::seconds(20));
    return ctx;
  }

  v1::SearchResponse Search(const std::string& q, int page_size = 0,
                            std::string token = "") {
    v1::SearchRequest req;
    req.set_query(q);
    req.set_page_size(page_size);
    req.set_page_token(token);
    v1::SearchResponse resp;
    grpc::Status s = stub_->Search(Ctx().get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  RunningServer server_;
  std::string address_;
  std::unique_ptr<v1::Bibkg::Stub> stub_;
};

TEST_F(ServiceTest, GetWorkByDoiAndErrors) {
  v1::GetWorkRequest req;
  req.set_id(std::string("https://doi.org/") + kDoi);
  v1::Work w;
  ASSERT_TRUE(stub_->GetWork(Ctx().get(), req, &w).ok());
  EXPECT_EQ(w.summary().doi(), kDoi);
  EXPECT_EQ(w.page_start(), "927");
  EXPECT_EQ(w.venue().label(), "Public performance & management review");
  EXPECT_EQ(w.sources_size(), 1);

  req.set_id("10.9999/not-here");
  grpc::Status s = stub_->GetWork(Ctx().get(), req, &w);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(s.error_message(), HasSubstr("https://doi.org/10.9999/not-here"));
  req.set_id("what is this");
  EXPECT_EQ(stub_->GetWork(Ctx().get(), req, &w).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  req.set_id("");
  EXPECT_EQ(stub_->GetWork(Ctx().get(), req, &w).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ServiceTest, SearchRanksAndFindsNorwegian) {
  v1::SearchResponse r = Search("digital leadership");
  ASSERT_GE(r.hits_size(), 4);
  int article = -1;
  for (int i = 0; i < r.hits_size(); ++i) {
    if (r.hits(i).work().doi() == kDoi) article = i;
  }
  ASSERT_GE(article, 0);
  for (int i = 0; i < r.hits_size(); ++i) {
    const std::string& type = r.hits(i).work().type();
    if (type.ends_with("BlogPost") || type.ends_with("NewsItem")) {
      EXPECT_LT(i, article) << r.hits(i).work().title();
    }
  }
  EXPECT_GT(r.by_type_size(), 0);
  v1::SearchResponse no = Search("digitalisering kommune");
  ASSERT_GT(no.hits_size(), 0);
  EXPECT_EQ(no.hits(0).work().type(), "http://purl.org/cerif/frapo/Project");
}

TEST_F(ServiceTest, PagingWalksEveryHitOnce) {
  std::set<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    v1::SearchResponse r = Search("digital", 2, token);
    EXPECT_EQ(r.total(), 5u);
    EXPECT_LE(r.hits_size(), 2);
    for (const auto& h : r.hits())
      EXPECT_TRUE(seen.insert(h.work().iri()).second);
    token = r.next_page_token();
    ASSERT_LT(++pages, 10);
  } while (!token.empty());
  EXPECT_EQ(seen.size(), 5u);
  EXPECT_EQ(pages, 3);

  v1::SearchRequest bad;
  bad.set_query("digital");
  bad.set_page_token("not-a-token");
  v1::SearchResponse resp;
  grpc::Status s = stub_->Search(Ctx().get(), bad, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("page_token"));
  bad.set_page_token("");
  bad.set_page_size(-1);
  EXPECT_EQ(stub_->Search(Ctx().get(), bad, &resp).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  bad.set_page_size(1000);  // capped, not refused
  ASSERT_TRUE(stub_->Search(Ctx().get(), bad, &resp).ok());
  EXPECT_EQ(resp.hits_size(), 5);
  bad.set_query("the and of");
  EXPECT_EQ(stub_->Search(Ctx().get(), bad, &resp).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ServiceTest, RelatedWorksOfTheCatalogRecord) {
  v1::RelatedWorksRequest req;
  req.add_ids(kDoi);
  v1::RelatedWorksResponse resp;
  ASSERT_TRUE(stub_->RelatedWorks(Ctx().get(), req, &resp).ok());
  std::set<std::string> types;
  for (const auto& w : resp.works()) {
    types.insert(w.work().type().substr(w.work().type().rfind('/') + 1));
    ASSERT_GT(w.reasons_size(), 0);
  }
  EXPECT_THAT(types,
              ::testing::IsSupersetOf({"NewsItem", "BlogPost", "Project"}));
  v1::RelatedWorksRequest none;
  EXPECT_EQ(stub_->RelatedWorks(Ctx().get(), none, &resp).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  none.add_ids("10.9999/unknown");
  EXPECT_EQ(stub_->RelatedWorks(Ctx().get(), none, &resp).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(ServiceTest, ReferencesAndCitedBy) {
  v1::SearchResponse r = Search("traditional management structures");
  std::string structures = r.hits(0).work().iri();
  v1::LinksRequest req;
  req.set_id(structures);
  v1::LinksResponse in;
  ASSERT_TRUE(stub_->CitedBy(Ctx().get(), req, &in).ok());
  ASSERT_EQ(in.links_size(), 1);
  EXPECT_EQ(in.links(0).relation(), "related");
  EXPECT_THAT(in.links(0).work().title(),
              HasSubstr("needs leaders not managers"));
  v1::LinksResponse out;
  req.set_page_size(1);
  ASSERT_TRUE(stub_->References(Ctx().get(), req, &out).ok());
  EXPECT_EQ(out.total(), 2u);
  EXPECT_EQ(out.links_size(), 1);
  EXPECT_FALSE(out.next_page_token().empty());
}

TEST_F(ServiceTest, WorksByAuthor) {
  v1::SearchResponse r = Search("traditional management structures");
  v1::GetWorkRequest get;
  get.set_id(r.hits(0).work().iri());
  v1::Work w;
  ASSERT_TRUE(stub_->GetWork(Ctx().get(), get, &w).ok());
  ASSERT_EQ(w.creators_size(), 1);
  EXPECT_EQ(w.creators(0).label(), "Rebecca Hill");
  v1::WorksByAuthorRequest req;
  req.set_person(w.creators(0).iri());
  v1::WorksResponse works;
  ASSERT_TRUE(stub_->WorksByAuthor(Ctx().get(), req, &works).ok());
  ASSERT_EQ(works.works_size(), 1);
  EXPECT_EQ(works.works(0).issued(), "2016-07-05");
  req.set_person("https://example.org/nobody");
  EXPECT_EQ(stub_->WorksByAuthor(Ctx().get(), req, &works).error_code(),
            grpc::StatusCode::NOT_FOUND);
  req.set_person("");
  EXPECT_EQ(stub_->WorksByAuthor(Ctx().get(), req, &works).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ServiceTest, ImportNeedsTheToken) {
  const std::string page =
      "Open data in Norwegian municipalities\n\nWritten by Kari Nordmann on 3 "
      "March 2021 in News\n\n"
      "Municipalities publish open hydrography data about digital services.\n";
  auto send = [&](const std::string& auth, v1::ImportResponse* resp) {
    auto ctx = Ctx();
    if (!auth.empty()) ctx->AddMetadata("authorization", auth);
    auto writer = stub_->Import(ctx.get(), resp);
    v1::ImportRequest doc;
    doc.set_name("uploaded page.txt");
    doc.set_content(page);
    writer->Write(doc);
    writer->WritesDone();
    return writer->Finish();
  };
  v1::ImportResponse resp;
  EXPECT_EQ(send("", &resp).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(send("Bearer wrong", &resp).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Search("hydrography").total(), 0u);
  grpc::Status ok = send(std::string("Bearer ") + kToken, &resp);
  ASSERT_TRUE(ok.ok()) << ok.error_message();
  EXPECT_EQ(resp.records_imported(), 1u);
  EXPECT_GT(resp.quads_inserted(), 5u);
  v1::SearchResponse found = Search("hydrography");
  ASSERT_GT(found.hits_size(), 0);
  EXPECT_EQ(found.hits(0).work().title(),
            "Open data in Norwegian municipalities");
  EXPECT_EQ(found.hits(0).work().issued(), "2021-03-03");
}

TEST_F(ServiceTest, ProjectsByFunderProgrammeAndTopic) {
  v1::ProjectsRequest req;
  req.set_funder("10.13039/501100005416");
  v1::ProjectsResponse resp;
  ASSERT_TRUE(stub_->Projects(Ctx().get(), req, &resp).ok());
  ASSERT_EQ(resp.projects_size(), 1);
  EXPECT_EQ(resp.projects(0).amount(), "1600000");
  EXPECT_EQ(resp.projects(0).currency(), "NOK");
  EXPECT_EQ(resp.projects(0).programme().label(), "Offentlig sektor-ph.d.");
  req.set_programme("OFFPHD");
  req.set_topic("digitalisering");
  ASSERT_TRUE(stub_->Projects(Ctx().get(), req, &resp).ok());
  EXPECT_EQ(resp.projects_size(), 1);
  v1::ProjectsRequest other;
  other.set_programme("NOSUCH");
  ASSERT_TRUE(stub_->Projects(Ctx().get(), other, &resp).ok());
  EXPECT_EQ(resp.projects_size(), 0);
  other.set_funder("Research Council");
  EXPECT_EQ(stub_->Projects(Ctx().get(), other, &resp).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  // Search filtered by funder finds only funded works.
  v1::SearchRequest search;
  search.set_query("digital");
  search.set_funder("10.13039/501100005416");
  v1::SearchResponse hits;
  ASSERT_TRUE(stub_->Search(Ctx().get(), search, &hits).ok());
  ASSERT_EQ(hits.hits_size(), 1);
  EXPECT_EQ(hits.hits(0).work().type(), "http://purl.org/cerif/frapo/Project");
}

// A CA, a server certificate for localhost and a client certificate, made
// with the openssl command.
void MakeCertificates(const std::string& dir) {
  std::string cmd =
      "cd " + dir +
      " && "
      "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem "
      "-days 2 -subj /CN=bibkg-test-ca && "
      "openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr "
      "-subj /CN=localhost && "
      "printf 'subjectAltName=DNS:localhost,IP:127.0.0.1' > san.ext && "
      "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key "
      "-CAcreateserial "
      "-out server.pem -days 2 -extfile san.ext && "
      "openssl req -newkey rsa:2048 -nodes -keyout client.key -out client.csr "
      "-subj /CN=librarian && "
      "openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key "
      "-CAcreateserial "
      "-out client.pem -days 2";
  testing::CommandResult r = testing::RunCommand(cmd);
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(ServiceTest, TlsWithClientCertificatesAllowsImport) {
  std::string certs = dir_.Sub("certs");
  std::filesystem::create_directories(certs);
  MakeCertificates(certs);
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.tls_cert_file = certs + "/server.pem";
  options.tls_key_file = certs + "/server.key";
  options.tls_client_ca_file = certs + "/ca.pem";
  auto tls_server = StartServer(store_.get(), options);
  ASSERT_OK(tls_server);
  std::string addr = "localhost:" + std::to_string(tls_server->port);

  grpc::SslCredentialsOptions with_cert;
  with_cert.pem_root_certs = testing::ReadFile(certs + "/ca.pem");
  with_cert.pem_private_key = testing::ReadFile(certs + "/client.key");
  with_cert.pem_cert_chain = testing::ReadFile(certs + "/client.pem");
  auto stub = v1::Bibkg::NewStub(
      grpc::CreateChannel(addr, grpc::SslCredentials(with_cert)));
  v1::ImportResponse resp;
  {
    auto ctx = Ctx();  // no token: the certificate is enough
    auto writer = stub->Import(ctx.get(), &resp);
    v1::ImportRequest doc;
    doc.set_name("tls page.txt");
    doc.set_content(
        "Glaciology of hydrography\n\nA short note on glaciers and "
        "hydrography.\n");
    writer->Write(doc);
    writer->WritesDone();
    grpc::Status s = writer->Finish();
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  EXPECT_EQ(resp.records_imported(), 1u);
  // Without a client certificate the connection itself is refused, and a
  // plain-text client cannot talk to a TLS server.
  grpc::SslCredentialsOptions no_cert;
  no_cert.pem_root_certs = with_cert.pem_root_certs;
  auto anonymous = v1::Bibkg::NewStub(
      grpc::CreateChannel(addr, grpc::SslCredentials(no_cert)));
  v1::StatsResponse stats;
  auto ctx = Ctx();
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(3));
  EXPECT_FALSE(anonymous->Stats(ctx.get(), v1::StatsRequest(), &stats).ok());
  auto plain = v1::Bibkg::NewStub(
      grpc::CreateChannel(addr, grpc::InsecureChannelCredentials()));
  auto ctx2 = Ctx();
  ctx2->set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(3));
  EXPECT_FALSE(plain->Stats(ctx2.get(), v1::StatsRequest(), &stats).ok());
  tls_server->server->Shutdown();
}

TEST_F(ServiceTest, DeadlinesAreHonoured) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() -
                   std::chrono::milliseconds(1));
  v1::SearchRequest req;
  req.set_query("digital");
  v1::SearchResponse resp;
  EXPECT_EQ(stub_->Search(&ctx, req, &resp).error_code(),
            grpc::StatusCode::DEADLINE_EXCEEDED);
}

TEST_F(ServiceTest, StatsCountTheSamples) {
  v1::StatsResponse resp;
  ASSERT_TRUE(stub_->Stats(Ctx().get(), v1::StatsRequest(), &resp).ok());
  EXPECT_EQ(resp.graphs(), 5u);
  EXPECT_EQ(resp.indexed_documents(), 5u);
  EXPECT_GT(resp.quads(), 50u);
}

TEST_F(ServiceTest, ReadingListsParseWithCitationJs) {
  for (const char* format : {"bibtex", "ris", "csljson"}) {
    v1::ReadingListRequest req;
    req.add_seed_ids(kDoi);
    req.set_topic("digital leadership");
    req.set_size(5);
    req.set_format(format);
    v1::ReadingListResponse resp;
    grpc::Status s = stub_->ReadingList(Ctx().get(), req, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(resp.works_size(), 5);
    std::string file = dir_.Sub(std::string("list.") + format);
    testing::WriteFile(file, resp.text());
    testing::CommandResult r =
        testing::RunCommand("node " + testing::DataPath("../js/parse.mjs") +
                            " " + format + " " + file);
    ASSERT_EQ(r.exit_code, 0) << format << ": " << r.err << "\n" << resp.text();
    EXPECT_THAT(r.out, HasSubstr("\"count\":5")) << format;
    EXPECT_THAT(r.out, HasSubstr(kDoi)) << format;
  }
  v1::ReadingListRequest bad;
  bad.set_topic("digital");
  bad.set_format("docx");
  v1::ReadingListResponse resp;
  EXPECT_EQ(stub_->ReadingList(Ctx().get(), bad, &resp).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ServiceTest, PythonGrpcioClientHealthAndReflection) {
  std::string gen = dir_.Sub("py");
  std::filesystem::create_directories(gen);
  testing::CommandResult protoc = testing::RunCommand(
      "protoc --python_out=" + gen + " -I " + testing::DataPath("../../proto") +
      " " + testing::DataPath("../../proto/bibkg/v1/bibkg.proto"));
  ASSERT_EQ(protoc.exit_code, 0) << protoc.err;
  testing::CommandResult r = testing::RunCommand(
      "/usr/bin/python3 " + testing::DataPath("../python/grpc_client.py") +
      " " + address_ + " " + gen);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("all checks passed"));
}

}  // namespace
}  // namespace bibkg::service
