const t0 = performance.now();
const { Project, ts } = await import("ts-morph");
const t1 = performance.now();
const { compileProbeFile } = await import("./dist/compiler/frontend/index.js");
const t2 = performance.now();
const r = compileProbeFile(process.argv[2]);
const t3 = performance.now();
console.error(`tsmorph import ${Math.round(t1-t0)} fe import ${Math.round(t2-t1)} compile ${Math.round(t3-t2)}`);
