// The pods a deployment traces. No cluster is reachable from probec, so a pod's UID and node come
// from what `kubectl get pod NAME -o json` printed (a Pod, or a List of them), or are given by hand.
import { readFileSync } from "node:fs";

export interface PodTarget {
  namespace: string;
  name: string;
  /** metadata.uid: what the pod's cgroup paths are named after. */
  uid: string;
  /** spec.nodeName: where the pod runs, and so where the job must run. */
  node: string;
}

/** Codes of `probec deploy` (commands block, PC9690–PC9699). */
export const DEPLOY_ERRORS = {
  /** A generated object does not validate against the Kubernetes schema (a bug, or a bad --name/--image). */
  invalidObject: 9690,
  /** A target pod cannot be used: unreadable or not-JSON --pod-json, not a Pod, not scheduled, a bad UID. */
  badTarget: 9691,
} as const;

export class TargetError extends Error {}

const UID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function checkUid(uid: string, where: string): string {
  if (!UID.test(uid)) throw new TargetError(`${where}: pod UID '${uid}' is not a UID (8-4-4-4-12 lower-case hex, as metadata.uid)`);
  return uid;
}

function podOf(v: unknown, where: string): PodTarget {
  const pod = v as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown; uid?: unknown }; spec?: { nodeName?: unknown } };
  if (pod?.kind !== "Pod") throw new TargetError(`${where}: expected a Pod (kubectl get pod NAME -o json), got kind ${JSON.stringify(pod?.kind)}`);
  const { name, namespace, uid } = pod.metadata ?? {};
  if (typeof name !== "string" || typeof uid !== "string") throw new TargetError(`${where}: the Pod has no metadata.name or metadata.uid`);
  const node = pod.spec?.nodeName;
  if (typeof node !== "string" || node === "") throw new TargetError(`${where}: pod ${name} is not scheduled on a node yet (no spec.nodeName)`);
  return { namespace: typeof namespace === "string" ? namespace : "default", name, uid: checkUid(uid, where), node };
}

/** The pods in a file written by `kubectl get pod … -o json` (one Pod, or a List). */
export function podsFromJsonFile(path: string): PodTarget[] {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new TargetError(`${path}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : `not JSON (${(err as Error).message})`}`);
  }
  const list = value as { kind?: unknown; items?: unknown };
  if (list?.kind === "List" || list?.kind === "PodList") {
    if (!Array.isArray(list.items) || list.items.length === 0) throw new TargetError(`${path}: the List has no pods`);
    return list.items.map((p, i) => podOf(p, `${path} (item ${i})`));
  }
  return [podOf(value, path)];
}

/** `NS/NAME` (or NAME in the default namespace) with its UID and node given by hand. */
export function podFromSpec(spec: string, uid: string, node: string): PodTarget {
  const [namespace, name] = spec.includes("/") ? spec.split("/", 2) : ["default", spec];
  if (!namespace || !name) throw new TargetError(`--pod '${spec}': expected NAMESPACE/NAME`);
  if (node === "") throw new TargetError(`--pod '${spec}': --node is required with --pod (or give --pod-json)`);
  return { namespace, name, uid: checkUid(uid, `--pod ${spec}`), node };
}
