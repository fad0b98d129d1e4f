// probec deploy: the Kubernetes objects validate against the schemas, carry the script probec build
// writes byte for byte, and the finder they run — extracted from the ConfigMap and run here under
// the local bpftrace — finds the target pod's process through /proc/*/cgroup naming the pod UID
// (a fixture placed in a cgroup named as the kubelet names a pod's), points the script's binary
// path at that process's file, and records what `probec decode` turns into the pod's events.
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { DaemonSet } from "kubernetes-models/apps/v1/DaemonSet";
import { Job } from "kubernetes-models/batch/v1/Job";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { buildFixture, variants119 } from "../fixtures/build-fixture.js";
import { driveTraffic, expectedFilterChainName } from "../fixtures/traffic.js";
import { describeE2E, startFixture } from "./harness.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const CLI = join(root, "dist/compiler/cli/main.js");
const PROBE = join(root, "examples/envoy/accept-flow-lib.probe.ts");
const POD_UID = "3f1c2b9e-7d4a-4e8f-9c21-5a6b7c8d9e0f";
const OTHER_UID = "0b7e6f5d-1c2a-4b3c-8d9e-aabbccddeeff";
const SNIS = ["alpha.example", "pod-traced.example"];

type Item = { kind: string; metadata: { name: string }; data?: Record<string, string>; spec?: any };

function cli(args: string[], cwd = root) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", cwd });
  return r;
}

/** A cgroup directory (created with its parents), and a way to put a process in it and take it out. */
function makeCgroup(path: string): { enter(pid: number): void; remove(): void } {
  mkdirSync(path, { recursive: true });
  return {
    enter: (pid) => writeFileSync(join(path, "cgroup.procs"), String(pid)),
    remove: () => {
      for (let p = path; p.includes("kubepods"); p = p.slice(0, p.lastIndexOf("/"))) {
        try {
          rmdirSync(p);
        } catch {
          break;
        }
      }
    },
  };
}

describeE2E("probec deploy: objects, the byte-identical script, and the pod-UID finder under bpftrace", () => {
  const variant = variants119()[0]!;
  it(`on ${variant.name}: validates, carries probec build's script, finds the pod's process by its cgroup and traces it`, async () => {
    const fixture = await buildFixture(variant);
    const dir = mkdtempSync(join(tmpdir(), "probec-deploy-"));
    // Built against a copy that is gone when the job runs: the finder must point the script's path at the target's file.
    mkdirSync(join(dir, "build-bin"));
    mkdirSync(join(dir, "pod-root"));
    const buildBinary = join(dir, "build-bin/envoy");
    const podBinary = join(dir, "pod-root/envoy");
    copyFileSync(fixture.path, buildBinary);
    copyFileSync(fixture.path, podBinary);
    spawnSync("chmod", ["+x", podBinary]);
    writeFileSync(
      join(dir, "pod.json"),
      JSON.stringify({ apiVersion: "v1", kind: "Pod", metadata: { name: "web-0", namespace: "shop", uid: POD_UID }, spec: { nodeName: "node-a", containers: [] } }),
    );
    mkdirSync(join(dir, "deploy"));
    mkdirSync(join(dir, "build"));
    const dep = cli(["deploy", PROBE, "--binary", `envoy=${buildBinary}`, "--pod-json", join(dir, "pod.json"), "--duration", "0", "-o", join(dir, "deploy/objects.json")]);
    expect(dep.status, dep.stderr).toBe(0);
    expect(dep.stdout).toMatch(/kubectl apply -f .*objects\.json/);
    expect(dep.stdout).toMatch(/kubectl -n default logs job\/\S+ > \S+\.jsonl/);
    expect(dep.stdout).toMatch(/probec decode .*--manifest .*accept-flow-lib\.manifest\.json/);
    expect(dep.stdout).toMatch(/kubectl delete -f/);
    const build = cli(["build", PROBE, "--binary", `envoy=${buildBinary}`, "-o", join(dir, "build/accept-flow-lib.bt")]);
    expect(build.status, build.stderr).toBe(0);

    // The objects: a List kubectl takes; each item validates against the Kubernetes schema again.
    const list = JSON.parse(readFileSync(join(dir, "deploy/objects.json"), "utf8")) as { kind: string; items: Item[] };
    expect(list.kind).toBe("List");
    const cm = list.items.find((i) => i.kind === "ConfigMap")!;
    const jobs = list.items.filter((i) => i.kind === "Job");
    expect(jobs).toHaveLength(1);
    new ConfigMap(cm as never).validate();
    new Job(jobs[0] as never).validate();
    const pod = jobs[0]!.spec.template.spec;
    expect(pod.hostPID).toBe(true);
    expect(pod.restartPolicy).toBe("Never");
    expect(pod.containers[0].securityContext.privileged).toBe(true);
    expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0]).toEqual({ key: "metadata.name", operator: "In", values: ["node-a"] });
    expect(jobs[0]!.spec.activeDeadlineSeconds).toBeGreaterThan(0);
    expect(jobs[0]!.spec.ttlSecondsAfterFinished).toBeGreaterThan(0);
    // A broken object does not validate (the check can fail).
    expect(() => new Job({ ...(jobs[0] as object), spec: { ...jobs[0]!.spec, backoffLimit: "none" } } as never).validate()).toThrow();

    // The script inside is byte-identical to probec build's.
    const built = readFileSync(join(dir, "build/accept-flow-lib.bt"));
    expect(Buffer.from(cm.data!["script.bt"]!, "utf8").equals(built)).toBe(true);
    expect(JSON.parse(cm.data!["manifest.json"]!)).toEqual(JSON.parse(readFileSync(join(dir, "build/accept-flow-lib.manifest.json"), "utf8")));

    // The DaemonSet mode validates too.
    const ds = cli(["deploy", join(dir, "build/accept-flow-lib.bt"), "--all-nodes", "--node-selector", "probec=yes", "-o", join(dir, "ds.json")]);
    expect(ds.status, ds.stderr).toBe(0);
    const dsItem = (JSON.parse(readFileSync(join(dir, "ds.json"), "utf8")) as { items: Item[] }).items.find((i) => i.kind === "DaemonSet")!;
    new DaemonSet(dsItem as never).validate();
    expect(dsItem.spec.template.spec.nodeSelector).toEqual({ probec: "yes" });

    // Run what the Job runs, here: its command, args and env, with the ConfigMap's files.
    rmSync(buildBinary);
    const job = jobs[0]!.spec.template.spec.containers[0];
    const files = join(dir, "configmap");
    mkdirSync(files);
    for (const [k, v] of Object.entries(cm.data!)) writeFileSync(join(files, k), v);
    const env: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin" };
    for (const e of job.env as { name: string; value?: string }[]) if (e.value !== undefined) env[e.name] = e.value;
    env.PROBEC_SCRIPT = join(files, "script.bt");
    env.TMPDIR = dir;

    // cgroup v2 with the systemd driver's names (the pod) and v1 with cgroupfs names (another pod).
    const v2root = existsSync("/sys/fs/cgroup/unified/cgroup.procs") ? "/sys/fs/cgroup/unified" : "/sys/fs/cgroup";
    const podCg = makeCgroup(`${v2root}/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${POD_UID.replace(/-/g, "_")}.slice/cri-containerd-0123abcd.scope`);
    const otherCg = existsSync("/sys/fs/cgroup/pids/cgroup.procs") ? makeCgroup(`/sys/fs/cgroup/pids/kubepods/burstable/pod${OTHER_UID}/4567ef`) : null;
    const target = await startFixture(podBinary, { deferListen: true });
    const other = await startFixture(podBinary);
    try {
      podCg.enter(target.pid);
      otherCg?.enter(other.pid);
      const find = (uid: string) => spawnSync("/bin/sh", [join(files, "run.sh")], { env: { ...env, PROBEC_POD_UID: uid, PROBEC_FIND_ONLY: "1" }, encoding: "utf8" });
      expect(find(POD_UID).stdout.trim().split("\n")).toEqual([String(target.pid)]);
      if (otherCg) expect(find(OTHER_UID).stdout.trim().split("\n")).toEqual([String(other.pid)]);
      expect(find("99999999-9999-4999-8999-999999999999").stdout.trim()).toBe("");

      const sh = spawn(job.command[0], [...job.command.slice(1).map((a: string) => a.replace("/probec/", `${files}/`)), ...job.args], { env, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      sh.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      sh.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      const deadline = Date.now() + 60_000;
      while (!stdout.includes('"attached_probes"') && Date.now() < deadline && sh.exitCode === null) await new Promise((r) => setTimeout(r, 100));
      expect(stdout, stderr).toContain('"attached_probes"');
      // 0.17 says attached before its uprobes are live: wait for BEGIN's effects is not ours to add here.
      await new Promise((r) => setTimeout(r, 3000));
      const port = await target.listen();
      await driveTraffic(port, SNIS.map((sni) => ({ sni })));
      await new Promise((r) => setTimeout(r, 1000));
      sh.kill("SIGTERM"); // what the kubelet sends at the deadline or on delete: the finder stops bpftrace cleanly
      await new Promise((r) => sh.once("close", r));
      expect(existsSync(buildBinary), "the finder linked the script's binary path to the target's file").toBe(true);
      const recording = join(dir, "web-0.jsonl");
      writeFileSync(recording, stdout);
      expect(stdout).toContain('{"type": "probec_label", "data": "shop/web-0@node-a"}');
      expect(stdout).toMatch(/"type": "probec_maps"/);

      const decoded = cli(["decode", recording, "--manifest", join(files, "manifest.json"), "--format", "jsonl"]);
      expect(decoded.status, decoded.stderr).toBe(0);
      const events = decoded.stdout.split("\n").filter((l) => l.startsWith('{"type":"event"')).map((l) => JSON.parse(l) as { event: string; pid: number; fields: Record<string, { text?: string }> });
      expect(events.length).toBeGreaterThan(0);
      expect(new Set(events.map((e) => e.pid))).toEqual(new Set([target.pid]));
      const snis = events.filter((e) => e.event === "tlsServerName").map((e) => e.fields.name!.text);
      expect(snis).toEqual(expect.arrayContaining(SNIS));
      const chains = events.filter((e) => e.event === "filterChain").map((e) => e.fields.name!.text);
      expect(chains).toEqual(expect.arrayContaining(SNIS.map((s) => expectedFilterChainName(s).toString("utf8"))));
    } finally {
      await target.stop(2_000);
      await other.stop(2_000);
      rmSync(buildBinary, { force: true });
      podCg.remove();
      otherCg?.remove();
    }
  }, 300_000);
});
