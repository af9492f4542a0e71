// Declarations of the cel-go extension libraries Kubernetes enables (ext.Strings, ext.Math,
// ext.Lists, ext.Sets, ext.Encoders and the optional library), one row per overload, with
// cel-go's overload ids and signatures. Only what haru's runtime implements is declared
// (src/cel/library/{strings_ext,strings_format,math_ext,lists_ext,sets_ext,encoders,
// optional}.cc); where haru's call shape differs from cel-go's, the row follows haru's
// parser and runtime and says so.

#include "cel/checker/decl_table.h"

namespace haru::cel {
namespace {

constexpr OverloadSpec kExtensionOverloads[] = {
    // ext.Strings (version 4 and later: format, quote, join, reverse).
    {"charAt", "string_char_at_int", true, "(string, int) -> string"},
    {"indexOf", "string_index_of_string", true, "(string, string) -> int"},
    {"indexOf", "string_index_of_string_int", true, "(string, string, int) -> int"},
    {"lastIndexOf", "string_last_index_of_string", true, "(string, string) -> int"},
    {"lastIndexOf", "string_last_index_of_string_int", true, "(string, string, int) -> int"},
    {"lowerAscii", "string_lower_ascii", true, "(string) -> string"},
    {"upperAscii", "string_upper_ascii", true, "(string) -> string"},
    {"replace", "string_replace_string_string", true, "(string, string, string) -> string"},
    {"replace", "string_replace_string_string_int", true, "(string, string, string, int) -> string"},
    {"split", "string_split_string", true, "(string, string) -> list(string)"},
    {"split", "string_split_string_int", true, "(string, string, int) -> list(string)"},
    {"substring", "string_substring_int", true, "(string, int) -> string"},
    {"substring", "string_substring_int_int", true, "(string, int, int) -> string"},
    {"trim", "string_trim", true, "(string) -> string"},
    {"join", "list_join", true, "(list(string)) -> string"},
    {"join", "list_join_string", true, "(list(string), string) -> string"},
    {"reverse", "string_reverse", true, "(string) -> string"},
    {"strings.quote", "strings_quote", false, "(string) -> string"},
    // The runtime registers this overload as "string_format_list"; cel-go's id is kept here.
    {"format", "string_format", true, "(string, list(dyn)) -> string"},

    // ext.Math. cel-go declares greatest/least as macros over math.@max/math.@min, which
    // take one scalar, two scalars or one list; with three or more arguments the macro passes
    // a list literal. haru's parser has no such macro and its runtime registers
    // math.greatest/math.least directly for 1..12 arguments, so the one- and two-argument
    // rows carry cel-go's @max/@min signatures and ids, and the longer forms (cel-go's list
    // literal, whose element type is dyn unless all arguments agree) check as dyn.
    {"math.greatest", "math_@max_double", false, "(double) -> double"},
    {"math.greatest", "math_@max_int", false, "(int) -> int"},
    {"math.greatest", "math_@max_uint", false, "(uint) -> uint"},
    {"math.greatest", "math_@max_double_double", false, "(double, double) -> double"},
    {"math.greatest", "math_@max_int_int", false, "(int, int) -> int"},
    {"math.greatest", "math_@max_uint_uint", false, "(uint, uint) -> uint"},
    {"math.greatest", "math_@max_int_uint", false, "(int, uint) -> dyn"},
    {"math.greatest", "math_@max_int_double", false, "(int, double) -> dyn"},
    {"math.greatest", "math_@max_double_int", false, "(double, int) -> dyn"},
    {"math.greatest", "math_@max_double_uint", false, "(double, uint) -> dyn"},
    {"math.greatest", "math_@max_uint_int", false, "(uint, int) -> dyn"},
    {"math.greatest", "math_@max_uint_double", false, "(uint, double) -> dyn"},
    {"math.greatest", "math_@max_list_double", false, "(list(double)) -> double"},
    {"math.greatest", "math_@max_list_int", false, "(list(int)) -> int"},
    {"math.greatest", "math_@max_list_uint", false, "(list(uint)) -> uint"},
    {"math.greatest", "math.greatest_3", false, "(dyn, dyn, dyn) -> dyn"},
    {"math.greatest", "math.greatest_4", false, "(dyn, dyn, dyn, dyn) -> dyn"},
    {"math.greatest", "math.greatest_5", false, "(dyn, dyn, dyn, dyn, dyn) -> dyn"},
    {"math.greatest", "math.greatest_6", false, "(dyn, dyn, dyn, dyn, dyn, dyn) -> dyn"},
    {"math.greatest", "math.greatest_7", false, "(dyn, dyn, dyn, dyn, dyn, dyn, dyn) -> dyn"},
    {"math.greatest", "math.greatest_8", false, "(dyn, dyn, dyn, dyn, dyn, dyn, dyn, dyn) -> dyn"},
    {"math.greatest", "math.greatest_9", false, "(dyn, dyn, dyn, dyn, dyn, dyn, dyn, dyn, dyn) -> dyn"},
    {"math.greatest", "math.greatest_10", false, "(dyn, dyn, dyn, dyn, dyn, dyn, dyn, dyn, dyn, dyn) -> dyn"},
    {"math.greatest", "math.greatest_11", false,
     "(dyn, dyn, dyn, dyn, dyn, dyn, dyn, dyn, dyn, dyn, dyn) -> dyn"},
    {"math.greatest", "math.greatest_12", false,
     "(dyn, dyn, dyn, dyn, dyn, dyn, dyn, dyn, dyn, dyn, dyn, dyn) -> dyn"},
    {"math.least", "math_@min_double", false, "(double) -> double"},
    {"math.least", "math_@min_int", false, "(int) -> int"},
    {"math.least", "math_@min_uint", false, "(uint) -> uint"},
    {"math.least", "math_@min_double_double", false, "(double, double) -> double"},
    {"math.least", "math_@min_int_int", false, "(int, int) -> int"},
    {"math.least", "math_@min_uint_uint", false, "(uint, uint) -> uint"},
    {"math.least", "math_@min_int_uint", false, "(int, uint) -> dyn"},
    {"math.least", "math_@min_int_double", false, "(int, double) -> dyn"},
    {"math.least", "math_@min_double_int", false, "(double, int) -> dyn"},
    {"math.least", "math_@min_double_uint", false, "(double, uint) -> dyn"},
    {"math.least", "math_@min_uint_int", false, "(uint, int) -> dyn"},
    {"math.least", "math_@min_uint_double", false, "(uint, double) -> dyn"},
    {"math.least", "math_@min_list_double", false, "(list(double)) -> double"},
    {"math.least", "math_@min_list_int", false, "(list(int)) -> int"},
    {"math.least", "math_@min_list_uint", false, "(list(uint)) -> uint"},
    {"math.least", "math.least_3", false, "(dyn, dyn, dyn) -> dyn"},
    {"math.least", "math.least_4", false, "(dyn, dyn, dyn, dyn) -> dyn"},
    {"math.least", "math.least_5", false, "(dyn, dyn, dyn, dyn, dyn) -> dyn"},
    {"math.least", "math.least_6", false, "(dyn, dyn, dyn, dyn, dyn, dyn) -> dyn"},
    {"math.least", "math.least_7", false, "(dyn, dyn, dyn, dyn, dyn, dyn, dyn) -> dyn"},
    {"math.least", "math.least_8", false, "(dyn, dyn, dyn, dyn, dyn, dyn, dyn, dyn) -> dyn"},
    {"math.least", "math.least_9", false, "(dyn, dyn, dyn, dyn, dyn, dyn, dyn, dyn, dyn) -> dyn"},
    {"math.least", "math.least_10", false, "(dyn, dyn, dyn, dyn, dyn, dyn, dyn, dyn, dyn, dyn) -> dyn"},
    {"math.least", "math.least_11", false,
     "(dyn, dyn, dyn, dyn, dyn, dyn, dyn, dyn, dyn, dyn, dyn) -> dyn"},
    {"math.least", "math.least_12", false,
     "(dyn, dyn, dyn, dyn, dyn, dyn, dyn, dyn, dyn, dyn, dyn, dyn) -> dyn"},
    {"math.ceil", "math_ceil_double", false, "(double) -> double"},
    {"math.floor", "math_floor_double", false, "(double) -> double"},
    {"math.round", "math_round_double", false, "(double) -> double"},
    {"math.trunc", "math_trunc_double", false, "(double) -> double"},
    {"math.isInf", "math_isInf_double", false, "(double) -> bool"},
    {"math.isNaN", "math_isNaN_double", false, "(double) -> bool"},
    {"math.isFinite", "math_isFinite_double", false, "(double) -> bool"},
    {"math.abs", "math_abs_double", false, "(double) -> double"},
    {"math.abs", "math_abs_int", false, "(int) -> int"},
    {"math.abs", "math_abs_uint", false, "(uint) -> uint"},
    {"math.sign", "math_sign_double", false, "(double) -> double"},
    {"math.sign", "math_sign_int", false, "(int) -> int"},
    {"math.sign", "math_sign_uint", false, "(uint) -> uint"},
    {"math.bitAnd", "math_bitAnd_int_int", false, "(int, int) -> int"},
    {"math.bitAnd", "math_bitAnd_uint_uint", false, "(uint, uint) -> uint"},
    {"math.bitOr", "math_bitOr_int_int", false, "(int, int) -> int"},
    {"math.bitOr", "math_bitOr_uint_uint", false, "(uint, uint) -> uint"},
    {"math.bitXor", "math_bitXor_int_int", false, "(int, int) -> int"},
    {"math.bitXor", "math_bitXor_uint_uint", false, "(uint, uint) -> uint"},
    // cel-go names the one-argument bitNot overloads as if they took two.
    {"math.bitNot", "math_bitNot_int_int", false, "(int) -> int"},
    {"math.bitNot", "math_bitNot_uint_uint", false, "(uint) -> uint"},
    {"math.bitShiftLeft", "math_bitShiftLeft_int_int", false, "(int, int) -> int"},
    {"math.bitShiftLeft", "math_bitShiftLeft_uint_int", false, "(uint, int) -> uint"},
    {"math.bitShiftRight", "math_bitShiftRight_int_int", false, "(int, int) -> int"},
    {"math.bitShiftRight", "math_bitShiftRight_uint_int", false, "(uint, int) -> uint"},
    {"math.sqrt", "math_sqrt_double", false, "(double) -> double"},
    {"math.sqrt", "math_sqrt_int", false, "(int) -> double"},
    {"math.sqrt", "math_sqrt_uint", false, "(uint) -> double"},

    // ext.Lists (version 2). sort is declared once per comparable type, with the type's
    // CEL name in the id as cel-go builds it.
    {"slice", "list_slice", true, "<T> (list(T), int, int) -> list(T)"},
    {"flatten", "list_flatten", true, "<T> (list(list(T))) -> list(T)"},
    {"flatten", "list_flatten_int", true, "(list(dyn), int) -> list(dyn)"},
    {"distinct", "list_distinct", true, "<T> (list(T)) -> list(T)"},
    {"lists.range", "lists_range", false, "(int) -> list(int)"},
    {"sort", "list_int_sort", true, "(list(int)) -> list(int)"},
    {"sort", "list_uint_sort", true, "(list(uint)) -> list(uint)"},
    {"sort", "list_double_sort", true, "(list(double)) -> list(double)"},
    {"sort", "list_bool_sort", true, "(list(bool)) -> list(bool)"},
    {"sort", "list_google.protobuf.Duration_sort", true,
     "(list(google.protobuf.Duration)) -> list(google.protobuf.Duration)"},
    {"sort", "list_google.protobuf.Timestamp_sort", true,
     "(list(google.protobuf.Timestamp)) -> list(google.protobuf.Timestamp)"},
    {"sort", "list_string_sort", true, "(list(string)) -> list(string)"},
    {"sort", "list_bytes_sort", true, "(list(bytes)) -> list(bytes)"},
    // The target of the sortBy macro. cel-go's macro makes a member call
    // `list.@sortByAssociatedKeys(keys)`; haru's macro (parser/macros.cc) and runtime use the
    // global form `@sortByAssociatedKeys(list, keys)`, so these rows are global.
    {"@sortByAssociatedKeys", "list_int_sortByAssociatedKeys", false, "<T> (list(T), list(int)) -> list(T)"},
    {"@sortByAssociatedKeys", "list_uint_sortByAssociatedKeys", false, "<T> (list(T), list(uint)) -> list(T)"},
    {"@sortByAssociatedKeys", "list_double_sortByAssociatedKeys", false,
     "<T> (list(T), list(double)) -> list(T)"},
    {"@sortByAssociatedKeys", "list_bool_sortByAssociatedKeys", false, "<T> (list(T), list(bool)) -> list(T)"},
    {"@sortByAssociatedKeys", "list_google.protobuf.Duration_sortByAssociatedKeys", false,
     "<T> (list(T), list(google.protobuf.Duration)) -> list(T)"},
    {"@sortByAssociatedKeys", "list_google.protobuf.Timestamp_sortByAssociatedKeys", false,
     "<T> (list(T), list(google.protobuf.Timestamp)) -> list(T)"},
    {"@sortByAssociatedKeys", "list_string_sortByAssociatedKeys", false,
     "<T> (list(T), list(string)) -> list(T)"},
    {"@sortByAssociatedKeys", "list_bytes_sortByAssociatedKeys", false,
     "<T> (list(T), list(bytes)) -> list(T)"},

    // ext.Sets.
    {"sets.contains", "list_sets_contains_list", false, "<T> (list(T), list(T)) -> bool"},
    {"sets.equivalent", "list_sets_equivalent_list", false, "<T> (list(T), list(T)) -> bool"},
    {"sets.intersects", "list_sets_intersects_list", false, "<T> (list(T), list(T)) -> bool"},

    // ext.Encoders.
    {"base64.decode", "base64_decode_string", false, "(string) -> bytes"},
    {"base64.encode", "base64_encode_bytes", false, "(bytes) -> string"},

    // The optional library (cel.OptionalTypes, version 1 and later for first/last).
    {"optional.of", "optional_of", false, "<V> (V) -> optional_type(V)"},
    {"optional.ofNonZeroValue", "optional_ofNonZeroValue", false, "<V> (V) -> optional_type(V)"},
    {"optional.none", "optional_none", false, "<V> () -> optional_type(V)"},
    {"value", "optional_value", true, "<V> (optional_type(V)) -> V"},
    {"hasValue", "optional_hasValue", true, "<V> (optional_type(V)) -> bool"},
    {"or", "optional_or_optional", true, "<V> (optional_type(V), optional_type(V)) -> optional_type(V)"},
    {"orValue", "optional_orValue_value", true, "<V> (optional_type(V), V) -> V"},
    {"first", "list_first", true, "<V> (list(V)) -> optional_type(V)"},
    {"last", "list_last", true, "<V> (list(V)) -> optional_type(V)"},
    // `x.?f` and `x[?i]`, and indexing an optional list or map with `[]`.
    {"_?._", "select_optional_field", false, "<V> (dyn, string) -> optional_type(V)"},
    {"_[?_]", "list_optindex_optional_int", false, "<V> (list(V), int) -> optional_type(V)"},
    {"_[?_]", "optional_list_optindex_optional_int", false, "<V> (optional_type(list(V)), int) -> optional_type(V)"},
    {"_[?_]", "map_optindex_optional_value", false, "<K, V> (map(K, V), K) -> optional_type(V)"},
    {"_[?_]", "optional_map_optindex_optional_value", false,
     "<K, V> (optional_type(map(K, V)), K) -> optional_type(V)"},
    {"_[_]", "optional_list_index_int", false, "<V> (optional_type(list(V)), int) -> optional_type(V)"},
    {"_[_]", "optional_map_index_value", false, "<K, V> (optional_type(map(K, V)), K) -> optional_type(V)"},
};

}  // namespace

std::span<const OverloadSpec> ExtensionOverloads() { return kExtensionOverloads; }

}  // namespace haru::cel
