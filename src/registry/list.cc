// LIST: selectors, limit/continue pages on one snapshot, resourceVersion semantics.
#include <chrono>
#include <thread>

#include "registry/continue_token.h"
#include "api/meta/validation.h"
#include "registry/internal/object_util.h"
#include "registry/internal/registry_impl.h"
#include "registry/keys.h"
#include "registry/object_index.h"
#include "registry/object_meta.h"
#include "registry/registry.h"

namespace haru::registry {

using namespace internal;  // NOLINT: the registry's own helpers

StatusOr<ListResult> Registry::List(const api::KindSpec& kind, const std::string& ns,
                                    const ListRequest& request) {
  HARU_ASSIGN_OR_RETURN(auto filter,
                        MakeFilter(kind, request.label_selector, request.field_selector));
  const std::string prefix = ListPrefix(kind, ns);
  int64_t revision = 0;
  std::string start_after;
  if (!request.continue_token.empty()) {
    HARU_ASSIGN_OR_RETURN(ContinueToken token, DecodeContinueToken(request.continue_token));
    revision = token.revision;
    start_after = prefix + token.start_after;
  } else if (!request.resource_version.empty() && request.resource_version != "0") {
    int64_t rv = 0;
    try {
      rv = std::stoll(request.resource_version);
    } catch (...) {
      return Status::BadRequest("invalid resource version: " + request.resource_version);
    }
    // Both matches wait briefly for the cache to reach rv, as upstream's watch cache does.
    for (int i = 0; i < 300 && store_->Revision() < rv; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (store_->Revision() < rv) return TooLargeResourceVersion(rv, store_->Revision());
    if (request.resource_version_match == "Exact") revision = rv;
  }
  // The cache serves the newest revision; an older snapshot comes from the backend's history.
  if (revision != 0 && revision == store_->Revision()) revision = 0;

  ListResult out;
  int64_t snapshot = 0;
  bool more = true;
  std::string cursor = start_after;
  const int64_t want = request.limit > 0 ? request.limit : 0;
  while (more) {
    storage::ListOptions opts;
    opts.prefix = prefix;
    opts.start_after = cursor;
    opts.revision = revision != 0 ? revision : snapshot;
    opts.limit = want > 0 ? std::max<int64_t>(want - int64_t(out.items.size()), 64) : 0;
    if (revision == 0 && snapshot == 0) opts.limit = 0;  // the cache: one pass, no paging
    auto page = store_->List(opts);
    if (!page.ok()) {
      if (page.status().code() == StatusCode::kGone && !request.continue_token.empty()) {
        // Upstream also offers a token that continues at the latest revision (rv -1) in the
        // Status's ListMeta; haru's Status carries no ListMeta, so it answers like upstream
        // does when it cannot encode one.
        return Status::Expired(
            "The provided continue parameter is too old to display a consistent list result. "
            "You can start a new list without the continue parameter.");
      }
      if (page.status().code() == StatusCode::kGone) {
        return Status::Expired("The resourceVersion for the provided list is too old.");
      }
      if (page.status().code() == StatusCode::kTimeout) {
        return TooLargeResourceVersion(revision, store_->Revision());
      }
      return page.status();
    }
    if (snapshot == 0) snapshot = page->revision;
    more = page->more;
    for (auto& kv : page->items) {
      cursor = kv.key;
      if (want > 0 && int64_t(out.items.size()) >= want) {
        more = true;
        break;
      }
      if (filter(kv)) out.items.push_back(std::move(kv));
    }
    if (want > 0 && int64_t(out.items.size()) >= want) {
      // Is there anything after the last returned item?
      if (!out.items.empty()) cursor = out.items.back().key;
      storage::ListOptions probe;
      probe.prefix = prefix;
      probe.start_after = cursor;
      probe.limit = 1;
      probe.revision = revision;
      auto rest = store_->List(probe);
      more = rest.ok() && !rest->items.empty();
      if (more && request.label_selector.empty() && request.field_selector.empty()) {
        // The probe's own item plus what the store counted after it.
        const int64_t probed = static_cast<int64_t>(rest->items.size());
        out.remaining = rest->remaining > 0 ? probed + rest->remaining : (rest->more ? -1 : probed);
      }
      break;
    }
    if (revision == 0 && page->revision != 0 && opts.limit == 0) break;
  }
  out.revision = revision != 0 ? revision : snapshot;
  if (out.revision == 0) out.revision = store_->Revision();
  if (more && !out.items.empty()) {
    out.continue_token =
        EncodeContinueToken({out.revision, out.items.back().key.substr(prefix.size())});
  }
  return out;
}

}  // namespace haru::registry
