// The Kubernetes objects that run a built script next to target pods: a ConfigMap with the script,
// its manifest and the finder script; then one Job per target pod, pinned to the pod's node, or one
// DaemonSet over selected nodes. Typed with kubernetes-models and validated against the Kubernetes
// schemas it carries: a mistake here is caught before kubectl sees it.
import { createHash } from "node:crypto";
import { DaemonSet } from "kubernetes-models/apps/v1/DaemonSet";
import { Job } from "kubernetes-models/batch/v1/Job";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import { FINDER_SCRIPT } from "./finder-script.js";
import type { PodTarget } from "./targets.js";

/** Where the ConfigMap is mounted in the bpftrace container. */
export const MOUNT = "/probec";
export const SCRIPT_KEY = "script.bt";
export const MANIFEST_KEY = "manifest.json";
export const FINDER_KEY = "run.sh";
export const RUN_LABEL = "probec.dev/run";

export interface DeploySettings {
  /** Base name of every object (DNS label). */
  name: string;
  /** Namespace of the objects (not of the targets: a Job may trace a pod of any namespace). */
  namespace: string;
  image: string;
  script: string;
  manifestText: string;
  /** File name of the traced executable, as /proc/PID/exe ends. */
  exeName: string;
  /** Lines `LOCAL|FROM` for the finder (PROBEC_LINKS). */
  links: string[];
  /** Positional parameters after the script; the pid one is a placeholder the finder replaces. */
  params: string[];
  /** Position of the pid parameter, 0 for none. */
  pidParam: number;
  /** Environment bpftrace needs (BPFTRACE_STRLEN). */
  bpftraceEnv: Record<string, string>;
  /** Seconds of tracing (0: until deleted). */
  durationSeconds: number;
  /** Hard limit of a Job's run (activeDeadlineSeconds). */
  deadlineSeconds: number;
  /** Finished Jobs (and their logs) are deleted this long after they end (ttlSecondsAfterFinished). */
  ttlSeconds: number;
}

/** A DNS-1123 label: lower case, digits and '-', at most 63 characters, a hash kept when cut. */
export function dnsLabel(text: string, max = 63): string {
  const clean = text.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "") || "probec";
  if (clean.length <= max) return clean;
  const hash = createHash("sha256").update(text).digest("hex").slice(0, 6);
  return `${clean.slice(0, max - 7).replace(/-+$/, "")}-${hash}`;
}

function labels(s: DeploySettings): Record<string, string> {
  return { "app.kubernetes.io/name": "probec", "app.kubernetes.io/managed-by": "probec", [RUN_LABEL]: s.name };
}

function container(s: DeploySettings, env: Record<string, string>): IContainer {
  return {
    name: "bpftrace",
    image: s.image,
    command: ["/bin/sh", `${MOUNT}/${FINDER_KEY}`],
    args: s.params,
    env: Object.entries({
      ...s.bpftraceEnv,
      PROBEC_EXE_NAME: s.exeName,
      PROBEC_PID_PARAM: String(s.pidParam),
      PROBEC_LINKS: s.links.join("\n"),
      PROBEC_DURATION: String(s.durationSeconds),
      PROBEC_SCRIPT: `${MOUNT}/${SCRIPT_KEY}`,
      ...env,
    }).map(([name, value]) => ({ name, value })),
    // bpftrace loads BPF programs and reads other processes' memory and files (/proc/PID/root).
    securityContext: { privileged: true },
    volumeMounts: [
      { name: "probec", mountPath: MOUNT, readOnly: true },
      { name: "debugfs", mountPath: "/sys/kernel/debug" },
      { name: "tracefs", mountPath: "/sys/kernel/tracing" },
      { name: "modules", mountPath: "/lib/modules", readOnly: true },
      { name: "usr-src", mountPath: "/usr/src", readOnly: true },
    ],
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "1Gi" } },
  };
}

function podSpec(s: DeploySettings, env: Record<string, string>, restartPolicy: "Never" | "Always"): IPodSpec {
  return {
    // The host's pid namespace: /proc shows every process of the node, the target pod's included.
    hostPID: true,
    restartPolicy,
    // Time for bpftrace to detach and print its maps after SIGTERM.
    terminationGracePeriodSeconds: 60,
    tolerations: [{ operator: "Exists" }],
    containers: [container(s, env)],
    volumes: [
      { name: "probec", configMap: { name: s.name, defaultMode: 0o555 } },
      { name: "debugfs", hostPath: { path: "/sys/kernel/debug" } },
      { name: "tracefs", hostPath: { path: "/sys/kernel/tracing" } },
      { name: "modules", hostPath: { path: "/lib/modules" } },
      { name: "usr-src", hostPath: { path: "/usr/src" } },
    ],
  };
}

export function configMap(s: DeploySettings): ConfigMap {
  return new ConfigMap({
    metadata: { name: s.name, namespace: s.namespace, labels: labels(s) },
    data: { [SCRIPT_KEY]: s.script, [MANIFEST_KEY]: s.manifestText, [FINDER_KEY]: FINDER_SCRIPT },
  });
}

/** The Job that traces one pod: on the pod's node, finding its processes by the pod's UID. */
export function podJob(s: DeploySettings, pod: PodTarget): Job {
  const name = dnsLabel(`${s.name}-${pod.name}`);
  const label = `${pod.namespace}/${pod.name}@${pod.node}`;
  const spec = podSpec(s, { PROBEC_POD_UID: pod.uid, PROBEC_LABEL: label }, "Never");
  spec.affinity = {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: [pod.node] }] }],
      },
    },
  };
  return new Job({
    metadata: { name, namespace: s.namespace, labels: labels(s), annotations: { "probec.dev/target-pod": `${pod.namespace}/${pod.name}`, "probec.dev/target-uid": pod.uid } },
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: s.deadlineSeconds,
      ttlSecondsAfterFinished: s.ttlSeconds,
      template: { metadata: { labels: labels(s) }, spec },
    },
  });
}

/**
 * One pod per selected node tracing every process of the executable there (no pod UID: the
 * DaemonSet cannot know which pods will land where). It holds after tracing instead of exiting,
 * since a DaemonSet's pods always restart.
 */
export function nodeDaemonSet(s: DeploySettings, nodeSelector: Record<string, string>): DaemonSet {
  const podLabels = labels(s);
  const spec = podSpec(s, { PROBEC_POD_UID: "", PROBEC_LABEL: "", PROBEC_HOLD: "1" }, "Always");
  // The node's name as the recording's label, from the downward API.
  spec.containers[0]!.env = spec.containers[0]!.env!.filter((e) => e.name !== "PROBEC_LABEL");
  spec.containers[0]!.env.push({ name: "PROBEC_LABEL", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } });
  if (Object.keys(nodeSelector).length > 0) spec.nodeSelector = nodeSelector;
  return new DaemonSet({
    metadata: { name: s.name, namespace: s.namespace, labels: podLabels },
    spec: { selector: { matchLabels: { [RUN_LABEL]: s.name } }, template: { metadata: { labels: podLabels }, spec } },
  });
}

/** Every object, validated (throws the schema's error when one is wrong), as one kubectl List. */
export function objectList(objects: (ConfigMap | Job | DaemonSet)[]): { apiVersion: "v1"; kind: "List"; items: unknown[] } {
  for (const o of objects) o.validate();
  return { apiVersion: "v1", kind: "List", items: objects.map((o) => o.toJSON()) };
}
