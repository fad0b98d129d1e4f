// The probec runtime API: `import { run } from "probec/runtime"`. (Filled in by the runtime work.)
export {};
