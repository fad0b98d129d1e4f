// probec deploy's pieces without a cluster: target pods from `kubectl get pod -o json` (and what is
// refused, with its code), objects that validate, names that stay DNS labels, and the finder's
// cgroup matching in both of the kubelet's spellings of a pod UID.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { configMap, dnsLabel, nodeDaemonSet, objectList, podJob, type DeploySettings } from "../../../compiler/deploy/objects.js";
import { FINDER_SCRIPT } from "../../../compiler/deploy/finder-script.js";
import { podsFromJsonFile, TargetError } from "../../../compiler/deploy/targets.js";

const dir = mkdtempSync(join(tmpdir(), "probec-deploy-unit-"));
const UID = "3f1c2b9e-7d4a-4e8f-9c21-5a6b7c8d9e0f";
const pod = (extra: object = {}) => ({ kind: "Pod", metadata: { name: "web-0", namespace: "shop", uid: UID }, spec: { nodeName: "node-a" }, ...extra });
const file = (name: string, v: unknown) => {
  const p = join(dir, name);
  writeFileSync(p, typeof v === "string" ? v : JSON.stringify(v));
  return p;
};
const settings: DeploySettings = {
  name: "probec-x",
  namespace: "default",
  image: "quay.io/iovisor/bpftrace:v0.17.0",
  script: "BEGIN { exit(); }\n",
  manifestText: "{}\n",
  exeName: "envoy",
  links: ["/opt/envoy|"],
  params: ["0"],
  pidParam: 1,
  bpftraceEnv: { BPFTRACE_STRLEN: "200" },
  durationSeconds: 60,
  deadlineSeconds: 360,
  ttlSeconds: 3600,
};

describe("deploy targets", () => {
  it("reads a Pod and a List of pods", () => {
    expect(podsFromJsonFile(file("pod.json", pod()))).toEqual([{ namespace: "shop", name: "web-0", uid: UID, node: "node-a" }]);
    expect(podsFromJsonFile(file("list.json", { kind: "List", items: [pod(), pod({ metadata: { name: "web-1", uid: UID.replace("3f", "4f") } })] }))).toHaveLength(2);
  });
  it("refuses what cannot be traced, saying why", () => {
    expect(() => podsFromJsonFile(file("unscheduled.json", pod({ spec: {} })))).toThrow(/not scheduled on a node yet/);
    expect(() => podsFromJsonFile(file("svc.json", { kind: "Service" }))).toThrow(/expected a Pod/);
    expect(() => podsFromJsonFile(file("baduid.json", pod({ metadata: { name: "a", uid: "nope" } })))).toThrow(TargetError);
    expect(() => podsFromJsonFile(file("broken.json", "{"))).toThrow(/not JSON/);
    expect(() => podsFromJsonFile(join(dir, "none.json"))).toThrow(/no such file/);
  });
});

describe("deploy objects", () => {
  it("validate against the Kubernetes schemas, and a wrong one does not", () => {
    const target = { namespace: "shop", name: "web-0", uid: UID, node: "node-a" };
    const list = objectList([configMap(settings), podJob(settings, target), nodeDaemonSet(settings, { pool: "edge" })]);
    expect(list.items.map((i) => (i as { kind: string }).kind)).toEqual(["ConfigMap", "Job", "DaemonSet"]);
    expect(() => objectList([podJob({ ...settings, deadlineSeconds: "an hour" as unknown as number }, target)])).toThrow(/activeDeadlineSeconds/);
  });
  it("keep names DNS labels however long the pod name", () => {
    const n = dnsLabel(`probec-accept-${"very-long-pod-name-".repeat(6)}`);
    expect(n.length).toBeLessThanOrEqual(63);
    expect(n).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  });
});

describe("the finder's cgroup matching", () => {
  // A fake /proc is not possible for the script (it reads /proc itself), so its in_pod function is
  // run on cgroup files written here, with the script's own text.
  const inPod = (cgroup: string, uid: string) => {
    const fake = join(dir, `p${Math.random().toString(16).slice(2)}`);
    mkdirSync(fake);
    writeFileSync(join(fake, "cgroup"), cgroup);
    const fn = FINDER_SCRIPT.slice(FINDER_SCRIPT.indexOf("# The systemd cgroup driver"), FINDER_SCRIPT.indexOf("pids=\"\"")).replace('"/proc/$1/cgroup"', `"${fake}/cgroup"`);
    const r = spawnSync("/bin/sh", ["-c", `uid="${uid}"\n${fn}\nin_pod 1 && echo yes || echo no`], { encoding: "utf8" });
    return r.stdout.trim();
  };
  it("matches the systemd and the cgroupfs spelling, v1 and v2, and nothing else", () => {
    const us = UID.replace(/-/g, "_");
    expect(inPod(`0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${us}.slice/cri-containerd-ab.scope\n`, UID)).toBe("yes");
    expect(inPod(`4:memory:/kubepods/burstable/pod${UID}/0123\n0::/\n`, UID)).toBe("yes");
    expect(inPod(`0::/kubepods.slice/kubepods-pod${us}.slice/x.scope\n`, UID)).toBe("yes");
    expect(inPod(`0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${us.replace("3f", "4f")}.slice/x.scope\n`, UID)).toBe("no");
    expect(inPod("0::/user.slice/session-1.scope\n", UID)).toBe("no");
  });
});
