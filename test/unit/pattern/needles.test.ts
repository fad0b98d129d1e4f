// Which byte strings the prefilter requires: sound (never required wrongly) and still selective.
import { describe, expect, it } from "vitest";
import { needlesOf, parsePattern } from "../../../compiler/symbols/pattern/index.js";

const needles = (p: string) => needlesOf(parsePattern(p)).required.map((b) => b.toString()).sort();

describe("needlesOf", () => {
  it("requires each plain path identifier as <len><id>", () => {
    expect(needles("Envoy::Network::TcpListenerImpl::onSocketEvent")).toEqual(["13onSocketEvent", "15TcpListenerImpl", "5Envoy", "7Network"]);
  });

  it("never requires std, the standard abbreviations, ctor/dtor names, operators or lambdas", () => {
    expect(needles("std::basic_string::size")).toEqual(["4size"]);
    expect(needles("std::__1::vector::push_back")).toEqual(["3__1", "6vector", "9push_back"]);
    expect(needles("Envoy::Event::FileEventImpl::FileEventImpl")).toEqual(["13FileEventImpl", "5Envoy", "5Event"]);
    expect(needles("Ns::Class::~Class")).toEqual(["2Ns", "5Class"]);
    expect(needles("Ns::Class::operator<<")).toEqual(["2Ns", "5Class"]);
    expect(needles("Ns::f::{lambda}")).toEqual(["1f", "2Ns"]);
  });

  it("uses the longest literal run of a glob, without a length", () => {
    expect(needles("*Listener*::on*")).toEqual(["Listener", "on"]);
    expect(needles("*::f*")).toEqual([]);
    expect(needles("Envoy::**::on*")).toEqual(["5Envoy", "on"]);
  });

  it("uses bare names when the pattern can match a C symbol", () => {
    expect(needles("event_base_loop")).toEqual(["event_base_loop"]);
    expect(needles("**::onAccept")).toEqual(["onAccept"]);
  });

  it("takes template arguments and parameters as no evidence", () => {
    expect(needles("Ns::Metric<Foo>::f(Bar)")).toEqual(["1f", "2Ns", "6Metric"]);
  });

  it("requires the whole name of a mangled pattern", () => {
    expect(needles("_ZN3Foo3barEv")).toEqual(["_ZN3Foo3barEv"]);
  });
});
