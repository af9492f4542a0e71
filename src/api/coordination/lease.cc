// coordination.k8s.io/v1 Lease (pkg/registry/coordination/lease).

#include "api/coordination/coordination.h"
#include "api/meta/columns.h"
#include "api/meta/object.h"
#include "api/meta/validation.h"

namespace haru::api::coordination {

namespace {

FieldErrors ValidateLeaseSpec(const Json& lease) {
  FieldErrors errs;
  const Json* duration = FindPath(lease, {"spec", "leaseDurationSeconds"});
  if (duration && duration->is_number() && duration->get<int64_t>() <= 0) {
    errs.push_back(Invalid("spec.leaseDurationSeconds", duration->dump(), "must be greater than 0"));
  }
  const Json* transitions = FindPath(lease, {"spec", "leaseTransitions"});
  if (transitions && transitions->is_number() && transitions->get<int64_t>() < 0) {
    errs.push_back(Invalid("spec.leaseTransitions", transitions->dump(),
                           "must be greater than or equal to 0"));
  }
  std::string strategy = GetString(lease, {"spec", "strategy"});
  if (!strategy.empty() && strategy != "OldestEmulationVersion") {
    errs.push_back(NotSupported("spec.strategy", strategy, {"OldestEmulationVersion"}));
  }
  if (!GetString(lease, {"spec", "preferredHolder"}).empty() && strategy.empty()) {
    errs.push_back(Forbidden("spec.preferredHolder", "may only be specified if `strategy` is defined"));
  }
  return errs;
}

}  // namespace

const KindSpec& LeaseKind() {
  static const KindSpec kSpec = [] {
    KindSpec s;
    s.gvk = {"coordination.k8s.io", "v1", "Lease"};
    s.plural = "leases";
    s.singular = "lease";
    s.schema = "io.k8s.api.coordination.v1.Lease";
    s.validate = [](const Json& lease) {
      FieldErrors errs = ValidateObjectMeta(lease, true, NameRule::kDnsSubdomain);
      Append(errs, ValidateLeaseSpec(lease));
      return errs;
    };
    s.validate_update = [](const Json& lease, const Json& old) {
      FieldErrors errs = ValidateObjectMetaUpdate(lease, old);
      Append(errs, ValidateLeaseSpec(lease));
      return errs;
    };
    s.columns = {NameColumn(),
                 StringColumn("Holder", "The holder of the lease", "spec", "holderIdentity"),
                 AgeColumn()};
    return s;
  }();
  return kSpec;
}

void RegisterCoordinationKinds(std::vector<const KindSpec*>& out) { out.push_back(&LeaseKind()); }

}  // namespace haru::api::coordination
