// The API's events are typed from the probe file's declared events (the DSL's EventsOf).
import { describe, expectTypeOf, it } from "vitest";
import type { EventsOf } from "../../../dsl/events.js";
import { events } from "../../../dsl/events.js";
import type { i32, SizedString, u16 } from "../../../dsl/types.js";
import { run, type RunHandle } from "../../../runtime/index.js";

const ev = events<{ accepted: { fd: i32; port: u16 }; filterChain: { name: SizedString } }>();
type Shapes = EventsOf<typeof ev>;

describe("run<EventsOf<…>>", () => {
  it("gives a union discriminated by event name", () => {
    // Only types are checked here; the handle is never iterated.
    const handle = (() => undefined) as unknown as () => RunHandle<Shapes>;
    type Item = RunHandle<Shapes> extends AsyncIterable<infer T> ? T : never;
    expectTypeOf<Extract<Item, { event: "accepted" }>["fields"]["fd"]>().toEqualTypeOf<number>();
    expectTypeOf<Extract<Item, { event: "filterChain" }>["fields"]["name"]["truncated"]>().toEqualTypeOf<boolean>();
    expectTypeOf<Item["event"]>().toEqualTypeOf<"accepted" | "filterChain">();
    expectTypeOf(run<Shapes>).returns.toEqualTypeOf<RunHandle<Shapes>>();
    void handle;
  });
});

describe("the DSL's decoded types match what the runtime gives back", () => {
  it("stack frames and sized strings", () => {
    expectTypeOf<import("../../../runtime/types.js").StackFrame[]>().toMatchTypeOf<import("../../../dsl/types.js").StackFrames>();
    expectTypeOf<import("../../../runtime/types.js").SizedStringValue>().toMatchTypeOf<import("../../../dsl/types.js").SizedString>();
  });
});
