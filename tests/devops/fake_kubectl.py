#!/usr/bin/python3
# Debian's python3 (tools/install-deps) by path: a version manager's shim on PATH
# costs seconds per call, and the deploy steps call kubectl dozens of times.
"""A stand-in kubectl over a cluster kept in a JSON file, for running the
deploy steps harness_expert writes against the objects kubernetes_agent
writes. It does what the API server would refuse to do: set image on a
container that does not exist, act on an object or namespace that does not
exist, and it keeps Deployment revisions the way the controller does
(a new revision only when the pod template changes; rollout undo
--to-revision brings an old template back as a new revision).

State: $FAKE_KUBECTL_STATE/cluster.json; every call is appended to
$FAKE_KUBECTL_STATE/calls.log, every applied object to applied.jsonl.
$FAKE_KUBECTL_FAIL_ROLLOUT names a Deployment whose rollout status fails.
`patch --local` runs without a cluster, as the real one does.
"""
import copy
import json
import os
import sys

STATE = os.environ["FAKE_KUBECTL_STATE"]
CLUSTER = os.path.join(STATE, "cluster.json")
REVISION = "deployment.kubernetes.io/revision"
KINDS = {"deployment": "Deployment", "deployments": "Deployment", "deploy": "Deployment",
         "service": "Service", "services": "Service", "svc": "Service"}


def fail(message):
    print("error: " + message, file=sys.stderr)
    sys.exit(1)


def load():
    with open(CLUSTER) as f:
        return json.load(f)


def save(cluster):
    with open(CLUSTER, "w") as f:
        json.dump(cluster, f)


def merge(target, patch):
    """RFC 7386 JSON merge patch."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge(result.get(key), value)
    return result


def key(namespace, kind, name):
    return f"{namespace}/{kind}/{name}"


def resource(args):
    """kind/name or kind name -> (kind, name, rest of args)."""
    if "/" in args[0]:
        kind, name = args[0].split("/", 1)
        return KINDS.get(kind, kind), name, args[1:]
    return KINDS.get(args[0], args[0]), args[1], args[2:]


def jsonpath(obj, expression):
    """{.a.b\\.c/d}: dotted keys, backslash escapes a dot."""
    path = expression.strip("{}").lstrip(".")
    keys, current = [], ""
    i = 0
    while i < len(path):
        if path[i] == "\\" and i + 1 < len(path):
            current += path[i + 1]
            i += 2
            continue
        if path[i] == ".":
            keys.append(current)
            current = ""
        else:
            current += path[i]
        i += 1
    keys.append(current)
    for k in keys:
        if not isinstance(obj, dict) or k not in obj:
            return ""
        obj = obj[k]
    return obj if isinstance(obj, str) else json.dumps(obj)


def record_revision(cluster, entry_key, obj, old_template):
    """A Deployment gets a new revision when its pod template changes."""
    if obj["kind"] != "Deployment":
        return
    history = cluster.setdefault("history", {}).setdefault(entry_key, {})
    annotations = obj.setdefault("metadata", {}).setdefault("annotations", {})
    if old_template == obj["spec"]["template"] and REVISION in annotations:
        return
    revision = str(max([int(r) for r in history] + [0]) + 1)
    history[revision] = copy.deepcopy(obj["spec"]["template"])
    annotations[REVISION] = revision


def main(argv):
    with open(os.path.join(STATE, "calls.log"), "a") as log:
        log.write(" ".join(argv) + "\n")
    namespace, args = "default", []
    i = 0
    while i < len(argv):
        if argv[i] in ("-n", "--namespace"):
            namespace = argv[i + 1]
            i += 2
        else:
            args.append(argv[i])
            i += 1
    verb, rest = args[0], args[1:]
    if verb == "patch" and "--local" in rest:
        obj = json.load(sys.stdin)
        patch = json.loads(rest[rest.index("-p") + 1])
        print(json.dumps(merge(obj, patch)))
        return
    cluster = load()
    objects = cluster["objects"]
    if verb != "apply" and not any(k.startswith(namespace + "/") for k in objects):
        fail(f'namespaces "{namespace}" not found')
    if verb == "apply":
        obj = json.load(sys.stdin)
        obj.setdefault("metadata", {})["namespace"] = namespace
        for field in ("resourceVersion", "uid", "creationTimestamp"):
            if field in obj["metadata"]:
                fail(f"metadata.{field} must not be set on an object to create")
        entry_key = key(namespace, obj["kind"], obj["metadata"]["name"])
        old = objects.get(entry_key)
        record_revision(cluster, entry_key, obj, old["spec"]["template"] if old else None)
        objects[entry_key] = obj
        with open(os.path.join(STATE, "applied.jsonl"), "a") as applied:
            applied.write(json.dumps(obj) + "\n")
        save(cluster)
        print(f'{obj["kind"].lower()}/{obj["metadata"]["name"]} configured')
        return
    if verb == "rollout":
        action, rest = rest[0], rest[1:]
    else:
        action = None
    kind, name, options = resource(rest)
    entry_key = key(namespace, kind, name)
    obj = objects.get(entry_key)
    if verb == "delete":
        objects.pop(entry_key, None)
        if obj is None and "--ignore-not-found" not in options:
            fail(f'{kind} "{name}" not found')
        save(cluster)
        return
    if obj is None:
        fail(f'{kind.lower()}s "{name}" not found')
    if verb == "get":
        output = options[options.index("-o") + 1] if "-o" in options else "name"
        if output == "json":
            print(json.dumps(obj))
        elif output.startswith("jsonpath="):
            print(jsonpath(obj, output[len("jsonpath="):]), end="")
        else:
            print(f"{kind.lower()}/{name}")
        return
    if verb == "patch":
        patch = json.loads(options[options.index("-p") + 1])
        objects[entry_key] = merge(obj, patch)
        save(cluster)
        print(f"{kind.lower()}/{name} patched")
        return
    if verb == "scale":
        replicas = [o for o in options if o.startswith("--replicas=")]
        obj["spec"]["replicas"] = int(replicas[0].split("=", 1)[1])
        save(cluster)
        return
    if action == "status":
        if os.environ.get("FAKE_KUBECTL_FAIL_ROLLOUT") == name:
            fail(f'deployment "{name}" exceeded its progress deadline')
        print(f'deployment "{name}" successfully rolled out')
        return
    if action == "undo":
        history = cluster.get("history", {}).get(entry_key, {})
        wanted = [o.split("=", 1)[1] for o in options if o.startswith("--to-revision=")]
        current = obj["metadata"]["annotations"][REVISION]
        target = wanted[0] if wanted else max((r for r in history if int(r) < int(current)), key=int, default=None)
        if target not in history:
            fail(f"unable to find specified revision {target} in history")
        old = obj["spec"]["template"]
        obj["spec"]["template"] = copy.deepcopy(history[target])
        record_revision(cluster, entry_key, obj, old)
        save(cluster)
        print(f"deployment.apps/{name} rolled back")
        return
    fail("unsupported call: " + " ".join(argv))


def set_image(argv):
    """kubectl [-n NS] set image deployment/NAME CONTAINER=IMAGE..."""
    namespace = argv[argv.index("-n") + 1] if "-n" in argv else "default"
    args = [a for i, a in enumerate(argv) if a != "-n" and (i == 0 or argv[i - 1] != "-n")]
    kind, name, assignments = resource(args[2:])
    with open(os.path.join(STATE, "calls.log"), "a") as log:
        log.write(" ".join(argv) + "\n")
    cluster = load()
    entry_key = key(namespace, kind, name)
    obj = cluster["objects"].get(entry_key)
    if obj is None:
        fail(f'{kind.lower()}s "{name}" not found')
    old = copy.deepcopy(obj["spec"]["template"])
    containers = obj["spec"]["template"]["spec"]["containers"]
    for assignment in assignments:
        container, image = assignment.split("=", 1)
        matches = [c for c in containers if c["name"] == container]
        if not matches:
            fail(f'unable to find container named "{container}"')
        matches[0]["image"] = image
    record_revision(cluster, entry_key, obj, old)
    save(cluster)
    print(f"{kind.lower()}/{name} image updated")


if __name__ == "__main__":
    argv = sys.argv[1:]
    plain = [a for i, a in enumerate(argv) if a != "-n" and (i == 0 or argv[i - 1] != "-n")]
    if plain[:2] == ["set", "image"]:
        set_image(argv)
    else:
        main(argv)
