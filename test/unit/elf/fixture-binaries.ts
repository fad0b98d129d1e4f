// Builds small real binaries for the symbol-engine tests with the installed compilers, once per
// test process, in a temporary directory. Shared by the elf, pattern and resolve tests.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** C++ source with the shapes the pattern language cares about: namespaces, overloads, ctors and
 * dtors, capture-less lambdas handed to a C callback, an inline namespace, clones. */
export const FIXTURE_CPP = String.raw`
#include <cstdio>
#include <string>
#include <string_view>
extern "C" int event_assign(void* ev, void* base, int fd, short what, void (*cb)(int, short, void*), void* arg);
extern "C" int c_helper(int x) { return x * 3; }
struct event_base;
namespace Envoy {
namespace Event {
class FileEventImpl {
public:
  FileEventImpl(int fd);
  ~FileEventImpl();
  void assignEvents(unsigned int events, event_base* base);
  int fd_;
};
FileEventImpl::FileEventImpl(int fd) : fd_(fd) { std::printf("ctor %d\n", fd); }
FileEventImpl::~FileEventImpl() { std::printf("dtor %d\n", fd_); }
__attribute__((noinline)) void FileEventImpl::assignEvents(unsigned int events, event_base* base) {
  event_assign(nullptr, base, fd_, static_cast<short>(events),
               [](int fd, short what, void* arg) { std::printf("cb %d %d %p\n", fd, what, arg); }, this);
}
} // namespace Event
namespace Network {
inline namespace v2 {
class TcpListenerImpl {
public:
  __attribute__((noinline)) void onSocketEvent(short flags);
  __attribute__((noinline)) void setName(std::string_view name);
  __attribute__((noinline)) void setName(const std::string& name);
  __attribute__((noinline)) void setName(const char* name, int len);
  int n_ = 0;
};
void TcpListenerImpl::onSocketEvent(short flags) { n_ += flags; std::printf("%d\n", n_); }
void TcpListenerImpl::setName(std::string_view name) { n_ += static_cast<int>(name.size()); }
void TcpListenerImpl::setName(const std::string& name) { n_ += static_cast<int>(name.size()) * 2; }
void TcpListenerImpl::setName(const char* name, int len) { n_ += len + name[0]; }
} // namespace v2
class ListenerManager {
public:
  __attribute__((noinline)) void addListener(int x);
  __attribute__((noinline)) void removeListener(int x);
};
void ListenerManager::addListener(int x) { std::printf("add %d\n", x); }
void ListenerManager::removeListener(int x) { std::printf("rm %d\n", x); }
} // namespace Network
} // namespace Envoy
extern "C" __attribute__((noinline)) int event_assign(void* ev, void* base, int fd, short what, void (*cb)(int, short, void*), void* arg) {
  if (fd < 0) cb(fd, what, arg);
  return ev == base ? 0 : 1;
}
namespace Envoy {
// GCC turns a static function always called with the same constant into a .constprop clone.
static __attribute__((noinline)) int scaleBy(int x, int factor) { return x * factor + (x >> 2) - factor; }
int scaleTwice(int a) { return scaleBy(a, 7) + scaleBy(a + 1, 7); }
} // namespace Envoy
int main(int argc, char** argv) {
  Envoy::Event::FileEventImpl f(argc);
  f.assignEvents(2, nullptr);
  Envoy::Network::TcpListenerImpl t;
  t.onSocketEvent(3);
  t.setName(std::string_view(argv[0]));
  t.setName(std::string(argv[0]));
  t.setName(argv[0], 1);
  Envoy::Network::ListenerManager m;
  m.addListener(1);
  m.removeListener(2);
  return c_helper(argc) == Envoy::scaleTwice(argc);
}
`;

export interface FixtureBinaries {
  dir: string;
  /** g++ -O2 with libstdc++. */
  gcc: string;
  /** clang++ -O2 with libc++. */
  clang: string;
  /** `gcc` stripped of .symtab (only .dynsym remains). */
  gccStripped: string;
  /** An AArch64 relocatable object built by clang. */
  aarch64Object: string;
}

let built: FixtureBinaries | undefined;

export function fixtureBinaries(): FixtureBinaries {
  if (built !== undefined) return built;
  const dir = mkdtempSync(join(tmpdir(), "probec-elf-fixture-"));
  const src = join(dir, "fixture.cpp");
  writeFileSync(src, FIXTURE_CPP);
  const gcc = join(dir, "fixture-gcc");
  const clang = join(dir, "fixture-clang");
  const gccStripped = join(dir, "fixture-gcc-stripped");
  const aarch64Object = join(dir, "fixture-aarch64.o");
  const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
  run("g++", ["-std=c++17", "-O2", "-rdynamic", "-Wl,--build-id", "-o", gcc, src]);
  run("clang++", ["-std=c++17", "-O2", "-stdlib=libc++", "-rdynamic", "-Wl,--build-id", "-o", clang, src]);
  run("strip", ["-o", gccStripped, gcc]);
  writeFileSync(join(dir, "a64.c"), "int add_one(int x) { return x + 1; }\nstatic int twice(int x) { return 2 * x; }\nint use(int x) { return twice(x) + add_one(x); }\n");
  run("clang", ["--target=aarch64-linux-gnu", "-O1", "-c", "-o", aarch64Object, join(dir, "a64.c")]);
  built = { dir, gcc, clang, gccStripped, aarch64Object };
  return built;
}

/** Deletes the fixture directory (call from afterAll in each test file that built it). */
export function removeFixtureBinaries(): void {
  if (built === undefined) return;
  rmSync(built.dir, { recursive: true, force: true });
  built = undefined;
}
