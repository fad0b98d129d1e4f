// The ABI end-to-end probe file: one unchanged source, built against each fixture variant. Every
// read names a parameter position; probec picks the registers, stack slots and string layout.
import { begin, binary, events, param, pid, printf, uprobe, uretprobe } from "probec";
import type { i32, i64, ptr, SizedString } from "probec";

const envoy = binary("envoy");
// Uprobes fire in every process running the binary: keep to the fixture this run started.
const fixturePid = param.int("FIXTURE_PID");
const mine = { when: () => pid === fixturePid };

export const ev = events<{
  sni: { name: SizedString };
  chain: { name: SizedString };
  svSecond: { self: ptr; tag: i32; sv: SizedString };
  svThird: { self: ptr; tag: i32; extra: i64; sv: SizedString };
  svSeventh: { a6: i32; sv: SizedString };
  svSplit: { a4: i32; sv: SizedString; after: i32 };
  svAfterDouble: { sv: SizedString };
  svReturnArg: { sv: SizedString };
  svReturn: { ret: SizedString };
  stringRef: { s: SizedString };
  stringPtr: { s: SizedString };
}>();

// BEGIN fires once every probe is attached: the test drives traffic only after this line.
begin(() => {
  printf("probec-abi-ready\n");
});

uprobe(envoy.fn("Envoy::Extensions::ListenerFilters::TlsInspector::Filter::onServername"), mine, (f) => {
  ev.sni({ name: f.arg(0).stringView(200) });
});

uprobe(envoy.fn("Envoy::StreamInfo::StreamInfoImpl::setFilterChainName"), mine, (f) => {
  ev.chain({ name: f.arg(0).stringView(200) });
});

uprobe(envoy.fn("Envoy::Fixture::AbiProbe::svSecond"), mine, (f) => {
  ev.svSecond({ self: f.this(), tag: f.arg(0).i32(), sv: f.arg(1).stringView(200) });
});

uprobe(envoy.fn("Envoy::Fixture::AbiProbe::svThird"), mine, (f) => {
  ev.svThird({ self: f.this(), tag: f.arg(0).i32(), extra: f.arg(1).i64(), sv: f.arg(2).stringView(200) });
});

uprobe(envoy.fn("Envoy::Fixture::AbiProbe::svSeventh"), mine, (f) => {
  ev.svSeventh({ a6: f.arg(5).i32(), sv: f.arg(6).stringView(200) });
});

uprobe(envoy.fn("Envoy::Fixture::AbiProbe::svSplit"), mine, (f) => {
  ev.svSplit({ a4: f.arg(3).i32(), sv: f.arg(4).stringView(200), after: f.arg(5).i32() });
});

uprobe(envoy.fn("Envoy::Fixture::AbiProbe::svAfterDouble"), mine, (f) => {
  ev.svAfterDouble({ sv: f.arg(1).stringView(200) });
});

uprobe(envoy.fn("Envoy::Fixture::AbiProbe::svReturn"), mine, (f) => {
  ev.svReturnArg({ sv: f.arg(0).stringView(200) });
});

uretprobe(envoy.fn("Envoy::Fixture::AbiProbe::svReturn"), mine, (r) => {
  ev.svReturn({ ret: r.ret.stringView(200) });
});

uprobe(envoy.fn("Envoy::Fixture::AbiProbe::stringRef"), mine, (f) => {
  ev.stringRef({ s: f.arg(0).stdString(200) });
});

uprobe(envoy.fn("Envoy::Fixture::AbiProbe::stringPtr"), mine, (f) => {
  ev.stringPtr({ s: f.arg(0).stdString(200) });
});
