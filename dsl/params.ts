// Parameters (given when bpftrace runs) and options (given when the probe is built).

/** Run-time parameters: bpftrace positional parameters (`$1`, `$2`…), given to `probec run` as `--param NAME=VALUE`. */
export const param = {
  /** An integer parameter: `const envoyPid = param.int("ENVOY_PID")` becomes `$1`. */
  int(name: string, options?: { default?: number }): number {
    void name;
    return options?.default ?? 0;
  },
  /** A string parameter (bpftrace `str($2)`). */
  str(name: string, options?: { default?: string }): string {
    void name;
    return options?.default ?? "";
  },
};

/**
 * Build-time options: constants fixed by `probec build --define NAME=VALUE`, usable in top-level
 * `if`s to include or leave out probes (`if (option.bool("kprobes", false)) kretprobe(…)`), and
 * inlined wherever they are read.
 */
export const option = {
  /** A boolean option (`--define NAME=true|false`). */
  bool(name: string, defaultValue: boolean): boolean {
    void name;
    return defaultValue;
  },
  /** An integer option (`--define NAME=15006`). */
  int(name: string, defaultValue: number): number {
    void name;
    return defaultValue;
  },
  /** A string option (`--define NAME=text`). */
  str(name: string, defaultValue: string): string {
    void name;
    return defaultValue;
  },
};
