#include "api/patch/strategic_merge_patch.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "api/patch/patch_limits.h"

namespace haru::api::patch {
namespace {

Json J(const char* text) { return Json::parse(text); }

// A hand-built schema shaped like the parts of Pod/Deployment that strategic merge patch
// cares about (the SchemaRegistry is not needed).
class TestSchemas {
 public:
  TestSchemas() {
    const Schema* str = Scalar(SchemaType::kString);
    const Schema* integer = Scalar(SchemaType::kInteger);
    const Schema* any = Scalar(SchemaType::kAny);
    const Schema* string_map = Map(str);

    const Schema* port = Object("Port", {F("containerPort", integer), F("protocol", str),
                                         F("name", str)});
    const Schema* env = Object("EnvVar", {F("name", str), F("value", str), F("valueFrom", any)});
    const Schema* mount = Object("VolumeMount", {F("name", str), F("mountPath", str)});
    const Schema* container = Object(
        "io.k8s.api.core.v1.Container",
        {F("name", str), F("image", str), F("args", Array(str)),
         F("ports", Array(port), "merge", "containerPort"), F("env", Array(env), "merge", "name"),
         F("volumeMounts", Array(mount), "merge", "mountPath")});
    const Schema* volume = Object(
        "Volume", {F("name", str), F("emptyDir", Object("", {F("medium", str)})),
                   F("hostPath", Object("", {F("path", str)})),
                   F("configMap", Object("", {F("name", str)}))});
    const Schema* toleration = Object("Toleration", {F("key", str), F("operator", str),
                                                     F("effect", str)});
    const Schema* condition = Object("Condition", {F("type", str), F("status", str)});
    const Schema* rolling = Object("", {F("maxSurge", Scalar(SchemaType::kIntOrString))});
    const Schema* strategy = Object("Strategy", {F("type", str), F("rollingUpdate", rolling)});

    const Schema* spec = Object(
        "Spec",
        {F("replicas", integer), F("containers", Array(container), "merge", "name"),
         F("initContainers", Array(container), "merge", "name"),
         F("volumes", Array(volume), "merge,retainKeys", "name"),
         F("tolerations", Array(toleration)), F("nodeSelector", string_map),
         F("strategy", strategy, "retainKeys"), F("mergingIntList", Array(integer), "merge"),
         F("nonMergingIntList", Array(integer)), F("replacingItem", any, "replace"),
         F("raw", any), F("listOfLists", Array(Array(str)), "merge"),
         F("noKeyList", Array(Object("", {F("a", str)})), "merge")});
    const Schema* meta = Object(
        "ObjectMeta", {F("name", str), F("labels", string_map), F("annotations", string_map),
                       F("finalizers", Array(str), "merge")});
    const Schema* status = Object("Status", {F("conditions", Array(condition), "merge", "type")});
    root_ = Object("Root", {F("metadata", meta), F("spec", spec), F("status", status)});
  }

  const Schema* root() const { return root_; }

 private:
  static Field F(std::string name, const Schema* schema, std::string strategy = "",
                 std::string key = "") {
    Field f;
    f.name = std::move(name);
    f.schema = schema;
    f.patch_strategy = std::move(strategy);
    f.patch_merge_key = std::move(key);
    return f;
  }
  Schema* New(SchemaType type) {
    owned_.push_back(std::make_unique<Schema>());
    owned_.back()->type = type;
    return owned_.back().get();
  }
  const Schema* Scalar(SchemaType type) { return New(type); }
  const Schema* Map(const Schema* value) {
    Schema* s = New(SchemaType::kMap);
    s->additional_properties = value;
    return s;
  }
  const Schema* Array(const Schema* items) {
    Schema* s = New(SchemaType::kArray);
    s->items = items;
    return s;
  }
  const Schema* Object(std::string name, std::vector<Field> fields) {
    Schema* s = New(SchemaType::kObject);
    s->name = std::move(name);
    s->properties = std::move(fields);
    return s;
  }

  std::vector<std::unique_ptr<Schema>> owned_;
  const Schema* root_ = nullptr;
};

const TestSchemas& Schemas() {
  static const TestSchemas* schemas = new TestSchemas();
  return *schemas;
}

struct Case {
  const char* name;
  const char* original;
  const char* patch;
  const char* want;  // nullptr: an error is expected
  StatusCode code = StatusCode::kOk;
  const char* message = "";  // substring of the message (or of the 422's cause)
};

class SmpTable : public ::testing::TestWithParam<Case> {};

TEST_P(SmpTable, Applies) {
  const Case& c = GetParam();
  auto got = ApplyStrategicMergePatch(J(c.original), J(c.patch), Schemas().root());
  if (c.want != nullptr) {
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(*got, J(c.want)) << got->dump();
    return;
  }
  ASSERT_FALSE(got.ok()) << got->dump();
  EXPECT_EQ(got.status().code(), c.code) << got.status().ToString();
  std::string text = got.status().message();
  if (got.status().details() != nullptr && !got.status().details()->causes.empty()) {
    text = got.status().details()->causes[0].message;
  }
  EXPECT_NE(text.find(c.message), std::string::npos) << text;
}

const Case kCases[] = {
    // maps
    {"AddField", R"({"metadata":{"name":"a"}})", R"({"metadata":{"labels":{"x":"1"}}})",
     R"({"metadata":{"name":"a","labels":{"x":"1"}}})"},
    {"NullDeletes", R"({"metadata":{"labels":{"x":"1","y":"2"}}})",
     R"({"metadata":{"labels":{"x":null}}})", R"({"metadata":{"labels":{"y":"2"}}})"},
    {"NullForMissingIsIgnored", R"({"metadata":{}})", R"({"metadata":{"labels":{"x":null}}})",
     R"({"metadata":{"labels":{}}})"},
    {"NilPatch", R"({"a":1})", R"(null)", R"({"a":1})"},
    {"EmptyOriginal", R"({})", R"({"spec":{"replicas":2}})", R"({"spec":{"replicas":2}})"},
    {"ScalarReplaces", R"({"spec":{"replicas":1}})", R"({"spec":{"replicas":3}})",
     R"({"spec":{"replicas":3}})"},
    {"TypeChangeReplaces", R"({"spec":{"raw":{"a":1}}})", R"({"spec":{"raw":[1,2]}})",
     R"({"spec":{"raw":[1,2]}})"},
    {"UnknownFieldsMergeAsJson", R"({"x":{"a":{"b":1},"l":[1,2]}})",
     R"({"x":{"a":{"c":2},"l":[3]}})", R"({"x":{"a":{"b":1,"c":2},"l":[3]}})"},
    {"AnyFieldMergesMapsReplacesLists", R"({"spec":{"raw":{"a":1,"l":[{"name":"x"}]}}})",
     R"({"spec":{"raw":{"b":2,"l":[{"name":"y"}]}}})",
     R"({"spec":{"raw":{"a":1,"b":2,"l":[{"name":"y"}]}}})"},
    {"ReplaceStrategyField", R"({"spec":{"replacingItem":{"a":1,"b":2}}})",
     R"({"spec":{"replacingItem":{"c":3}}})", R"({"spec":{"replacingItem":{"c":3}}})"},
    {"AddedValuesDropNulls", R"({})", R"({"spec":{"nodeSelector":{"a":"1","b":null}}})",
     R"({"spec":{"nodeSelector":{"a":"1"}}})"},
    // $patch in maps
    {"PatchReplaceMap", R"({"spec":{"nodeSelector":{"a":"1","b":"2"}}})",
     R"({"spec":{"nodeSelector":{"$patch":"replace","c":"3"}}})",
     R"({"spec":{"nodeSelector":{"c":"3"}}})"},
    {"PatchReplaceAllKeys", R"({"name":1,"value":1})", R"({"$patch":"replace"})", R"({})"},
    {"PatchReplaceTopLevelAddsKey", R"({"name":1,"value":1})",
     R"({"other":"a","$patch":"replace"})", R"({"other":"a"})"},
    {"PatchDeleteMap", R"({"spec":{"nodeSelector":{"a":"1"}}})",
     R"({"spec":{"nodeSelector":{"$patch":"delete"}}})", R"({"spec":{"nodeSelector":{}}})"},
    {"PatchDeleteAbsentMapAddsNothing", R"({"spec":{}})",
     R"({"spec":{"nodeSelector":{"$patch":"delete"}}})", R"({"spec":{}})"},
    {"PatchMergeInMapIsRejected", R"({"spec":{"nodeSelector":{}}})",
     R"({"spec":{"nodeSelector":{"$patch":"merge"}}})", nullptr, StatusCode::kBadRequest,
     "unknown patch type"},
    // lists of objects with a merge key
    {"MergeContainersByName",
     R"({"spec":{"containers":[{"name":"a","image":"1"},{"name":"b","image":"2"}]}})",
     R"({"spec":{"containers":[{"name":"b","image":"3"}]}})",
     R"({"spec":{"containers":[{"name":"a","image":"1"},{"name":"b","image":"3"}]}})"},
    {"SetImageKeepsOtherFields",
     R"({"spec":{"containers":[{"name":"app","image":"nginx:1","args":["x"],"ports":[{"containerPort":80}]}]}})",
     R"({"spec":{"containers":[{"name":"app","image":"nginx:2"}]}})",
     R"({"spec":{"containers":[{"name":"app","image":"nginx:2","args":["x"],"ports":[{"containerPort":80}]}]}})"},
    {"AppendNewContainerFirst", R"({"spec":{"containers":[{"name":"a"}]}})",
     R"({"spec":{"containers":[{"name":"b"}]}})",
     R"({"spec":{"containers":[{"name":"b"},{"name":"a"}]}})"},
    {"MergePortsByContainerPort",
     R"({"spec":{"containers":[{"name":"a","ports":[{"containerPort":80,"protocol":"TCP"}]}]}})",
     R"({"spec":{"containers":[{"name":"a","ports":[{"containerPort":80,"name":"http"},{"containerPort":443}]}]}})",
     R"({"spec":{"containers":[{"name":"a","ports":[{"containerPort":80,"protocol":"TCP","name":"http"},{"containerPort":443}]}]}})"},
    {"MergeEnvByName",
     R"({"spec":{"containers":[{"name":"a","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]}]}})",
     R"({"spec":{"containers":[{"name":"a","env":[{"name":"B","value":null,"valueFrom":{"x":1}}]}]}})",
     R"({"spec":{"containers":[{"name":"a","env":[{"name":"A","value":"1"},{"name":"B","valueFrom":{"x":1}}]}]}})"},
    {"MergeVolumeMountsByMountPath",
     R"({"spec":{"containers":[{"name":"a","volumeMounts":[{"name":"v","mountPath":"/d"}]}]}})",
     R"({"spec":{"containers":[{"name":"a","volumeMounts":[{"name":"w","mountPath":"/d"}]}]}})",
     R"({"spec":{"containers":[{"name":"a","volumeMounts":[{"name":"w","mountPath":"/d"}]}]}})"},
    {"MergeConditionsByType",
     R"({"status":{"conditions":[{"type":"Ready","status":"False"},{"type":"Init","status":"True"}]}})",
     R"({"status":{"conditions":[{"type":"Ready","status":"True"}]}})",
     R"({"status":{"conditions":[{"type":"Ready","status":"True"},{"type":"Init","status":"True"}]}})"},
    {"TolerationsAreAtomic", R"({"spec":{"tolerations":[{"key":"a"},{"key":"b"}]}})",
     R"({"spec":{"tolerations":[{"key":"c"}]}})", R"({"spec":{"tolerations":[{"key":"c"}]}})"},
    {"ArgsAreAtomic", R"({"spec":{"containers":[{"name":"a","args":["1","2"]}]}})",
     R"({"spec":{"containers":[{"name":"a","args":["3"]}]}})",
     R"({"spec":{"containers":[{"name":"a","args":["3"]}]}})"},
    {"DeleteElementByMergeKey", R"({"spec":{"containers":[{"name":"a"},{"name":"b"}]}})",
     R"({"spec":{"containers":[{"name":"a","$patch":"delete"}]}})",
     R"({"spec":{"containers":[{"name":"b"}]}})"},
    {"DeleteMissingElementIsNoop", R"({"spec":{"containers":[{"name":"a"}]}})",
     R"({"spec":{"containers":[{"name":"zz","$patch":"delete"}]}})",
     R"({"spec":{"containers":[{"name":"a"}]}})"},
    {"DeleteAllDuplicates",
     R"({"spec":{"containers":[{"name":"1"},{"name":"1"},{"name":"2","image":"a"},{"name":"3"},{"name":"3"}]}})",
     R"({"spec":{"containers":[{"name":"1","$patch":"delete"},{"name":"3","$patch":"delete"}]}})",
     R"({"spec":{"containers":[{"name":"2","image":"a"}]}})"},
    {"AddAndDeleteInOneList", R"({"spec":{"containers":[{"name":"a"},{"name":"b"}]}})",
     R"({"spec":{"containers":[{"name":"a","$patch":"delete"},{"name":"c"}]}})",
     R"({"spec":{"containers":[{"name":"c"},{"name":"b"}]}})"},
    {"ReplaceWholeList", R"({"spec":{"containers":[{"name":"a"},{"name":"b"}]}})",
     R"({"spec":{"containers":[{"$patch":"replace"},{"name":"c","image":"x"}]}})",
     R"({"spec":{"containers":[{"name":"c","image":"x"}]}})"},
    {"ClearList", R"({"spec":{"containers":[{"name":"a"}]}})",
     R"({"spec":{"containers":[{"$patch":"replace"}]}})", R"({"spec":{"containers":[]}})"},
    {"EmptyPatchListIsNoop", R"({"spec":{"containers":[{"name":"a"}]}})",
     R"({"spec":{"containers":[]}})", R"({"spec":{"containers":[{"name":"a"}]}})"},
    {"MergeEmptyLists", R"({"spec":{"containers":[]}})", R"({"spec":{"containers":[]}})",
     R"({"spec":{"containers":[]}})"},
    {"NewListDropsDirectiveElements", R"({"spec":{}})",
     R"({"spec":{"containers":[{"name":"a","$patch":"delete"},{"name":"b","x":null}]}})",
     R"({"spec":{"containers":[{"name":"b"}]}})"},
    {"NestedMergeListsInMergeList",
     R"({"spec":{"containers":[{"name":"a","env":[{"name":"X","value":"1"}]},{"name":"b"}]}})",
     R"({"spec":{"containers":[{"name":"a","env":[{"name":"Y","value":"2"}]}]}})",
     R"({"spec":{"containers":[{"name":"a","env":[{"name":"Y","value":"2"},{"name":"X","value":"1"}]},{"name":"b"}]}})"},
    {"PreserveOrderFromPatch",
     R"({"spec":{"containers":[{"name":"1"},{"name":"2","image":"b"},{"name":"3"}]}})",
     R"({"spec":{"containers":[{"name":"3","image":"c"},{"name":"1","image":"a"},{"name":"2","args":["x"]}]}})",
     R"({"spec":{"containers":[{"name":"3","image":"c"},{"name":"1","image":"a"},{"name":"2","image":"b","args":["x"]}]}})"},
    {"PreserveOrderFromPatch2",
     R"({"spec":{"containers":[{"name":"1"},{"name":"2","image":"b"},{"name":"3"}]}})",
     R"({"spec":{"containers":[{"name":"3","image":"c"},{"name":"1","image":"a"}]}})",
     R"({"spec":{"containers":[{"name":"2","image":"b"},{"name":"3","image":"c"},{"name":"1","image":"a"}]}})"},
    {"MissingMergeKeyInPatch", R"({"spec":{"containers":[{"name":"a"}]}})",
     R"({"spec":{"containers":[{"image":"x"}]}})", nullptr, StatusCode::kBadRequest,
     "does not contain declared merge key: name"},
    {"MissingMergeKeyInDelete", R"({"spec":{"containers":[{"name":"a"}]}})",
     R"({"spec":{"containers":[{"$patch":"delete"}]}})", nullptr, StatusCode::kBadRequest,
     "does not contain declared merge key: name"},
    {"PatchMergeInListIsRejected", R"({"spec":{"containers":[{"name":"a"}]}})",
     R"({"spec":{"containers":[{"$patch":"merge"}]}})", nullptr, StatusCode::kBadRequest,
     "merging lists cannot yet be specified in the patch"},
    {"UnknownListDirective", R"({"spec":{"containers":[{"name":"a"}]}})",
     R"({"spec":{"containers":[{"name":"a","$patch":"frob"}]}})", nullptr,
     StatusCode::kBadRequest, "unknown patch type"},
    {"MixedElementTypes", R"({"spec":{"containers":[{"name":"a"}]}})",
     R"({"spec":{"containers":["a"]}})", nullptr, StatusCode::kBadRequest,
     "list element types are not identical"},
    {"MergeListOfObjectsWithoutKey", R"({"spec":{"noKeyList":[{"a":"1"}]}})",
     R"({"spec":{"noKeyList":[{"a":"2"}]}})", nullptr, StatusCode::kBadRequest,
     "cannot merge lists without merge key"},
    {"ListOfListsIs422", R"({"spec":{"listOfLists":[["a"]]}})",
     R"({"spec":{"listOfLists":[["b"]]}})", nullptr, StatusCode::kInvalid,
     "lists of lists are not supported"},
    // lists of scalars with strategy merge: sets
    {"MergeScalarsAsSet", R"({"metadata":{"finalizers":["a","b"]}})",
     R"({"metadata":{"finalizers":["b","c"]}})", R"({"metadata":{"finalizers":["a","b","c"]}})"},
    {"UniqueScalars", R"({"spec":{"mergingIntList":[1,2]}})", R"({"spec":{"mergingIntList":[2,3]}})",
     R"({"spec":{"mergingIntList":[1,2,3]}})"},
    {"PreserveIntOrderFromPatch", R"({"spec":{"mergingIntList":[1,2,3]}})",
     R"({"spec":{"mergingIntList":[3,1,2]}})", R"({"spec":{"mergingIntList":[3,1,2]}})"},
    {"NonMergingIntListReplaced", R"({"spec":{"nonMergingIntList":[1,2]}})",
     R"({"spec":{"nonMergingIntList":[3]}})", R"({"spec":{"nonMergingIntList":[3]}})"},
    {"StringAndIntDiffer", R"({"spec":{"mergingIntList":[1]}})",
     R"({"spec":{"mergingIntList":["1"]}})", nullptr, StatusCode::kBadRequest,
     "list element types are not identical"},
    // $deleteFromPrimitiveList
    {"DeleteFromPrimitiveList", R"({"spec":{"mergingIntList":[1,2,3]}})",
     R"({"spec":{"$deleteFromPrimitiveList/mergingIntList":[2]}})",
     R"({"spec":{"mergingIntList":[1,3]}})"},
    {"DeleteFromNonMergingList", R"({"spec":{"nonMergingIntList":[1,2,3]}})",
     R"({"spec":{"$deleteFromPrimitiveList/nonMergingIntList":[2]}})",
     R"({"spec":{"nonMergingIntList":[1,3]}})"},
    {"DeleteNonexistentPrimitive", R"({"spec":{"mergingIntList":[1,2]}})",
     R"({"spec":{"$deleteFromPrimitiveList/mergingIntList":[3]}})",
     R"({"spec":{"mergingIntList":[1,2]}})"},
    {"DeleteFromEmptyPrimitiveList", R"({"spec":{"mergingIntList":[]}})",
     R"({"spec":{"$deleteFromPrimitiveList/mergingIntList":[3]}})",
     R"({"spec":{"mergingIntList":[]}})"},
    {"DeleteFromAbsentListAddsNothing", R"({"spec":{"foo":["bar"]}})",
     R"({"spec":{"$deleteFromPrimitiveList/mergingIntList":[3]}})", R"({"spec":{"foo":["bar"]}})"},
    {"DeleteAllDuplicatesOfScalar", R"({"metadata":{"finalizers":["a","b","a"]}})",
     R"({"metadata":{"$deleteFromPrimitiveList/finalizers":["a"]}})",
     R"({"metadata":{"finalizers":["b"]}})"},
    {"AddAndDeleteScalars", R"({"metadata":{"finalizers":["a","b"]}})",
     R"({"metadata":{"$deleteFromPrimitiveList/finalizers":["a"],"finalizers":["c"]}})",
     R"({"metadata":{"finalizers":["c","b"]}})"},
    {"BadDeleteFromPrimitiveListKey", R"({})", R"({"$deleteFromPrimitiveListx":[1]})", nullptr,
     StatusCode::kBadRequest, "invalid patch format of primitive list"},
    // $setElementOrder
    {"SetElementOrderMergeList",
     R"({"spec":{"containers":[{"name":"1"},{"name":"2"},{"name":"3"}]}})",
     R"({"spec":{"$setElementOrder/containers":[{"name":"3"},{"name":"1"},{"name":"2"}],"containers":[{"name":"1","image":"x"}]}})",
     R"({"spec":{"containers":[{"name":"3"},{"name":"1","image":"x"},{"name":"2"}]}})"},
    {"SetElementOrderWithServerOnlyItems",
     R"({"spec":{"containers":[{"name":"1"},{"name":"2"},{"name":"9"},{"name":"3"}]}})",
     R"({"spec":{"$setElementOrder/containers":[{"name":"3"},{"name":"2"},{"name":"1"}]}})",
     R"({"spec":{"containers":[{"name":"9"},{"name":"3"},{"name":"2"},{"name":"1"}]}})"},
    {"SetElementOrderItemNotInList", R"({"spec":{"containers":[{"name":"1"},{"name":"3"}]}})",
     R"({"spec":{"$setElementOrder/containers":[{"name":"3"},{"name":"2"},{"name":"1"}],"containers":[{"name":"3","image":"3"},{"name":"1","image":"1"}]}})",
     R"({"spec":{"containers":[{"name":"3","image":"3"},{"name":"1","image":"1"}]}})"},
    {"SetElementOrderIntList", R"({"spec":{"mergingIntList":[1,2]}})",
     R"({"spec":{"$setElementOrder/mergingIntList":[1,2,3],"mergingIntList":[3]}})",
     R"({"spec":{"mergingIntList":[1,2,3]}})"},
    {"SetElementOrderIntListThreeWay", R"({"spec":{"mergingIntList":[1,4,2]}})",
     R"({"spec":{"$setElementOrder/mergingIntList":[3,1,2],"mergingIntList":[3]}})",
     R"({"spec":{"mergingIntList":[3,1,4,2]}})"},
    {"SetElementOrderServerOnlyInts", R"({"spec":{"mergingIntList":[1,2,4]}})",
     R"({"spec":{"$setElementOrder/mergingIntList":[1,2,3],"mergingIntList":[3]}})",
     R"({"spec":{"mergingIntList":[1,2,3,4]}})"},
    {"SetElementOrderNotMatchingPatch",
     R"({"spec":{"containers":[{"name":"1"},{"name":"3"},{"name":"2"}]}})",
     R"({"spec":{"$setElementOrder/containers":[{"name":"1"},{"name":"2"},{"name":"3"}],"containers":[{"name":"3","image":"3"},{"name":"1","image":"1"}]}})",
     nullptr, StatusCode::kBadRequest, "doesn't match"},
    {"SetElementOrderIntNotMatchingPatch", R"({"spec":{"mergingIntList":[1,3,2]}})",
     R"({"spec":{"$setElementOrder/mergingIntList":[1,2,3],"mergingIntList":[3,1]}})", nullptr,
     StatusCode::kBadRequest, "doesn't match"},
    {"SetElementOrderNotAList", R"({"spec":{}})",
     R"({"spec":{"$setElementOrder/containers":"x"}})", nullptr, StatusCode::kBadRequest,
     "invalid patch format of setElementOrder list"},
    {"SetElementOrderAddsAbsentList", R"({"spec":{}})",
     R"({"spec":{"$setElementOrder/containers":[{"name":"b"},{"name":"a"}],"containers":[{"name":"a"},{"name":"b"}]}})",
     nullptr, StatusCode::kBadRequest, "doesn't match"},
    {"SetElementOrderNewList", R"({"spec":{}})",
     R"({"spec":{"$setElementOrder/containers":[{"name":"a"},{"name":"b"}],"containers":[{"name":"b"},{"name":"a"}]}})",
     nullptr, StatusCode::kBadRequest, "doesn't match"},
    {"SetElementOrderNewListInOrder", R"({"spec":{}})",
     R"({"spec":{"$setElementOrder/containers":[{"name":"a"},{"name":"b"}],"containers":[{"name":"a"},{"name":"b","$patch":"delete"}]}})",
     R"({"spec":{"containers":[{"name":"a"}]}})"},
    {"SetElementOrderWithDelete",
     R"({"spec":{"containers":[{"name":"a"},{"name":"b"},{"name":"c"}]}})",
     R"({"spec":{"$setElementOrder/containers":[{"name":"c"},{"name":"a"}],"containers":[{"name":"b","$patch":"delete"}]}})",
     R"({"spec":{"containers":[{"name":"c"},{"name":"a"}]}})"},
    {"BadSetElementOrderKey", R"({})", R"({"$setElementOrderx":[]})", nullptr,
     StatusCode::kBadRequest, "invalid patch format of setElementOrder list"},
    // $retainKeys
    {"RetainKeysClearsOtherFields",
     R"({"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}})",
     R"({"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}})",
     R"({"spec":{"strategy":{"type":"Recreate"}}})"},
    {"RetainKeysKeepsListedFields",
     R"({"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}})",
     R"({"spec":{"strategy":{"$retainKeys":["type","rollingUpdate"],"rollingUpdate":{"maxSurge":2}}}})",
     R"({"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":2}}}})"},
    {"RetainKeysAllowsNullForUnlisted", R"({"spec":{"strategy":{"type":"A","rollingUpdate":{}}}})",
     R"({"spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":null}}})",
     R"({"spec":{"strategy":{"type":"A"}}})"},
    {"RetainKeysInMergeListElement",
     R"({"spec":{"volumes":[{"name":"v","emptyDir":{}},{"name":"w","emptyDir":{}}]}})",
     R"({"spec":{"volumes":[{"name":"v","$retainKeys":["name","hostPath"],"hostPath":{"path":"/x"}}]}})",
     R"({"spec":{"volumes":[{"name":"v","hostPath":{"path":"/x"}},{"name":"w","emptyDir":{}}]}})"},
    {"RetainKeysPatchFieldNotListed", R"({"spec":{"strategy":{"type":"A"}}})",
     R"({"spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":{"maxSurge":1}}}})", nullptr,
     StatusCode::kBadRequest, "invalid patch format of retainKeys"},
    {"RetainKeysNotAList", R"({"spec":{"strategy":{"type":"A"}}})",
     R"({"spec":{"strategy":{"$retainKeys":"type"}}})", nullptr, StatusCode::kBadRequest,
     "invalid patch format of retainKeys"},
    {"RetainKeysWithoutDirectiveMerges", R"({"spec":{"strategy":{"type":"A"}}})",
     R"({"spec":{"strategy":{"rollingUpdate":{"maxSurge":1}}}})",
     R"({"spec":{"strategy":{"type":"A","rollingUpdate":{"maxSurge":1}}}})"},
    {"DirectivesStrippedFromAddedValues", R"({"spec":{}})",
     R"({"spec":{"strategy":{"$retainKeys":["type"],"type":"A","$setElementOrder/x":[1]}}})",
     R"({"spec":{"strategy":{"type":"A"}}})"},
    // shapes
    {"PatchNotAnObject", R"({})", R"([1])", nullptr, StatusCode::kBadRequest,
     "json: cannot unmarshal array into Go value of type map[string]interface {}"},
    // a realistic kubectl apply patch (3-way, with order and retainKeys directives)
    {"KubectlApply",
     R"({"metadata":{"labels":{"app":"web","old":"x"},"finalizers":["f1"]},
         "spec":{"replicas":1,
                 "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}},
                 "containers":[{"name":"web","image":"nginx:1","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]},
                               {"name":"sidecar","image":"envoy"}]}})",
     R"({"metadata":{"labels":{"old":null,"new":"y"}},
         "spec":{"replicas":3,
                 "strategy":{"$retainKeys":["type"],"type":"Recreate"},
                 "$setElementOrder/containers":[{"name":"web"},{"name":"sidecar"}],
                 "containers":[{"name":"web","image":"nginx:2",
                                "$setElementOrder/env":[{"name":"B"},{"name":"C"}],
                                "env":[{"name":"A","$patch":"delete"},{"name":"C","value":"3"}]}]}})",
     R"({"metadata":{"labels":{"app":"web","new":"y"},"finalizers":["f1"]},
         "spec":{"replicas":3,"strategy":{"type":"Recreate"},
                 "containers":[{"name":"web","image":"nginx:2","env":[{"name":"B","value":"2"},{"name":"C","value":"3"}]},
                               {"name":"sidecar","image":"envoy"}]}})"},
};

INSTANTIATE_TEST_SUITE_P(Strategic, SmpTable, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(StrategicMergePatch, NullSchemaUsesMergeSemantics) {
  auto got = ApplyStrategicMergePatch(J(R"({"a":{"b":1},"l":[{"name":"x"}]})"),
                                      J(R"({"a":{"c":2},"l":[{"name":"y"}]})"), nullptr);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, J(R"({"a":{"b":1,"c":2},"l":[{"name":"y"}]})"));
}

TEST(StrategicMergePatch, ListOfListsIsUpstream422) {
  auto got = ApplyStrategicMergePatch(J(R"({"spec":{"listOfLists":[["a"]]}})"),
                                      J(R"({"spec":{"listOfLists":[["b"]]}})"), Schemas().root());
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().http_code(), 422);
  EXPECT_EQ(got.status().message(),
            "the server rejected our request due to an error in our request");
  ASSERT_NE(got.status().details(), nullptr);
  EXPECT_EQ(got.status().details()->causes[0].type, "UnexpectedServerResponse");
}

Json NestedObjects(int depth) {
  Json v = 1;
  for (int i = 0; i < depth; ++i) v = Json{{"a", std::move(v)}};
  return v;
}

TEST(StrategicMergePatch, DeepNestingIsRejectedNotOverflowed) {
  auto got = ApplyStrategicMergePatch(NestedObjects(3), NestedObjects(300000), nullptr);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kBadRequest);
  got = ApplyStrategicMergePatch(NestedObjects(300000), NestedObjects(3), nullptr);
  ASSERT_FALSE(got.ok());
}

TEST(StrategicMergePatch, NestingAtTheLimitWorks) {
  auto got = ApplyStrategicMergePatch(NestedObjects(kMaxNestingDepth - 1),
                                      NestedObjects(kMaxNestingDepth - 1), nullptr);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
}

TEST(StrategicMergePatch, HugeMergeListIsLinearEnough) {
  // 50k containers merged by name, and a 50k-element $setElementOrder: hash lookups keep this
  // fast where upstream's pairwise scan is quadratic.
  Json original = {{"spec", {{"containers", Json::array()}}}};
  Json patch = {{"spec", {{"containers", Json::array()}, {"$setElementOrder/containers", Json::array()}}}};
  for (int i = 0; i < 50000; ++i) {
    std::string name = "c" + std::to_string(i);
    original["spec"]["containers"].push_back({{"name", name}, {"image", "a"}});
    patch["spec"]["$setElementOrder/containers"].push_back({{"name", name}});
    if (i % 2 == 0) patch["spec"]["containers"].push_back({{"name", name}, {"image", "b"}});
  }
  auto got = ApplyStrategicMergePatch(original, patch, Schemas().root());
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  const Json& list = (*got)["spec"]["containers"];
  ASSERT_EQ(list.size(), 50000u);
  EXPECT_EQ(list[0]["image"], "b");
  EXPECT_EQ(list[1]["image"], "a");
  EXPECT_EQ(list[49999]["name"], "c49999");
}

TEST(StrategicMergePatch, OriginalIsNotModified) {
  Json original = J(R"({"spec":{"containers":[{"name":"a"}]}})");
  auto got = ApplyStrategicMergePatch(original, J(R"({"spec":{"containers":[{"name":"b"}]}})"),
                                      Schemas().root());
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(original, J(R"({"spec":{"containers":[{"name":"a"}]}})"));
}

}  // namespace
}  // namespace haru::api::patch
