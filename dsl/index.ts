// The probec DSL: what a .probe.ts imports as "probec". (Filled in by the DSL work.)
export {};
