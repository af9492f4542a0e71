// libFuzzer target for the CEL engine: any bytes are a CEL expression that is parsed, checked
// and cost-estimated (in the DRA and admission environments), planned and evaluated against a
// small activation (x, s, device, object), checked and unchecked. Nothing may crash, overflow the stack, hang or exhaust memory: deep nesting is a
// parse error, comprehension bombs end at the iteration/cost guard, huge literals are bounded
// by the expression size limit. See docs/fuzzing.md.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cel/checker/checker.h"
#include "cel/common/json_value.h"
#include "cel/runtime/kubernetes_env.h"
#include "cel/runtime/program.h"
#include "common/json.h"

namespace {

using namespace haru::cel;

struct Fixture {
  Env env;
  Env admission = AdmissionPolicyEnv(nullptr, nullptr, /*require_bool=*/false);
  Value device;
  Value object;
  Fixture()
      : env(Env::Standard({"x", "s", "device", "object"},
                          [] {
                            EnvOptions o;
                            // Lower than the default so a bomb ends well inside -timeout
                            // under ASan; the guard itself is what is being exercised.
                            o.max_iterations = 100000;
                            return o;
                          }())) {
    device = ValueFromJson(*haru::ParseJson(
        R"({"driver":"gpu.example.com","attributes":{"gpu.example.com":{"profile":"1g.10gb","index":0}},)"
        R"("capacity":{"gpu.example.com":{"memory":"40Gi"}}})"));
    object = ValueFromJson(*haru::ParseJson(
        R"({"metadata":{"name":"p","labels":{"app":"web"}},"spec":{"containers":[)"
        R"({"name":"a","image":"registry.example.com/a:1","resources":{"limits":{"cpu":"1"}}},)"
        R"({"name":"b","image":"docker.io/b","ports":[{"containerPort":80}]}]}})"));
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Fixture* fx = new Fixture();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  CheckResult checked = CheckExpression("dra", text);
  (void)checked;
  // A checked program (object typed dyn) must evaluate without surprises too.
  CompileResult typed = Compile(fx->admission, text);
  if (typed.ok()) {
    Activation act(*typed.program);
    act.Bind("object", fx->object);
    auto v = typed.program->Evaluate(act);
    (void)v;
  } else if (typed.ErrorText().empty()) {
    __builtin_trap();
  }
  CompileResult r = Compile(fx->env, text);
  if (!r.ok()) {
    std::string err = r.ErrorText();
    if (err.empty()) __builtin_trap();  // an issue must render as text
    return 0;
  }
  Activation act(*r.program);
  act.Bind("x", Value::Int(12));
  act.Bind("s", Value::StringView("abc"));
  act.Bind("device", fx->device);
  act.Bind("object", fx->object);
  auto v = r.program->Evaluate(act);
  (void)v;
  return 0;
}
