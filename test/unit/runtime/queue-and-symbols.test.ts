import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ItemQueue } from "../../../runtime/item-queue.js";
import { parseProcMaps } from "../../../runtime/symbolize/process-maps.js";
import { ProcessStackSymbolizer } from "../../../runtime/symbolize/stack-symbolizer.js";
import { SymbolTables } from "../../../runtime/symbolize/symbol-tables.js";
import { openElf } from "../../../compiler/symbols/elf/index.js";

describe("item queue back-pressure", () => {
  it("pauses the producer above the high mark and resumes below the low mark", async () => {
    const calls: string[] = [];
    const q = new ItemQueue<number>({ pause: () => calls.push("pause"), resume: () => calls.push("resume") }, 4, 1);
    for (let i = 0; i < 6; i++) q.push(i);
    expect(calls).toEqual(["pause"]);
    expect(q.highWater).toBe(6);
    const got: number[] = [];
    for (let i = 0; i < 4; i++) got.push((await q.next())!);
    expect(calls).toEqual(["pause"]);
    got.push((await q.next())!); // one left: below the low mark
    expect(calls).toEqual(["pause", "resume"]);
    q.end();
    got.push((await q.next())!);
    expect(await q.next()).toBeUndefined();
    expect(got).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("hands over items pushed while the consumer waits, then the failure it ended with", async () => {
    const q = new ItemQueue<string>({ pause: () => {}, resume: () => {} });
    const first = q.next();
    q.push("a");
    expect(await first).toBe("a");
    q.push("b");
    q.end(new Error("bpftrace died"));
    expect(await q.next()).toBe("b");
    await expect(q.next()).rejects.toThrow("bpftrace died");
  });

  it("discards what is queued when the consumer leaves", async () => {
    const q = new ItemQueue<number>({ pause: () => {}, resume: () => {} });
    q.push(1);
    q.discard();
    q.push(2);
    expect(await q.next()).toBeUndefined();
  });
});

describe("symbolising bare addresses", () => {
  it("parses /proc/PID/maps file mappings, skipping anonymous and deleted ones", () => {
    const text = [
      "55f5e0600000-55f5e0700000 r-xp 00001000 08:01 1234                       /usr/bin/envoy",
      "7ffd5f310000-7ffd5f331000 rw-p 00000000 00:00 0                          [stack]",
      "7f0000000000-7f0000001000 r-xp 00000000 08:01 99                         /tmp/gone (deleted)",
      "7f1000000000-7f1000002000 r--p 00002000 08:01 77                         /lib/with space.so",
    ].join("\n");
    expect(parseProcMaps(text)).toEqual([
      { start: 0x55f5e0600000, end: 0x55f5e0700000, offset: 0x1000, path: "/usr/bin/envoy" },
      { start: 0x7f1000000000, end: 0x7f1000002000, offset: 0x2000, path: "/lib/with space.so" },
    ]);
  });

  it("finds the function holding a file offset of a real binary (node itself)", () => {
    const elf = openElf(process.execPath);
    const syms = elf.functionSymbols();
    let pick = -1;
    for (let i = 0; i < syms.count && pick < 0; i++) if (syms.size[i]! > 64 && syms.name(i).length > 3) pick = i;
    const fileOffset = elf.loadMap.fileOffset(syms.address[pick]! + 17)!;
    const name = syms.name(pick);
    elf.close();
    const tables = new SymbolTables((m) => (m === name ? `demangled:${m}` : null));
    const hit = tables.lookup(process.execPath, fileOffset)!;
    expect(hit.offset).toBe(17);
    expect(hit.symbol === name || hit.symbol === `demangled:${name}`).toBe(true);
    expect(tables.lookup("/nonexistent/binary", 0)).toBeNull();
  });

  it("places this process's own code addresses through its live mappings", () => {
    const s = new ProcessStackSymbolizer();
    s.notePid(process.pid);
    const maps = parseProcMaps(readFileSync("/proc/self/maps", "utf8"));
    const exe = maps.find((m) => m.path === process.execPath && m.offset > 0)!;
    const frames = [{ symbol: null, offset: null, address: `0x${(exe.start + 0x10).toString(16)}`, module: null }, { symbol: "kept", offset: 1, address: null, module: null }];
    const out = s.symbolizeFrames(frames);
    expect(out[0]!.module).toBe(process.execPath);
    expect(out[0]!.address).toBe(frames[0]!.address);
    expect(out[1]).toBe(frames[1]); // symbolised frames are kept as they are
    expect(frames[0]!.module).toBeNull(); // the input is not changed (decoded stacks are shared and frozen)
  });
});
