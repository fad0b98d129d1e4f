// Generates a valid ELF64 (x86-64, little endian) with a large .symtab of plausible Envoy/v8-style
// mangled C++ function names, for the symbol-resolution benchmark. The file is cached by
// parameters in the temp directory; `node bench/synthetic-elf.mjs [COUNT]` prints its path.
import { createHash } from "node:crypto";
import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, renameSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const GENERATOR_VERSION = 7;
const TEXT_VADDR = 0x401000;
const FUNC_SIZE = 16;

const NAMESPACES = [
  ["Envoy", "Network"], ["Envoy", "Http"], ["Envoy", "Http", "Http1"], ["Envoy", "Event"], ["Envoy", "Server"],
  ["Envoy", "Router"], ["Envoy", "Upstream"], ["Envoy", "Extensions", "Filters", "Network"],
  ["Envoy", "Extensions", "ListenerFilters", "TlsInspector"], ["Envoy", "Stats"], ["Envoy", "Ssl"],
  ["v8", "internal"], ["v8", "internal", "compiler"], ["v8", "internal", "wasm"], ["node"], ["google", "protobuf", "internal"],
];
const CLASS_A = ["Tcp", "Udp", "Http", "Tls", "Listener", "Connection", "Stream", "Filter", "Socket", "Buffer", "Dispatcher", "Timer",
  "Isolate", "Parser", "Codec", "Route", "Cluster", "Host", "Watermark", "Counter", "Gauge", "Histogram", "Scope", "Config",
  "Factory", "Pool", "Cache", "Balsa", "Quic", "Grpc"];
const CLASS_B = ["Listener", "Connection", "Manager", "Handler", "Callbacks", "Factory", "Base", "Context", "State", "Info",
  "Config", "Entry", "Table", "Registry", "Event"];
const CLASS_C = ["Impl", "", "Base", "Wrapper", "V2", "Legacy"];
const VERBS = ["on", "set", "get", "add", "remove", "handle", "create", "process", "update", "dispatch", "read", "write", "close",
  "flush", "reset", "parse", "encode", "decode", "start", "stop"];
const NOUNS = ["SocketEvent", "FileEvent", "Data", "Headers", "Trailers", "Accept", "Timeout", "Buffer", "Stats", "Name", "State",
  "Message", "Body", "Request", "Response", "Connection", "Filter", "Route", "Cluster", "Host", "Slice", "Complete", "Callbacks",
  "Config", "Watermark"];
// Parameter encodings that are complete on their own (no back-references).
const PARAMS = ["i", "j", "m", "b", "s", "Pv", "PKc", "P10event_base", "N4absl11string_viewE", "R6Buffer", "PKvm",
  "St17basic_string_viewIcSt11char_traitsIcEE", "NSt3__117basic_string_viewIcNSt3__111char_traitsIcEEEE", "ib", "jj", "Pvm", "d"];

/** Known names every run contains, so benchmark patterns have exact targets. */
const FIXED = [
  "_ZN5Envoy7Network15TcpListenerImpl13onSocketEventEs",
  "_ZN5Envoy7Network14ConnectionImpl11onFileEventEj",
  "_ZN5Envoy7Network14ConnectionImpl11readDisableEb",
  "_ZN5Envoy7Network18IoSocketHandleImpl6acceptEP8sockaddrPj",
  "_ZZN5Envoy5Event13FileEventImpl12assignEventsEjP10event_baseENUlisPvE_4_FUNEisS4_",
  "_ZZN5Envoy5Event13FileEventImpl12assignEventsEjP10event_baseEN3$_08__invokeEisPv",
  "_ZN5Envoy6Server17ActiveTcpListener8onAcceptEONSt3__110unique_ptrINS_7Network16ConnectionSocketENS2_14default_deleteIS5_EEEE",
  "_ZN5Envoy6Server15ActiveTcpSocket13newConnectionEv",
  "_ZN5Envoy6Server15ActiveTcpSocket19continueFilterChainEb",
  "_ZN5Envoy10StreamInfo14StreamInfoImpl18setFilterChainNameEN4absl11string_viewE",
  "_ZN5Envoy4Http5Http114ConnectionImpl13dispatchSliceEPKcm",
  "_ZN5Envoy4Http5Http114ConnectionImpl17onMessageCompleteEv",
  "_ZN5Envoy10Extensions15ListenerFilters12TlsInspector6Filter16parseClientHelloEPKvm",
  "_ZN5Envoy5Event13FileEventImplC1EjP10event_basei",
  "_ZN5Envoy5Event13FileEventImplC2EjP10event_basei",
  "_ZN5Envoy5Event13FileEventImplD0Ev",
  "_ZN5Envoy5Event13FileEventImplD1Ev",
  "_ZN5Envoy5Event13FileEventImplD2Ev",
  "_ZN2v88internal4Heap14CollectGarbageENS0_15AllocationSpaceENS0_23GarbageCollectionReasonENS_15GCCallbackFlagsE",
  "_ZN2v88internal4Heap15PerformScavengeEv.isra.0",
  "_ZN2v88internal4Heap15PerformScavengeEv.cold",
];

/** The patterns the benchmark resolves: each matches at least one and at most 512 entries. */
export const SYNTHETIC_PATTERNS = [
  "Envoy::Network::TcpListenerImpl::onSocketEvent",
  "Envoy::Network::ConnectionImpl::onFileEvent",
  "Envoy::Network::ConnectionImpl::readDisable(bool)",
  "Envoy::Network::IoSocketHandleImpl::accept",
  "Envoy::Event::FileEventImpl::assignEvents::{lambda}",
  "Envoy::Event::FileEventImpl::FileEventImpl",
  "Envoy::Event::FileEventImpl::~FileEventImpl",
  "Envoy::Server::ActiveTcpListener::onAccept",
  "Envoy::Server::ActiveTcpSocket::newConnection",
  "Envoy::Server::ActiveTcpSocket::continueFilterChain",
  "Envoy::StreamInfo::StreamInfoImpl::setFilterChainName(absl::string_view)",
  "Envoy::Http::Http1::ConnectionImpl::dispatchSlice",
  "Envoy::Http::Http1::ConnectionImpl::onMessageComplete",
  "Envoy::Extensions::ListenerFilters::TlsInspector::Filter::parseClientHello",
  "v8::internal::Heap::CollectGarbage",
  "v8::internal::Heap::PerformScavenge",
  "Envoy::Network::TcpListenerImpl::on*",
  "Envoy::Http::HttpConnectionImpl::*",
  "Envoy::**::QuicListenerImpl::*",
  "node::TimerManagerImpl::*",
];

function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    s ^= s >>> 13;
    return (s >>> 0) / 0x1_0000_0000;
  };
}

const src = (id) => `${Buffer.byteLength(id)}${id}`;

function* generatedNames(count) {
  const rand = prng(count);
  const methods = [];
  for (const v of VERBS) for (const n of NOUNS) methods.push(v + n);
  let produced = 0;
  for (const name of FIXED) {
    if (produced++ >= count) return;
    yield name;
  }
  for (let round = 0; ; round++) {
    for (const ns of NAMESPACES) {
      for (const a of CLASS_A) {
        for (const b of CLASS_B) {
          for (const c of CLASS_C) {
            const cls = `${a}${b}${c}${round > 0 ? round : ""}`;
            const prefix = `_ZN${ns.map(src).join("")}${src(cls)}`;
            const perClass = 4 + Math.floor(rand() * 6);
            const start = Math.floor(rand() * methods.length);
            for (let k = 0; k < perClass; k++) {
              if (produced++ >= count) return;
              const method = methods[(start + k * 37) % methods.length];
              const nparams = Math.floor(rand() * 3);
              let params = "";
              for (let p = 0; p < nparams; p++) params += PARAMS[Math.floor(rand() * PARAMS.length)];
              const r = rand();
              const cv = r < 0.2 ? "K" : "";
              const suffix = r > 0.995 ? ".cold" : r > 0.99 ? ".isra.0" : "";
              yield `_ZN${cv}${prefix.slice(3)}${src(method)}E${params === "" ? "v" : params}${suffix}`;
            }
          }
        }
      }
    }
  }
}

/** Writes the ELF; returns its path. Reuses a cached file with the same parameters. */
export function syntheticElf(count = 1_000_000, dir = join(tmpdir(), "probec-bench")) {
  const path = join(dir, `synthetic-${count}-v${GENERATOR_VERSION}.elf`);
  if (existsSync(path)) return path;
  mkdirSync(dir, { recursive: true });

  const names = [...generatedNames(count)];
  const strtab = Buffer.from(`\0${names.join("\0")}\0`, "latin1");
  const shstrNames = ["", ".note.gnu.build-id", ".text", ".symtab", ".strtab", ".shstrtab"];
  const shstrtab = Buffer.from(`${shstrNames.join("\0")}\0`, "latin1");
  const shName = (n) => shstrNames.slice(0, shstrNames.indexOf(n)).reduce((acc, s) => acc + s.length + 1, 0);

  const nsyms = names.length + 1;
  const symtab = Buffer.alloc(nsyms * 24);
  let nameOff = 1;
  for (let i = 0; i < names.length; i++) {
    const at = (i + 1) * 24;
    symtab.writeUInt32LE(nameOff, at);
    symtab[at + 4] = (1 << 4) | 2; // GLOBAL FUNC
    symtab.writeUInt16LE(2, at + 6); // .text
    symtab.writeBigUInt64LE(BigInt(TEXT_VADDR + i * FUNC_SIZE), at + 8);
    symtab.writeBigUInt64LE(BigInt(FUNC_SIZE), at + 16);
    nameOff += Buffer.byteLength(names[i], "latin1") + 1;
  }
  // Two C1/C2 and D1/D2 pairs share an address, as real constructors do.
  for (const [a, b] of [[14, 15], [17, 18]]) symtab.writeBigUInt64LE(symtab.readBigUInt64LE(a * 24 + 8), b * 24 + 8);

  const buildId = createHash("sha1").update(`probec synthetic ${count} v${GENERATOR_VERSION}`).digest();
  const note = Buffer.alloc(16 + buildId.length);
  note.writeUInt32LE(4, 0);
  note.writeUInt32LE(buildId.length, 4);
  note.writeUInt32LE(3, 8);
  note.write("GNU\0", 12, "latin1");
  buildId.copy(note, 16);

  const align = (n, a) => Math.ceil(n / a) * a;
  const noteOff = 0x200;
  const textOff = 0x1000;
  const textSize = names.length * FUNC_SIZE;
  const symtabOff = align(textOff + textSize, 8);
  const strtabOff = symtabOff + symtab.length;
  const shstrOff = strtabOff + strtab.length;
  const shoff = align(shstrOff + shstrtab.length, 8);
  const sections = [
    null,
    { name: ".note.gnu.build-id", type: 7, flags: 2, addr: TEXT_VADDR - textOff + noteOff, off: noteOff, size: note.length, link: 0, info: 0, align: 4, ent: 0 },
    { name: ".text", type: 1, flags: 6, addr: TEXT_VADDR, off: textOff, size: textSize, link: 0, info: 0, align: 16, ent: 0 },
    { name: ".symtab", type: 2, flags: 0, addr: 0, off: symtabOff, size: symtab.length, link: 4, info: 1, align: 8, ent: 24 },
    { name: ".strtab", type: 3, flags: 0, addr: 0, off: strtabOff, size: strtab.length, link: 0, info: 0, align: 1, ent: 0 },
    { name: ".shstrtab", type: 3, flags: 0, addr: 0, off: shstrOff, size: shstrtab.length, link: 0, info: 0, align: 1, ent: 0 },
  ];
  const shdrs = Buffer.alloc(sections.length * 64);
  sections.forEach((s, i) => {
    if (s === null) return;
    const at = i * 64;
    shdrs.writeUInt32LE(shName(s.name), at);
    shdrs.writeUInt32LE(s.type, at + 4);
    shdrs.writeBigUInt64LE(BigInt(s.flags), at + 8);
    shdrs.writeBigUInt64LE(BigInt(s.addr), at + 16);
    shdrs.writeBigUInt64LE(BigInt(s.off), at + 24);
    shdrs.writeBigUInt64LE(BigInt(s.size), at + 32);
    shdrs.writeUInt32LE(s.link, at + 40);
    shdrs.writeUInt32LE(s.info, at + 44);
    shdrs.writeBigUInt64LE(BigInt(s.align), at + 48);
    shdrs.writeBigUInt64LE(BigInt(s.ent), at + 56);
  });

  const header = Buffer.alloc(64 + 56);
  header.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0);
  header.writeUInt16LE(2, 16); // ET_EXEC
  header.writeUInt16LE(62, 18); // x86-64
  header.writeUInt32LE(1, 20);
  header.writeBigUInt64LE(BigInt(TEXT_VADDR), 24);
  header.writeBigUInt64LE(64n, 32); // phoff
  header.writeBigUInt64LE(BigInt(shoff), 40);
  header.writeUInt16LE(64, 52);
  header.writeUInt16LE(56, 54);
  header.writeUInt16LE(1, 56);
  header.writeUInt16LE(64, 58);
  header.writeUInt16LE(sections.length, 60);
  header.writeUInt16LE(5, 62);
  // One PT_LOAD (R+X) mapping the headers, the note and .text.
  header.writeUInt32LE(1, 64);
  header.writeUInt32LE(5, 68);
  header.writeBigUInt64LE(0n, 72);
  header.writeBigUInt64LE(BigInt(TEXT_VADDR - textOff), 80);
  header.writeBigUInt64LE(BigInt(TEXT_VADDR - textOff), 88);
  header.writeBigUInt64LE(BigInt(textOff + textSize), 96);
  header.writeBigUInt64LE(BigInt(textOff + textSize), 104);
  header.writeBigUInt64LE(0x1000n, 112);

  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w");
  try {
    const put = (buf, at) => writeSync(fd, buf, 0, buf.length, at);
    put(header, 0);
    put(note, noteOff);
    // .text stays a hole of zeros (sparse): its bytes do not matter to symbol resolution.
    put(symtab, symtabOff);
    put(strtab, strtabOff);
    put(shstrtab, shstrOff);
    put(shdrs, shoff);
    ftruncateSync(fd, shoff + shdrs.length);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  return path;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const count = process.argv[2] === undefined ? 1_000_000 : Number(process.argv[2]);
  const t = performance.now();
  const path = syntheticElf(count);
  console.log(path);
  console.error(`(${((performance.now() - t) / 1000).toFixed(1)} s)`);
}
