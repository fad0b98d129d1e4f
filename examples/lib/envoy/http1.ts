// The HTTP/1 codec: bytes handed to the codec (ConnectionImpl::dispatchSlice), to the parser
// (LegacyHttpParserImpl wrapping http_parser up to 1.27, BalsaParser from 1.28 — one point with
// both alternatives), and a complete request (onMessageComplete).
import { events, uprobe } from "probec";
import type { i32, u64 } from "probec";
import type { EnvoySetOptions } from "./options.js";

export const http1Events = events<{
  /** Http1::ConnectionImpl::dispatchSlice(slice, len). */
  http1Dispatch: { bytes: u64 };
  /** The parser's execute(slice, len), whichever parser the build uses. */
  http1Parse: { bytes: i32 };
  /** Http1::ConnectionImpl::onMessageComplete: a whole request was parsed. */
  http1MessageComplete: {};
}>();

export interface Http1CodecOptions extends EnvoySetOptions {
  /**
   * Read dispatchSlice's length. Real Envoy declares `Envoy::StatusOr<size_t> dispatchSlice(…)`:
   * a status returned through a hidden pointer moves the arguments by one register, so turn this
   * off (or check the length with `probec check`) on such builds. Default true (the fixture's
   * dispatchSlice returns size_t).
   */
  sliceLength?: boolean;
}

/** Probes the HTTP/1 codec; emits {@link http1Events}. */
export function http1Codec(o: Http1CodecOptions): void {
  const ev = http1Events;
  const dispatch = o.envoy.fn("Envoy::Http::Http1::ConnectionImpl::dispatchSlice(char const*, unsigned long)");
  const { sliceLength = true } = o;
  if (sliceLength) {
    uprobe(dispatch, { when: o.when }, (f) => ev.http1Dispatch({ bytes: f.arg(1).u64() }));
  } else {
    uprobe(dispatch, { when: o.when }, () => ev.http1Dispatch({ bytes: 0 }));
  }
  const parsers = o.envoy.fn.firstOf([
    "Envoy::Http::Http1::BalsaParser::execute(char const*, int)",
    "Envoy::Http::Http1::LegacyHttpParserImpl::execute(char const*, int)",
  ]);
  uprobe(parsers, { when: o.when }, (f) => ev.http1Parse({ bytes: f.arg(1).i32() }));
  uprobe(o.envoy.fn("Envoy::Http::Http1::ConnectionImpl::onMessageComplete()"), { when: o.when }, () => {
    ev.http1MessageComplete({});
  });
}
