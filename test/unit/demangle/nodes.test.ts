// Small, hand-written cases per node kind. Each expectation is GNU c++filt's output (and is checked
// against the real c++filt too when it is installed, so a typo here cannot hide a bug).
import { describe, expect, it } from "vitest";
import { demangle, parse } from "../../../compiler/symbols/demangle/index.js";
import { cxxfilt, haveTool } from "./support.js";

const CASES: Record<string, [string, string][]> = {
  "names: nested, std, anonymous namespace, inline namespace": [
    ["_ZN1A1B1fEv", "A::B::f()"],
    ["_ZN12_GLOBAL__N_13fooEv", "(anonymous namespace)::foo()"],
    ["_ZNSt3__16vectorIiNS_9allocatorIiEEE9push_backEOi", "std::__1::vector<int, std::__1::allocator<int> >::push_back(int&&)"],
    ["_ZN3$_01fEv", "$_0::f()"],
  ],
  "template arguments and parameters": [
    ["_Z1fIiEvT_", "void f<int>(int)"],
    ["_Z1fIiEvPFT_vE", "void f<int>(int (*)())"],
    ["_Z1fRKSt6vectorIiSaIiEE", "f(std::vector<int, std::allocator<int> > const&)"],
    ["_Z1fIJidEEvDpT_", "void f<int, double>(int, double)"],
    ["_Z1fIJEEvDpT_", "void f<>()"],
  ],
  "member function qualifiers": [
    ["_ZNK1A1fEv", "A::f() const"],
    ["_ZNO1A1fEv", "A::f() &&"],
    ["_ZNVKR1A1fEv", "A::f() const volatile &"],
  ],
  "pointers, references, qualifiers": [
    ["_Z1fPKc", "f(char const*)"],
    ["_Z1fOi", "f(int&&)"],
    ["_Z1fPVKi", "f(int const volatile*)"],
    ["_Z1fIKhEvPKT_", "void f<unsigned char const>(unsigned char const*)"],
    ["_Z1fCd", "f(double _Complex)"],
    ["_Z1fGd", "f(double _Imaginary)"],
    ["_Z1fU3fooi", "f(int foo)"],
    ["_Z1fu3foo", "f(foo)"],
  ],
  "arrays and function types": [
    ["_Z1fRA5_i", "f(int (&) [5])"],
    ["_Z1fPA5_i", "f(int (*) [5])"],
    ["_Z1fA2_A3_i", "f(int [2][3])"],
    ["_Z1fPFviE", "f(void (*)(int))"],
    ["_Z1fPFPFivEvE", "f(int (*(*)())())"],
  ],
  "pointers to members": [
    ["_Z1fM1AFviE", "f(void (A::*)(int))"],
    ["_Z1fM1AKFviE", "f(void (A::*)(int) const)"],
    ["_Z1fM1Ai", "f(int A::*)"],
  ],
  "builtin types": [
    ["_Z1fDn", "f(decltype(nullptr))"],
    ["_Z1fDa", "f(auto)"],
    ["_Z1fDsDiDu", "f(char16_t, char32_t, char8_t)"],
    ["_Z1fegno", "f(long double, __float128, __int128, unsigned __int128)"],
    ["_Z1fiz", "f(int, ...)"],
    ["_Z1fDv4_f", "f(float __vector(4))"],
  ],
  substitutions: [
    ["_Z1fN1A1BES0_", "f(A::B, A::B)"],
    ["_Z1fIiEvT_S_", "void f<int>(int, f)"],
    ["_Z1fSaIcE", "f(std::allocator<char>)"],
    ["_Z1fSs", "f(std::basic_string<char, std::char_traits<char>, std::allocator<char> >)"],
    ["_Z1fSiSoSd", "f(std::basic_istream<char, std::char_traits<char> >, std::basic_ostream<char, std::char_traits<char> >, std::basic_iostream<char, std::char_traits<char> >)"],
    ["_Z1fSb", "f(std::basic_string)"],
    ["_ZNSsC1Ev", "std::basic_string<char, std::char_traits<char>, std::allocator<char> >::basic_string()"],
  ],
  "constructors and destructors": [
    ["_ZN1AC1Ev", "A::A()"],
    ["_ZN1AC2Ev", "A::A()"],
    ["_ZN1AC3Ev", "A::A()"],
    ["_ZN1BCI11AEi", "B::A(int)"],
    ["_ZN1AD0Ev", "A::~A()"],
    ["_ZN1AD1Ev", "A::~A()"],
    ["_ZN1AD2Ev", "A::~A()"],
  ],
  operators: [
    ["_ZN1AplERKS_", "A::operator+(A const&)"],
    ["_ZN1AlsEi", "A::operator<<(int)"],
    ["_ZN1AnwEm", "A::operator new(unsigned long)"],
    ["_ZN1AdaEPv", "A::operator delete[](void*)"],
    ["_ZN1AclEv", "A::operator()()"],
    ["_ZN1AixEi", "A::operator[](int)"],
    ["_ZN1AcviEv", "A::operator int()"],
    ["_ZStltI9file_pathSsEbRKSt4pairIT_T0_ES6_", "bool std::operator< <file_path, std::basic_string<char, std::char_traits<char>, std::allocator<char> > >(std::pair<file_path, std::basic_string<char, std::char_traits<char>, std::allocator<char> > > const&, std::pair<file_path, std::basic_string<char, std::char_traits<char>, std::allocator<char> > > const&)"],
  ],
  "lambdas, unnamed types, local names": [
    ["_ZZ4mainENKUlvE_clEv", "main::{lambda()#1}::operator()() const"],
    [
      "_ZZN5Envoy5Event13FileEventImpl12assignEventsEjP10event_baseENKUlisPvE_clEisS4_",
      "Envoy::Event::FileEventImpl::assignEvents(unsigned int, event_base*)::{lambda(int, short, void*)#1}::operator()(int, short, void*) const",
    ],
    [
      "_ZZN5Envoy5Event13FileEventImpl12assignEventsEjP10event_baseEN3$_18__invokeEisPv",
      "Envoy::Event::FileEventImpl::assignEvents(unsigned int, event_base*)::$_1::__invoke(int, short, void*)",
    ],
    ["_ZN1AUt_E", "A::{unnamed type#1}"],
    ["_ZZ1fvE1x", "f()::x"],
    ["_ZZ1fvE1x_0", "f()::x"],
    ["_ZZ1fvEs", "f()::string literal"],
    ["_ZZ2L1vENKUlDpT_E_clIJiPiEEEvS0_", "void L1()::{lambda((auto:1)...)#1}::operator()<int, int*>(int, int*) const"],
    ["_ZZN1XIfLj0EE2FnEvENKUlTyfT_E_clIiEEDafS1_", "auto X<float, 0u>::Fn()::{lambda<typename $T0>(float, $T0)#1}::operator()<int>(float, int) const"],
  ],
  "ABI tags": [
    ["_ZN1A3fooB5cxx11Ev", "A::foo[abi:cxx11]()"],
    ["_Z1fSsB3fooS_", "f(std::basic_string<char, std::char_traits<char>, std::allocator<char> >[abi:foo], std::basic_string<char, std::char_traits<char>, std::allocator<char> >[abi:foo])"],
  ],
  "special names": [
    ["_ZTV1A", "vtable for A"],
    ["_ZTT1A", "VTT for A"],
    ["_ZTI1A", "typeinfo for A"],
    ["_ZTS1A", "typeinfo name for A"],
    ["_ZGVZ1fvE1x", "guard variable for f()::x"],
    ["_ZThn8_N1A1fEv", "non-virtual thunk to A::f()"],
    ["_ZTv0_n24_N1A1fEv", "virtual thunk to A::f()"],
    ["_ZTch0_h8_N1A1fEv", "covariant return thunk to A::f()"],
    ["_ZTC1B0_1A", "construction vtable for A-in-B"],
    ["_ZGR1x5", "reference temporary #5 for x"],
    ["_ZTH1x", "TLS init function for x"],
    ["_ZTW1x", "TLS wrapper function for x"],
    ["_ZGTt1fv", "transaction clone for f()"],
    ["_ZGTn1fv", "non-transaction clone for f()"],
    ["_GLOBAL__I_a", "global constructors keyed to a"],
  ],
  "clone suffixes": [
    ["_Z1fv.isra.0", "f() [clone .isra.0]"],
    ["_Z1fv.constprop.0.isra.0", "f() [clone .constprop.0] [clone .isra.0]"],
    ["_Z1fv.part.0", "f() [clone .part.0]"],
    ["_Z1fv.cold", "f() [clone .cold]"],
    ["_Z1fv.lto_priv.0", "f() [clone .lto_priv.0]"],
    ["_ZL3foov.cold", "foo() [clone .cold]"],
  ],
  "literals and expressions": [
    ["_Z1fILi5EEvv", "void f<5>()"],
    ["_Z1fILj5EEvv", "void f<5u>()"],
    ["_Z1fILl5EEvv", "void f<5l>()"],
    ["_Z1fILm5EEvv", "void f<5ul>()"],
    ["_Z1fILx5EEvv", "void f<5ll>()"],
    ["_Z1fILy5EEvv", "void f<5ull>()"],
    ["_Z1fILin5EEvv", "void f<-5>()"],
    ["_Z1fILb0EEvv", "void f<false>()"],
    ["_Z1fILc97EEvv", "void f<(char)97>()"],
    ["_Z1fIXplLi1ELi2EEEvv", "void f<(1)+(2)>()"],
    ["_Z1fIiEDTplfp_fp_ET_", "decltype ({parm#1}+{parm#1}) f<int>(int)"],
    ["_Z1fIiEvDTstT_E", "void f<int>(decltype (sizeof (int)))"],
    ["_Z1fIXadL_ZN1A1fEvEEEvv", "void f<&A::f>()"],
    ["_Z1fIiEvDTcl1gfp_EE", "void f<int>(decltype (g({parm#1})))"],
    ["_Z1fIiEvDTdtfp_1xE", "void f<int>(decltype ({parm#1}.x))"],
    ["_Z1fIiEvDTqultLi1ELi2ELi3ELi4EE", "void f<int>(decltype (((1)<(2))?(3) : (4)))"],
    ["_ZN1A1fIiEEDTcvT__EEv", "decltype ((int)()) A::f<int>()"],
    ["_Z10unary_leftIJLi1ELi2ELi3EEEv1AIXflplT_EE", "void unary_left<1, 2, 3>(A<(...+(1, 2, 3))>)"],
    ["_Z6check2IiEvP6helperIXszgsnw_T_piEEE", "void check2<int>(helper<sizeof (::new int())>*)"],
    ["_Z1f1AIXtl1Xdi1adi1bdxLi3ELi1EEEE", "f(A<X{.a.b[3]=(1)}>)"],
  ],
  "C++20 modules": [
    ["_ZW6Module1fNS_1a1bENS0_1cE", "f@Module(a@Module::b, a@Module::c)"],
    ["_ZGIW3FooWP3BarW3Baz", "initializer for module Foo:Bar.Baz"],
  ],
};

describe("printing per node kind (c++filt's text)", () => {
  for (const [group, cases] of Object.entries(CASES)) {
    it(group, () => {
      for (const [mangled, expected] of cases) expect(demangle(mangled), mangled).toBe(expected);
    });
  }

  it.skipIf(!haveTool("c++filt"))("agrees with the installed c++filt on every case above", () => {
    const all = Object.values(CASES).flat();
    const real = cxxfilt(all.map(([m]) => m));
    all.forEach(([m, e], i) => expect(real[i], m).toBe(e));
  });
});

describe("rejection", () => {
  const invalid: [string, string][] = [
    ["", "NOT_MANGLED"],
    ["main", "NOT_MANGLED"],
    ["_Z", "UNEXPECTED_END"],
    ["_Z3fo", "UNEXPECTED_END"],
    ["_Z1fS_", "BAD_SUBSTITUTION"],
    ["_Z1fS0_", "BAD_SUBSTITUTION"],
    ["_ZTV1A#", "TRAILING_INPUT"],
    ["_Z1fv#", "UNEXPECTED_CHAR"],
    ["_Z1fQ", "UNEXPECTED_CHAR"],
    ["_Z0a", "BAD_NUMBER"],
    ["_Z99999999999999999999a", "BAD_NUMBER"],
    ["_ZN3CLSIiEIiEE", "UNEXPECTED_CHAR"],
  ];
  for (const [mangled, code] of invalid) {
    it(`rejects ${JSON.stringify(mangled)} with ${code}`, () => {
      expect(demangle(mangled)).toBeNull();
      try {
        parse(mangled);
        expect.unreachable(`parse accepted ${mangled}`);
      } catch (err) {
        expect((err as { code: string }).code).toBe(code);
        expect((err as { offset: number }).offset).toBeGreaterThanOrEqual(0);
        expect((err as { offset: number }).offset).toBeLessThanOrEqual(mangled.length);
      }
    });
  }

  it("rejects a template parameter with no template in scope when printing", () => {
    expect(demangle("_Z1fT_")).toBeNull();
    expect(demangle("_Z1fIiEvT0_")).toBeNull();
  });

  it("refuses names longer than c++filt does (1024 chars) unless asked", () => {
    const long = "_Z1f" + "i".repeat(1100);
    expect(demangle(long)).toBeNull();
    expect(demangle(long, { maxLength: Infinity })).toBe(`f(${Array(1100).fill("int").join(", ")})`);
  });

  it("reports the offset where parsing stopped", () => {
    try {
      parse("_ZN1A1fEvQ");
      expect.unreachable();
    } catch (err) {
      expect((err as { offset: number }).offset).toBe(9);
    }
  });
});

describe("print failures carry a code", () => {
  it("an unresolvable template parameter is BAD_TEMPLATE_PARAM", async () => {
    const { print } = await import("../../../compiler/symbols/demangle/index.js");
    expect(() => print(parse("_Z1fIiEvT0_"))).toThrowError(expect.objectContaining({ code: "BAD_TEMPLATE_PARAM" }));
  });
});
