// probec deploy FILE.probe.ts|FILE.bt (--pod-json FILE… | --pod NS/NAME --pod-uid UID --node NODE | --all-nodes):
// writes the Kubernetes objects that run the built script on the nodes of the target pods, and
// prints the kubectl commands that apply them, collect the recordings and delete them.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Manifest } from "../../ir/manifest.js";
import { parseNameValues } from "../name-value.js";
import { parseCommandArgs, UsageError, withUsage } from "../usage-error.js";

const HELP = `Usage: probec deploy FILE.probe.ts|FILE.bt TARGETS [options]

Writes a kubectl List (JSON) of the objects that run the built script next to target pods: a
ConfigMap (script, manifest, finder), and a privileged hostPID Job per target pod pinned to its
node, or a DaemonSet. Inside, the finder looks for the pod's processes in /proc/*/cgroup by the
pod's UID and runs bpftrace -f json on one; the output is the container's log. Then prints the
kubectl apply / logs | probec decode / delete commands. Nothing is sent to a cluster.

Targets (no cluster is contacted, so a pod's UID and node are given):
      --pod-json FILE        output of 'kubectl get pod NAME -o json' (a Pod or a List; repeatable)
      --pod NS/NAME          a pod by hand, with --pod-uid UID and --node NODE
      --all-nodes            a DaemonSet tracing every process of the binary on each node
      --node-selector K=V    with --all-nodes: only nodes with this label (repeatable)

Options:
      --binary NAME=PATH     bind binary("NAME") when building a .probe.ts (repeatable)
      --param NAME=VALUE     a parameter of the script (repeatable)
      --pid-param NAME       the parameter the found pid goes to (default: the one int parameter named *PID)
      --exe-name NAME        file name of the traced executable in the pod (default: the binary's name)
      --container-path NAME=PATH  where binary NAME is inside the target container (default: its executable)
      --image IMAGE          the bpftrace image (default ${"quay.io/iovisor/bpftrace:v0.17.0"}; needs sh, readlink, sed, mkfifo)
      --name NAME            base name of the objects (default: probec-<script>)
      --namespace NS         namespace of the objects (default: default)
      --duration SECONDS     trace this long, then stop cleanly (default 300; 0: until deleted)
      --ttl SECONDS          delete finished Jobs this long after (default 3600)
  -o, --output FILE          where to write the List (default: <script>.k8s.json); a .probe.ts is
                             built next to it (<script>.bt and <script>.manifest.json)
  -h, --help                 show this help`;

const DEFAULT_IMAGE = "quay.io/iovisor/bpftrace:v0.17.0";

function seconds(option: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text)) throw new UsageError(`probec deploy: ${option} expects whole seconds, got '${text}'`);
  return Number(text);
}

export async function main(argv: string[]): Promise<number> {
  return withUsage(async () => {
    const { values, positionals } = parseCommandArgs("deploy", {
      args: argv,
      allowPositionals: true,
      options: {
        "pod-json": { type: "string", multiple: true },
        pod: { type: "string" },
        "pod-uid": { type: "string" },
        node: { type: "string" },
        "all-nodes": { type: "boolean" },
        "node-selector": { type: "string", multiple: true },
        binary: { type: "string", multiple: true },
        param: { type: "string", multiple: true },
        "pid-param": { type: "string" },
        "exe-name": { type: "string" },
        "container-path": { type: "string", multiple: true },
        image: { type: "string" },
        name: { type: "string" },
        namespace: { type: "string" },
        duration: { type: "string" },
        ttl: { type: "string" },
        output: { type: "string", short: "o" },
        help: { type: "boolean", short: "h" },
      },
    });
    if (values.help) {
      process.stdout.write(HELP + "\n");
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError("probec deploy: expected one FILE (.probe.ts or .bt)");
    const file = positionals[0]!;
    const isProbe = file.endsWith(".ts");
    const modes = [values["pod-json"] !== undefined, values.pod !== undefined, values["all-nodes"] === true].filter(Boolean).length;
    if (modes !== 1) throw new UsageError("probec deploy: give the targets as --pod-json FILE…, or --pod NS/NAME (with --pod-uid and --node), or --all-nodes");
    if (values["node-selector"] && !values["all-nodes"]) throw new UsageError("probec deploy: --node-selector applies to --all-nodes (a pod's Job runs on the pod's node)");
    if (!isProbe && values.binary) throw new UsageError("probec deploy: --binary applies only when building a .probe.ts");
    const duration = seconds("--duration", values.duration, 300);
    const ttl = seconds("--ttl", values.ttl, 3600);

    const { podsFromJsonFile, podFromSpec, TargetError, DEPLOY_ERRORS } = await import("../../deploy/targets.js");
    let pods;
    try {
      pods = values["pod-json"]?.flatMap((f) => podsFromJsonFile(f)) ?? (values.pod !== undefined ? [podFromSpec(values.pod, values["pod-uid"] ?? "", values.node ?? "")] : []);
    } catch (err) {
      if (!(err instanceof TargetError)) throw err;
      process.stderr.write(`probec deploy: error PC${DEPLOY_ERRORS.badTarget}: ${err.message}\n`);
      return 1;
    }

    // The script and manifest: built now (written where probec build writes them, for decode later) or read.
    let scriptPath: string;
    let manifestPath: string;
    if (isProbe) {
      const { buildFile } = await import("../../pipeline/build-file.js");
      const { formatDiagnostics, hasErrors } = await import("../../diagnostics/index.js");
      const binaries = new Map(parseNameValues("deploy", "--binary", values.binary, { valueName: "PATH" }));
      // Next to the objects: the manifest is what decodes the recordings later.
      const outDir = dirname(values.output ?? "x");
      const built = await buildFile(file, { binaries, output: join(outDir, `${basename(file).replace(/(\.probe)?\.ts$/, "")}.bt`) });
      const text = formatDiagnostics(built.diagnostics, { color: process.stderr.isTTY === true, cwd: process.cwd(), sources: built.sources });
      if (text) process.stderr.write(text);
      if (!built.ok || hasErrors(built.diagnostics)) return 1;
      scriptPath = built.paths.script;
      manifestPath = built.paths.manifest;
    } else {
      scriptPath = file;
      const { manifestPathFor } = await import("../../../runtime/prepare-script.js");
      manifestPath = manifestPathFor(file);
      if (!existsSync(scriptPath)) throw new UsageError(`probec deploy: no such script '${scriptPath}'`);
    }
    const { loadManifest } = await import("../../../runtime/prepare-script.js");
    const { RunError } = await import("../../../runtime/run-error.js");
    let manifest: Manifest;
    try {
      manifest = await loadManifest(manifestPath);
    } catch (err) {
      if (!(err instanceof RunError)) throw err;
      process.stderr.write(`probec deploy: ${manifestPath}: ${err.format()}\n`);
      return 1;
    }
    const script = readFileSync(scriptPath, "utf8");
    const manifestText = readFileSync(manifestPath, "utf8");

    // Which parameter takes the pid the finder finds; the rest are given now.
    const pidParamName = values["pid-param"] ?? (() => {
      const named = manifest.params.filter((p) => p.kind === "int" && /pid$/i.test(p.name));
      return named.length === 1 ? named[0]!.name : undefined;
    })();
    const pidParam = pidParamName === undefined ? undefined : manifest.params.find((p) => p.name === pidParamName);
    if (pidParamName !== undefined && !pidParam) throw new UsageError(`probec deploy: --pid-param ${pidParamName}: the script has no such parameter`);
    const given = Object.fromEntries(parseNameValues("deploy", "--param", values.param));
    if (pidParam) given[pidParam.name] = "0";
    const { positionalParams, neededStrlen } = await import("../../../runtime/process/bpftrace-argv.js");
    let params: string[];
    try {
      params = positionalParams(manifest, given);
    } catch (err) {
      if (err instanceof RunError) throw new UsageError(`probec deploy: ${err.message}`);
      throw err;
    }
    const bpftraceEnv: Record<string, string> = { ...(manifest.bpftraceEnv ?? {}) };
    const strlen = neededStrlen(manifest);
    if (strlen !== null) bpftraceEnv.BPFTRACE_STRLEN ??= String(strlen);

    const containerPaths = new Map(parseNameValues("deploy", "--container-path", values["container-path"], { valueName: "PATH" }));
    for (const n of containerPaths.keys()) {
      if (!manifest.binaries.some((b) => b.name === n)) throw new UsageError(`probec deploy: --container-path ${n}: the script binds no binary '${n}'`);
    }
    const first = manifest.binaries[0];
    const exeName = values["exe-name"] ?? first?.name;
    if (exeName === undefined) throw new UsageError("probec deploy: the script traces no binary: give --exe-name NAME of the process to find");
    const links = manifest.binaries.map((b) => `${b.path}|${containerPaths.get(b.name) ?? ""}`);

    const { configMap, podJob, nodeDaemonSet, objectList, dnsLabel, RUN_LABEL } = await import("../../deploy/objects.js");
    if (pods.length === 0 && !values["all-nodes"]) throw new UsageError("probec deploy: no target pods");
    const base = basename(scriptPath).replace(/\.bt$/, "");
    const settings = {
      name: dnsLabel(values.name ?? `probec-${base}`, 52),
      namespace: values.namespace ?? "default",
      image: values.image ?? DEFAULT_IMAGE,
      script,
      manifestText,
      exeName,
      links,
      params,
      pidParam: pidParam?.position ?? 0,
      bpftraceEnv,
      durationSeconds: duration,
      deadlineSeconds: (duration === 0 ? 24 * 3600 : duration) + 300,
      ttlSeconds: ttl,
    };
    const nodeSelector = Object.fromEntries(parseNameValues("deploy", "--node-selector", values["node-selector"]));
    const workloads = values["all-nodes"] ? [nodeDaemonSet(settings, nodeSelector)] : pods.map((p) => podJob(settings, p));
    let list;
    try {
      list = objectList([configMap(settings), ...workloads]);
    } catch (err) {
      process.stderr.write(`probec deploy: error PC${DEPLOY_ERRORS.invalidObject}: an object does not validate against the Kubernetes schema: ${(err as Error).message}\n`);
      return 1;
    }
    const out = values.output ?? `${base}.k8s.json`;
    writeFileSync(out, JSON.stringify(list, null, 2) + "\n");

    const ns = settings.namespace;
    const lines = [`wrote ${out} (ConfigMap ${settings.name}, ${values["all-nodes"] ? `DaemonSet ${settings.name}` : `${workloads.length} Job${workloads.length === 1 ? "" : "s"}`}, image ${settings.image})`, "", "# start tracing", `kubectl apply -f ${out}`];
    const recordings: string[] = [];
    if (values["all-nodes"]) {
      lines.push("", "# collect one recording per node (after --duration, or when you are done)");
      lines.push(`for p in $(kubectl -n ${ns} get pods -l ${RUN_LABEL}=${settings.name} -o name); do kubectl -n ${ns} logs "$p" > "\${p#pod/}.jsonl"; done`);
      recordings.push("*.jsonl");
    } else {
      lines.push("", "# wait for the traces to end (--duration), then collect one recording per pod");
      lines.push(`kubectl -n ${ns} wait --for=condition=complete --timeout=${settings.deadlineSeconds}s ${workloads.map((j) => `job/${j.metadata!.name}`).join(" ")}`);
      for (const j of workloads) {
        lines.push(`kubectl -n ${ns} logs job/${j.metadata!.name} > ${j.metadata!.name}.jsonl`);
        recordings.push(`${j.metadata!.name}.jsonl`);
      }
    }
    lines.push("", "# decode anywhere with the manifest (one timeline, a process track per pod/node)");
    lines.push(`probec decode ${recordings.join(" ")} --manifest ${manifestPath} --format chrome-trace -o ${base}.trace.json`);
    lines.push("", "# clean up", `kubectl delete -f ${out}`);
    process.stdout.write(lines.join("\n") + "\n");
    return 0;
  });
}
