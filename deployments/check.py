#!/usr/bin/env python3
"""Validate deployments/ with real parsers; `make deploy-check` runs this after `make build`.

- YAML: every Kubernetes manifest and the compose file parse (PyYAML, Debian python3-yaml),
  and the Kubernetes objects hold together: probes on /readyz and /healthz on the container
  port, resource requests and limits, non-root, Service/PDB selectors that match the pods,
  an HPA aimed at the Deployment, a grace period longer than HERALD_SHUTDOWN_TIMEOUT.
- compose: `docker-compose config` (Debian docker-compose) with the required variables set, and
  PostgreSQL's allocator settings as docs/deployment.md gives them.
- systemd: `systemd-analyze verify` (no warnings allowed) and `systemd-analyze security
  --offline` exposure at most 2.0, on a copy whose ExecStart is the freshly built bin/herald.
- Dockerfile: multi-stage, its go build line is exactly the Makefile's `build` recipe, the
  final stage is distroless or scratch, runs as a non-root user and runs no shell.
- Every HERALD_* variable set in these files is documented in docs/configuration.md.
"""
import os
import re
import shlex
import subprocess
import sys
import tempfile

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEP = os.path.join(ROOT, "deployments")
errors = []


def fail(msg):
    errors.append(msg)


def read(*parts):
    with open(os.path.join(ROOT, *parts), encoding="utf-8") as f:
        return f.read()


def documented_vars():
    return set(re.findall(r"^\| `(HERALD_[A-Z0-9_]+)` \|", read("docs", "configuration.md"), re.M))


DOCUMENTED = documented_vars()


def check_vars(where, names):
    for n in names:
        if n.startswith("HERALD_") and n not in DOCUMENTED:
            fail(f"{where}: {n} is not a variable of docs/configuration.md")


def size_bytes(s):
    """Parse a Go GOMEMLIMIT (400MiB) or a Kubernetes/compose/systemd size (512Mi, 512m, 512M)."""
    m = re.fullmatch(r"\s*(\d+)\s*(B|KiB|MiB|GiB|Ki|Mi|Gi|[kKmMgG])?\s*", str(s))
    if not m:
        return None
    unit = (m.group(2) or "B").lower().rstrip("ib") or "b"
    return int(m.group(1)) * {"b": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}[unit]


def check_memlimit(where, gomemlimit, hard):
    """GOMEMLIMIT must be set and leave headroom under the hard memory limit."""
    soft, lim = size_bytes(gomemlimit or ""), size_bytes(hard or "")
    if soft is None or lim is None:
        fail(f"{where}: needs GOMEMLIMIT ({gomemlimit!r}) and a memory limit ({hard!r})")
    elif not soft < lim * 0.95:
        fail(f"{where}: GOMEMLIMIT {gomemlimit} leaves no headroom under the memory limit {hard}")


def duration_seconds(s):
    total = 0.0
    for num, unit in re.findall(r"(\d+(?:\.\d+)?)(ms|s|m|h)", s):
        total += float(num) * {"ms": 0.001, "s": 1, "m": 60, "h": 3600}[unit]
    return total


# --- Kubernetes ----------------------------------------------------------------------------
API = {
    "ConfigMap": "v1", "Secret": "v1", "Service": "v1", "Deployment": "apps/v1",
    "HorizontalPodAutoscaler": "autoscaling/v2", "PodDisruptionBudget": "policy/v1",
    "Kustomization": "kustomize.config.k8s.io/v1beta1",
}
objs = {}
k8s = os.path.join(DEP, "k8s")
for name in sorted(os.listdir(k8s)):
    if not name.endswith((".yaml", ".yml")):
        continue
    try:
        docs = [d for d in yaml.safe_load_all(read("deployments", "k8s", name)) if d is not None]
    except yaml.YAMLError as e:
        fail(f"k8s/{name}: {e}")
        continue
    for d in docs:
        kind = d.get("kind")
        if API.get(kind) != d.get("apiVersion"):
            fail(f"k8s/{name}: kind {kind!r} with apiVersion {d.get('apiVersion')!r}; want {API.get(kind)!r}")
        if kind != "Kustomization" and not (d.get("metadata") or {}).get("name"):
            fail(f"k8s/{name}: {kind} has no metadata.name")
        objs.setdefault(kind, []).append((name, d))

for kind in ["ConfigMap", "Secret", "Service", "Deployment", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Kustomization"]:
    if kind not in objs:
        fail(f"k8s: no {kind}")

for kind in ("ConfigMap", "Secret"):
    for name, d in objs.get(kind, []):
        data = dict(d.get("data") or {}) | dict(d.get("stringData") or {})
        check_vars(f"k8s/{name}", data)
        for k, v in data.items():
            if not isinstance(v, str):
                fail(f"k8s/{name}: {k} must be a string (quote it), not {v!r}")

if objs.get("Kustomization"):
    kname, kust = objs["Kustomization"][0]
    for r in kust.get("resources", []):
        if not os.path.exists(os.path.join(k8s, r)):
            fail(f"k8s/{kname}: resource {r} does not exist")

shutdown = duration_seconds(next((d.get("data", {}).get("HERALD_SHUTDOWN_TIMEOUT", "15s") for _, d in objs.get("ConfigMap", [])), "15s"))
for name, dep in objs.get("Deployment", []):
    spec = dep["spec"]
    pod = spec["template"]
    labels = pod["metadata"]["labels"]
    if spec["selector"]["matchLabels"].items() - labels.items():
        fail(f"k8s/{name}: selector does not match the pod labels")
    ps = pod["spec"]
    if not (ps.get("securityContext") or {}).get("runAsNonRoot"):
        fail(f"k8s/{name}: pod securityContext.runAsNonRoot is not true")
    grace = ps.get("terminationGracePeriodSeconds", 30)
    pre = 0
    for c in ps["containers"]:
        ports = {p.get("name"): p["containerPort"] for p in c.get("ports", [])}
        for probe, path in (("readinessProbe", "/readyz"), ("livenessProbe", "/healthz")):
            hg = (c.get(probe) or {}).get("httpGet") or {}
            if hg.get("path") != path:
                fail(f"k8s/{name}: container {c['name']} {probe} is not GET {path}")
            if hg.get("port") not in ports and hg.get("port") not in ports.values():
                fail(f"k8s/{name}: container {c['name']} {probe} port {hg.get('port')!r} is not a container port")
        res = c.get("resources") or {}
        for part in ("requests", "limits"):
            for r in ("cpu", "memory"):
                if r not in (res.get(part) or {}):
                    fail(f"k8s/{name}: container {c['name']} has no resources.{part}.{r}")
        sc = c.get("securityContext") or {}
        if sc.get("allowPrivilegeEscalation") is not False or not sc.get("readOnlyRootFilesystem"):
            fail(f"k8s/{name}: container {c['name']} must set allowPrivilegeEscalation: false and readOnlyRootFilesystem: true")
        pre = max(pre, (((c.get("lifecycle") or {}).get("preStop") or {}).get("sleep") or {}).get("seconds", 0))
        for ef in c.get("envFrom", []):
            ref = (ef.get("configMapRef") or ef.get("secretRef") or {}).get("name")
            kind = "ConfigMap" if "configMapRef" in ef else "Secret"
            if ref not in [d["metadata"]["name"] for _, d in objs.get(kind, [])]:
                fail(f"k8s/{name}: envFrom {kind} {ref!r} is not defined")
        check_vars(f"k8s/{name}", [e["name"] for e in c.get("env", [])])
        check_memlimit(f"k8s/{name}: container {c['name']}", {e["name"]: e.get("value") for e in c.get("env", [])}.get("GOMEMLIMIT"),
                       (res.get("limits") or {}).get("memory"))
    if grace <= shutdown + pre:
        fail(f"k8s/{name}: terminationGracePeriodSeconds {grace} must exceed HERALD_SHUTDOWN_TIMEOUT ({shutdown:g}s) plus preStop ({pre}s)")
    for kind in ("Service", "PodDisruptionBudget"):
        for oname, o in objs.get(kind, []):
            sel = o["spec"]["selector"]
            sel = sel.get("matchLabels", sel) if kind == "PodDisruptionBudget" else sel
            if not sel or sel.items() - labels.items():
                fail(f"k8s/{oname}: {kind} selector {sel} does not select the Deployment's pods")
    for hname, h in objs.get("HorizontalPodAutoscaler", []):
        t = h["spec"]["scaleTargetRef"]
        if t.get("kind") != "Deployment" or t.get("name") != dep["metadata"]["name"]:
            fail(f"k8s/{hname}: the HPA does not target Deployment {dep['metadata']['name']}")
        if h["spec"].get("minReplicas", 1) < 2:
            fail(f"k8s/{hname}: minReplicas below 2 leaves the PDB nothing to protect")

# --- compose -------------------------------------------------------------------------------
compose_path = os.path.join(DEP, "docker-compose.yml")
try:
    compose = yaml.safe_load(read("deployments", "docker-compose.yml"))
    herald = compose["services"]["herald"]
    env = herald.get("environment") or {}
    check_vars("docker-compose.yml", env if isinstance(env, dict) else [e.split("=", 1)[0] for e in env])
    check_memlimit("docker-compose.yml: herald", env.get("GOMEMLIMIT") if isinstance(env, dict) else None, herald.get("mem_limit"))
    # docs/deployment.md ("PostgreSQL") gives these values and what they were measured to do.
    pg_env = compose["services"]["postgres"].get("environment") or {}
    for var, want in (("MALLOC_MMAP_THRESHOLD_", "8388608"), ("MALLOC_TRIM_THRESHOLD_", "33554432")):
        if str(pg_env.get(var)) != want:
            fail(f"docker-compose.yml: postgres should set {var}={want}, as docs/deployment.md says")
        if f"{var}={want}" not in read("docs", "deployment.md"):
            fail(f"docs/deployment.md does not give {var}={want}")
    for svc, s in compose["services"].items():
        if "healthcheck" not in s:
            fail(f"docker-compose.yml: service {svc} has no healthcheck")
    if not any(str(v).endswith(":/data") for v in herald.get("volumes", [])):
        fail("docker-compose.yml: herald has no volume on /data for media")
except (yaml.YAMLError, KeyError, TypeError) as e:
    fail(f"docker-compose.yml: {e!r}")
cenv = dict(os.environ, POSTGRES_PASSWORD="check", HERALD_JWT_SECRET="x" * 48)
r = subprocess.run(["docker-compose", "-f", compose_path, "config", "-q"], capture_output=True, text=True, env=cenv)
if r.returncode != 0 or r.stderr.strip():
    fail(f"docker-compose config: {r.stderr.strip() or r.returncode}")
# The required secrets are really required.
r = subprocess.run(["docker-compose", "-f", compose_path, "config", "-q"], capture_output=True, text=True,
                   env={k: v for k, v in cenv.items() if k != "HERALD_JWT_SECRET"})
if r.returncode == 0:
    fail("docker-compose config: accepted the file without HERALD_JWT_SECRET")

# --- systemd -------------------------------------------------------------------------------
unit = read("deployments", "systemd", "herald.service")
binary = os.path.join(ROOT, "bin", "herald")
if not os.access(binary, os.X_OK):
    fail("bin/herald is missing: run make build first (make deploy-check does)")
check_vars("herald.service", re.findall(r"\b(HERALD_[A-Z0-9_]+)=", unit))
m_soft, m_hard = re.search(r"(?m)^Environment=.*\bGOMEMLIMIT=(\S+)", unit), re.search(r"(?m)^MemoryMax=(\S+)", unit)
check_memlimit("herald.service", m_soft and m_soft.group(1), m_hard and m_hard.group(1))
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "herald.service")
    with open(path, "w", encoding="utf-8") as f:
        f.write(re.sub(r"(?m)^ExecStart=/usr/local/bin/herald", "ExecStart=" + binary, unit))
    r = subprocess.run(["systemd-analyze", "verify", path], capture_output=True, text=True)
    if r.returncode != 0 or r.stdout.strip() or r.stderr.strip():
        fail(f"systemd-analyze verify: {(r.stdout + r.stderr).strip() or r.returncode}")
    r = subprocess.run(["systemd-analyze", "security", "--offline=true", path], capture_output=True, text=True)
    m = re.search(r"Overall exposure level for herald.service: (\d+(?:\.\d+)?)", r.stdout)
    if not m or float(m.group(1)) > 2.0:
        fail(f"systemd-analyze security: exposure {m.group(1) if m else '?'} (want at most 2.0) {r.stderr.strip()}")

# --- Dockerfile ----------------------------------------------------------------------------
make = read("Makefile")
m = re.search(r"(?m)^build:.*\n\t(.+)$", make)
build_cmd = m.group(1).strip() if m else None
if not build_cmd or "go build" not in build_cmd:
    fail("Makefile: no go build command in the build target")
df = read("deployments", "Dockerfile")
lines = [l.strip() for l in re.sub(r"\\\n\s*", " ", df).splitlines() if l.strip() and not l.strip().startswith("#")]
stages = [i for i, l in enumerate(lines) if l.upper().startswith("FROM ")]
if len(stages) < 2:
    fail("Dockerfile: want a multi-stage build")
builds = [l[4:].strip() for l in lines if l.upper().startswith("RUN ") and "go build" in l]
if builds != [build_cmd]:
    fail(f"Dockerfile: go build lines {builds} differ from make build's {build_cmd!r}")
if build_cmd and not shlex.split(build_cmd)[0] == "CGO_ENABLED=0":
    fail("Makefile: the build must set CGO_ENABLED=0 for a static binary")
if stages:
    final = lines[stages[-1]:]
    base = final[0].split()[1]
    if not (base == "scratch" or base.startswith("gcr.io/distroless/static")):
        fail(f"Dockerfile: final image {base} is not distroless static or scratch")
    users = [l.split()[1] for l in final if l.upper().startswith("USER ")]
    if not users or users[-1].split(":")[0] in ("root", "0"):
        fail("Dockerfile: the final stage must switch to a non-root USER")
    for l in final:
        if l.upper().startswith("RUN ") or (l.upper().startswith(("CMD ", "ENTRYPOINT ", "HEALTHCHECK ")) and "[" not in l):
            fail(f"Dockerfile: {l!r} needs a shell, which the final image lacks")
    for l in final:
        if l.upper().startswith("ENV "):
            check_vars("Dockerfile", re.findall(r"\b(HERALD_[A-Z0-9_]+)=", l))

if errors:
    print("deploy-check failed:", *errors, sep="\n  ", file=sys.stderr)
    sys.exit(1)
print("deploy-check: k8s, compose, systemd unit and Dockerfile are valid")
