// Patterns against real mangled names, demangled by the real demangler into SymbolViews.
import { describe, expect, it } from "vitest";
import { describe as describeSymbol } from "../../../compiler/symbols/demangle/index.js";
import { compilePattern, InlineNamespaces } from "../../../compiler/symbols/pattern/index.js";

function matches(pattern: string, mangled: string, inlineNs: string[] = []): boolean {
  const view = describeSymbol(mangled);
  if (view === null) throw new Error(`test name does not demangle: ${mangled}`);
  return compilePattern(pattern, { inline: new InlineNamespaces(inlineNs) }).matches(view, mangled);
}

const ON_SOCKET_EVENT = "_ZN5Envoy7Network15TcpListenerImpl13onSocketEventEs";
const SET_NAME_SV_GCC = "_ZN5Envoy7Network15TcpListenerImpl7setNameESt17basic_string_viewIcSt11char_traitsIcEE";
const SET_NAME_SV_CLANG = "_ZN5Envoy7Network15TcpListenerImpl7setNameENSt3__117basic_string_viewIcNS2_11char_traitsIcEEEE";
const SET_NAME_STR_GCC = "_ZN5Envoy7Network15TcpListenerImpl7setNameERKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEE";
const SET_NAME_STR_CLANG = "_ZN5Envoy7Network15TcpListenerImpl7setNameERKNSt3__112basic_stringIcNS2_11char_traitsIcEENS2_9allocatorIcEEEE";
const SET_NAME_PTR = "_ZN5Envoy7Network15TcpListenerImpl7setNameEPKci";
const FILTER_CHAIN_ABSL_LTS = "_ZN5Envoy10StreamInfo14StreamInfoImpl18setFilterChainNameEN4absl12lts_2023012511string_viewE";
const FILTER_CHAIN_ABSL = "_ZN5Envoy10StreamInfo14StreamInfoImpl18setFilterChainNameEN4absl11string_viewE";
const FILTER_CHAIN_DEBIAN = "_ZN5Envoy10StreamInfo14StreamInfoImpl18setFilterChainNameEN4absl7debian311string_viewE";
const LAMBDA_GCC_FUN = "_ZZN5Envoy5Event13FileEventImpl12assignEventsEjP10event_baseENUlisPvE_4_FUNEisS4_";
const LAMBDA_GCC_CALL = "_ZZN5Envoy5Event13FileEventImpl12assignEventsEjP10event_baseENKUlisPvE_clEisS4_";
const LAMBDA_CLANG_INVOKE = "_ZZN5Envoy5Event13FileEventImpl12assignEventsEjP10event_baseEN3$_08__invokeEisPv";
const LAMBDA_CLANG_CALL = "_ZZN5Envoy5Event13FileEventImpl12assignEventsEjP10event_baseENK3$_0clEisPv";
const CTOR_C1 = "_ZN5Envoy5Event13FileEventImplC1Ei";
const CTOR_C2 = "_ZN5Envoy5Event13FileEventImplC2Ei";
const DTOR_D0 = "_ZN5Envoy5Event13FileEventImplD0Ev";
const DTOR_D2 = "_ZN5Envoy5Event13FileEventImplD2Ev";
const VECTOR_PUSH_LIBCXX = "_ZNSt3__16vectorIiNS_9allocatorIiEEE9push_backEOi";
const ISRA = "_ZN2v88internal4Heap15PerformScavengeEv.isra.0";
const CONSTPROP = "_ZN5EnvoyL7scaleByEii.constprop.0";
const COLD = "_ZN2v88internal4Heap15PerformScavengeEv.cold";
const CONST_METHOD = "_ZNK5Envoy7Network14ConnectionImpl5stateEv";
const VTABLE = "_ZTVN5Envoy7Network14ConnectionImplE";
const OPERATOR_SHL = "_ZN5EnvoylsERSoRKNS_7Network14ConnectionImplE";

describe("SymbolPattern.matches", () => {
  it("matches a qualified name with every overload", () => {
    expect(matches("Envoy::Network::TcpListenerImpl::onSocketEvent", ON_SOCKET_EVENT)).toBe(true);
    for (const n of [SET_NAME_SV_GCC, SET_NAME_STR_GCC, SET_NAME_PTR, SET_NAME_SV_CLANG]) {
      expect(matches("Envoy::Network::TcpListenerImpl::setName", n), n).toBe(true);
    }
    expect(matches("Envoy::Network::TcpListenerImpl::onSocketEven", ON_SOCKET_EVENT)).toBe(false);
    expect(matches("Network::TcpListenerImpl::onSocketEvent", ON_SOCKET_EVENT)).toBe(false); // anchored at the root
    expect(matches("Envoy::Network::TcpListenerImpl", ON_SOCKET_EVENT)).toBe(false);
  });

  it("picks one overload by parameter types, through inline namespaces and typedef spellings", () => {
    expect(matches("Envoy::Network::TcpListenerImpl::setName(std::string_view)", SET_NAME_SV_GCC)).toBe(true);
    expect(matches("Envoy::Network::TcpListenerImpl::setName(std::string_view)", SET_NAME_SV_CLANG)).toBe(true);
    expect(matches("Envoy::Network::TcpListenerImpl::setName(std::string_view)", SET_NAME_STR_GCC)).toBe(false);
    expect(matches("Envoy::Network::TcpListenerImpl::setName(const std::string&)", SET_NAME_STR_GCC)).toBe(true);
    expect(matches("Envoy::Network::TcpListenerImpl::setName(std::string const &)", SET_NAME_STR_CLANG)).toBe(true);
    expect(matches("Envoy::Network::TcpListenerImpl::setName(const char*, int)", SET_NAME_PTR)).toBe(true);
    expect(matches("Envoy::Network::TcpListenerImpl::setName(const char*)", SET_NAME_PTR)).toBe(false);
    expect(matches("Envoy::Network::TcpListenerImpl::onSocketEvent(short)", ON_SOCKET_EVENT)).toBe(true);
    expect(matches("Envoy::Network::TcpListenerImpl::onSocketEvent(int16_t)", ON_SOCKET_EVENT)).toBe(true);
    expect(matches("Envoy::Network::TcpListenerImpl::onSocketEvent()", ON_SOCKET_EVENT)).toBe(false);
  });

  it("treats absl's LTS and configured inline namespaces as transparent in parameters", () => {
    const p = "Envoy::StreamInfo::StreamInfoImpl::setFilterChainName(absl::string_view)";
    expect(matches(p, FILTER_CHAIN_ABSL)).toBe(true);
    expect(matches(p, FILTER_CHAIN_ABSL_LTS)).toBe(true);
    expect(matches(p, FILTER_CHAIN_DEBIAN)).toBe(true); // Debian's absl::debian3 is a default
    const ubuntu = "_ZN5Envoy10StreamInfo14StreamInfoImpl18setFilterChainNameEN4absl7ubuntu211string_viewE";
    expect(matches(p, ubuntu)).toBe(false);
    expect(matches(p, ubuntu, ["absl::ubuntu2"])).toBe(true);
  });

  it("requires an inline namespace a pattern's parameter or template argument spells out", () => {
    const libcxx = "_ZN5Envoy7Network24ConnectionInfoSetterImpl18setFilterChainInfoENSt3__110shared_ptrIKNS0_15FilterChainInfoEEE";
    const libstdcxx = "_ZN5Envoy7Network24ConnectionInfoSetterImpl18setFilterChainInfoESt10shared_ptrIKNS0_15FilterChainInfoEE";
    const either = "Envoy::Network::ConnectionInfoSetterImpl::setFilterChainInfo(std::shared_ptr<const Envoy::Network::FilterChainInfo>)";
    const onlyLibcxx = "Envoy::Network::ConnectionInfoSetterImpl::setFilterChainInfo(std::__1::shared_ptr<const Envoy::Network::FilterChainInfo>)";
    expect(matches(either, libcxx)).toBe(true);
    expect(matches(either, libstdcxx)).toBe(true);
    expect(matches(onlyLibcxx, libcxx)).toBe(true);
    expect(matches(onlyLibcxx, libstdcxx)).toBe(false);
    // libstdc++'s new-ABI string is only found by a pattern that writes __cxx11 when it writes one.
    expect(matches("Envoy::Network::TcpListenerImpl::setName(const std::__cxx11::string&)", SET_NAME_STR_GCC)).toBe(true);
    expect(matches("Envoy::Network::TcpListenerImpl::setName(const std::__1::string&)", SET_NAME_STR_GCC)).toBe(false);
    expect(matches("Envoy::Network::TcpListenerImpl::setName(const std::__1::string&)", SET_NAME_STR_CLANG)).toBe(true);
    // In template arguments too.
    expect(matches("std::vector<int, std::__1::allocator<int>>::push_back", VECTOR_PUSH_LIBCXX)).toBe(true);
  });

  it("treats inline namespaces in the name as transparent unless the pattern names them", () => {
    expect(matches("std::vector::push_back", VECTOR_PUSH_LIBCXX)).toBe(true);
    expect(matches("std::__1::vector::push_back", VECTOR_PUSH_LIBCXX)).toBe(true);
    expect(matches("std::__1::__1::vector::push_back", VECTOR_PUSH_LIBCXX)).toBe(false);
    expect(matches("std::vector<int, std::allocator<int>>::push_back", VECTOR_PUSH_LIBCXX)).toBe(true);
    expect(matches("std::vector<char>::push_back", VECTOR_PUSH_LIBCXX)).toBe(false);
    const v2 = "_ZN5Envoy7Network2v215TcpListenerImpl13onSocketEventEs";
    expect(matches("Envoy::Network::TcpListenerImpl::onSocketEvent", v2)).toBe(false);
    expect(matches("Envoy::Network::TcpListenerImpl::onSocketEvent", v2, ["Envoy::Network::v2"])).toBe(true);
    expect(matches("Envoy::Network::v2::TcpListenerImpl::onSocketEvent", v2)).toBe(true);
  });

  it("supports '*' inside a component and '**' across namespaces", () => {
    expect(matches("*Listener*::on*", ON_SOCKET_EVENT)).toBe(false); // anchored: Envoy::Network come first
    expect(matches("Envoy::Network::*Listener*::on*", ON_SOCKET_EVENT)).toBe(true);
    expect(matches("Envoy::**::onSocketEvent", ON_SOCKET_EVENT)).toBe(true);
    expect(matches("**::onSocketEvent", ON_SOCKET_EVENT)).toBe(true);
    expect(matches("**::TcpListenerImpl::*", ON_SOCKET_EVENT)).toBe(true);
    expect(matches("Envoy::**", ON_SOCKET_EVENT)).toBe(true);
    expect(matches("Envoy::Network::**::TcpListenerImpl::onSocketEvent", ON_SOCKET_EVENT)).toBe(true); // ** spans zero
    expect(matches("Envoy::*::onSocketEvent", ON_SOCKET_EVENT)).toBe(false);
    // `**` does not reach into a function's local scope: the lambda invoker is not an Envoy method.
    expect(matches("Envoy::**::_FUN", LAMBDA_GCC_FUN)).toBe(false);
  });

  it("matches constructor and destructor variants", () => {
    for (const n of [CTOR_C1, CTOR_C2]) expect(matches("Envoy::Event::FileEventImpl::FileEventImpl", n)).toBe(true);
    for (const n of [DTOR_D0, DTOR_D2]) expect(matches("Envoy::Event::FileEventImpl::~FileEventImpl", n)).toBe(true);
    expect(matches("Envoy::Event::FileEventImpl::~FileEventImpl", CTOR_C1)).toBe(false);
    expect(matches("Envoy::Event::FileEventImpl::FileEventImpl(int)", CTOR_C2)).toBe(true);
  });

  it("finds the static invoker of the lambdas inside a function, for GCC and clang alike", () => {
    const p = "Envoy::Event::FileEventImpl::assignEvents::{lambda}";
    expect(matches(p, LAMBDA_GCC_FUN)).toBe(true);
    expect(matches(p, LAMBDA_CLANG_INVOKE)).toBe(true);
    expect(matches(p, LAMBDA_GCC_CALL)).toBe(false); // operator() is not what libevent calls
    expect(matches(p, LAMBDA_CLANG_CALL)).toBe(false);
    expect(matches(`${p}(int, short, void*)`, LAMBDA_GCC_FUN)).toBe(true);
    expect(matches(`${p}(int)`, LAMBDA_CLANG_INVOKE)).toBe(false);
    expect(matches(`${p}::operator()`, LAMBDA_GCC_CALL)).toBe(true);
    expect(matches(`${p}::operator()`, LAMBDA_CLANG_CALL)).toBe(true);
    expect(matches("Envoy::Event::FileEventImpl::assignEvents", LAMBDA_GCC_FUN)).toBe(false);
    expect(matches("Envoy::Event::FileEventImpl::onFileEvent::{lambda}", LAMBDA_GCC_FUN)).toBe(false);
    // `**::{lambda}` spans the enclosing function too: "every lambda invoker under Envoy".
    expect(matches("Envoy::**::{lambda}", LAMBDA_GCC_FUN)).toBe(true);
    expect(matches("Envoy::**::{lambda}", LAMBDA_CLANG_INVOKE)).toBe(true);
    expect(matches("Envoy::Event::**::{lambda}", LAMBDA_CLANG_INVOKE)).toBe(true);
    expect(matches("Envoy::Network::**::{lambda}", LAMBDA_CLANG_INVOKE)).toBe(false);
  });

  it("keeps clone suffixes with their function and never matches .cold parts", () => {
    expect(matches("v8::internal::Heap::PerformScavenge", ISRA)).toBe(true);
    expect(matches("Envoy::scaleBy", CONSTPROP)).toBe(true);
    expect(matches("v8::internal::Heap::PerformScavenge", COLD)).toBe(false);
    expect(matches("v8::internal::Heap::*", COLD)).toBe(false);
  });

  it("checks qualifiers only when the pattern gives them", () => {
    expect(matches("Envoy::Network::ConnectionImpl::state", CONST_METHOD)).toBe(true);
    expect(matches("Envoy::Network::ConnectionImpl::state() const", CONST_METHOD)).toBe(true);
    expect(matches("Envoy::Network::ConnectionImpl::state() &&", CONST_METHOD)).toBe(false);
  });

  it("matches operators by their spelling and never matches data or special symbols", () => {
    expect(matches("Envoy::operator<<", OPERATOR_SHL)).toBe(true);
    expect(matches("Envoy::operator <<", OPERATOR_SHL)).toBe(true);
    expect(matches("Envoy::operator>>", OPERATOR_SHL)).toBe(false);
    expect(matches("Envoy::Network::ConnectionImpl", VTABLE)).toBe(false);
    expect(matches("Envoy::Network::**", VTABLE)).toBe(false);
  });

  it("matches a mangled pattern exactly, clones included", () => {
    expect(matches(ON_SOCKET_EVENT, ON_SOCKET_EVENT)).toBe(true);
    expect(matches("_ZN2v88internal4Heap15PerformScavengeEv", ISRA)).toBe(true);
    expect(matches(CTOR_C1, CTOR_C2)).toBe(false);
  });
});
