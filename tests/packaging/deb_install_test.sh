#!/usr/bin/env bash
# The agenthost .deb, installed into a scratch root and run from there:
# builds the packages with cpack, checks their control data and layout,
# builds the C example agent against the unpacked agenthost-sdk-dev, unpacks it with dpkg -x, starts the unpacked host with the
# unpacked example config (a scratch data dir and a free loopback port
# given as flags), and checks /health, that every agent the config enables
# is loaded from <root>/usr/lib/agenthost/plugins, and an invoke of sentiment.
#
#   deb_install_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
source_dir=$(cd "$2" && pwd)

fail() { echo "FAIL: $*" >&2; exit 1; }

scratch=$(mktemp -d /tmp/agenthost-deb-test.XXXXXX)
host_pid=
cleanup() {
  if [ -n "$host_pid" ]; then kill "$host_pid" 2>/dev/null || true; wait "$host_pid" 2>/dev/null || true; fi
  rm -rf "$scratch"
}
trap cleanup EXIT

# --- build the package (the binaries are built already: cpack's preinstall
# step finds them up to date) ---
(cd "$build" && cpack -G DEB -D "CPACK_COMPONENTS_ALL=runtime;sdk" -B "$scratch/out") >"$scratch/cpack.log" 2>&1 ||
  { cat "$scratch/cpack.log"; fail "cpack failed"; }
deb=$(find "$scratch/out" -maxdepth 1 -name "agenthost_*.deb" | head -1)
[ -f "$deb" ] || { cat "$scratch/cpack.log"; fail "no agenthost_*.deb in $scratch/out"; }
echo "built $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB)"

# --- control data ---
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = agenthost ] || fail "Package is '$(field Package)'"
depends=$(field Depends)
echo "Depends: $depends"
# What the binaries and plugins link directly (dpkg-shlibdeps); libsqlite3-0,
# libpq5 and libfmt9 come through the SOCI backends and spdlog.
for library in libpistache0 libsoci-core4.0 libsoci-sqlite3-4.0 libsoci-postgresql4.0 libcurl4 libspdlog1.10-fmt9 \
               libssl3 libyaml-cpp0.7 libjwt0 libsodium23 libboost-filesystem1.74.0; do
  grep -Eq "(^|, )$library( |,|$)" <<<"$depends" || fail "Depends lacks $library"
done
grep -q bubblewrap <<<"$(field Recommends)" || fail "Recommends lacks bubblewrap"
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles | grep -qx /etc/agenthost/agenthost.json ||
  fail "/etc/agenthost/agenthost.json is not a conffile"

# --- layout ---
root="$scratch/root"
dpkg -x "$deb" "$root"
for path in usr/bin/agenthost usr/bin/agenthost-plugin-runner usr/bin/agentctl \
            etc/agenthost/agenthost.json usr/lib/systemd/system/agenthost.service \
            usr/share/bash-completion/completions/agentctl usr/share/doc/agenthost/README.md \
            usr/share/agenthost/schemas/config.schema.json usr/share/agenthost/schemas/plugin-manifest.schema.json \
            usr/share/agenthost/console/index.html usr/share/agenthost/console/console.js \
            usr/share/agenthost/console/console.css; do
  [ -e "$root/$path" ] || fail "the package has no /$path"
done
for manifest in "$source_dir"/plugins/*/manifest.json; do
  name=$(basename "$(dirname "$manifest")")
  [ -f "$root/usr/lib/agenthost/plugins/$name/lib$name.so" ] || fail "no /usr/lib/agenthost/plugins/$name/lib$name.so"
  [ -f "$root/usr/lib/agenthost/plugins/$name/manifest.json" ] || fail "no /usr/lib/agenthost/plugins/$name/manifest.json"
done
# Nothing from the SDK or the build tree leaks into the runtime package.
if dpkg-deb -c "$deb" | grep -Eq '\./usr/include/|/tests?/|/build/'; then fail "unexpected files in the package"; fi

unit="$root/usr/lib/systemd/system/agenthost.service"
for line in 'ExecStart=/usr/bin/agenthost --config /etc/agenthost/agenthost.json' 'DynamicUser=yes' \
            'StateDirectory=agenthost' 'NoNewPrivileges=yes' 'ProtectSystem=strict' 'Restart=on-failure' 'Type=simple'; do
  grep -qx "$line" "$unit" || fail "agenthost.service lacks '$line'"
done
# systemd's own parser, where there is one (it checks every directive name;
# ExecStart's binary is looked up on this machine, so it is pointed at the
# unpacked one).
if command -v systemd-analyze >/dev/null 2>&1; then
  sed "s|/usr/bin/agenthost|$root/usr/bin/agenthost|" "$unit" >"$scratch/agenthost.service"
  # Its exit status also reflects the machine (no running systemd in a
  # container); a complaint about the unit names the file.
  systemd-analyze verify "$scratch/agenthost.service" >"$scratch/verify.log" 2>&1 || true
  if grep -q "agenthost.service:" "$scratch/verify.log"; then cat "$scratch/verify.log"; fail "systemd-analyze verify"; fi
  echo "systemd-analyze verify: no complaint about agenthost.service"
fi

# The example config is config/agenthost.json with /var/lib/agenthost and no
# plugin directories, and otherwise the same.
python3 - "$root/etc/agenthost/agenthost.json" "$source_dir/config/agenthost.json" <<'PY' || fail "example config"
import json, sys
example, default = (json.load(open(p)) for p in sys.argv[1:3])
assert example["data_dir"] == "/var/lib/agenthost", example["data_dir"]
assert "directories" not in example.get("plugins", {}), "the example names plugin directories"
for config in (example, default):
    del config["data_dir"]
    config.get("plugins", {}).pop("directories", None)
    if config.get("plugins") == {}:
        del config["plugins"]
assert example == default, f"packaging/agenthost.json drifted from config/agenthost.json: {example} != {default}"
PY

# --- the SDK package: a third party's agent builds against it alone ---
sdk_deb=$(find "$scratch/out" -maxdepth 1 -name "agenthost-sdk-dev_*.deb" | head -1)
[ -f "$sdk_deb" ] || fail "no agenthost-sdk-dev_*.deb in $scratch/out"
[ "$(dpkg-deb -f "$sdk_deb" Architecture)" = all ] || fail "agenthost-sdk-dev is not Architecture: all"
grep -q rapidjson-dev <<<"$(dpkg-deb -f "$sdk_deb" Depends)" || fail "agenthost-sdk-dev does not depend on rapidjson-dev"
sdk_root="$scratch/sdk-root"
dpkg -x "$sdk_deb" "$sdk_root"
for path in usr/include/agenthost/abi.h usr/include/agenthost/agent.hpp \
            usr/lib/cmake/agenthost-sdk/agenthost-sdk-config.cmake usr/share/agenthost-sdk/plugin_check.cpp; do
  [ -e "$sdk_root/$path" ] || fail "agenthost-sdk-dev has no /$path"
done
if dpkg-deb -c "$sdk_deb" | grep -q '/bin/'; then fail "agenthost-sdk-dev holds binaries"; fi
if ! { cmake -S "$source_dir/examples/out-of-tree-c-agent" -B "$scratch/tally" -DCMAKE_PREFIX_PATH="$sdk_root/usr" &&
        cmake --build "$scratch/tally"; } >"$scratch/tally.log" 2>&1; then
  cat "$scratch/tally.log"; fail "the C example agent does not build against the unpacked SDK"
fi
grep -qx "agenthost-sdk_DIR:PATH=$sdk_root/usr/lib/cmake/agenthost-sdk" "$scratch/tally/CMakeCache.txt" ||
  fail "the example agent found another SDK: $(grep agenthost-sdk_DIR "$scratch/tally/CMakeCache.txt")"
for file in libtally.so manifest.json; do
  [ -f "$scratch/tally/plugins/tally/$file" ] || fail "the example agent's $file is missing"
done
echo "the C example agent builds against $(basename "$sdk_deb")"

# --- run the unpacked host from its unpacked config ---
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$scratch/data"
# No --plugins-dir: the host must find <root>/usr/lib/agenthost/plugins itself.
(cd "$scratch" && exec "$root/usr/bin/agenthost" --config "$root/etc/agenthost/agenthost.json" \
   --data-dir "$scratch/data" --host 127.0.0.1 --port "$port") >"$scratch/host.log" 2>&1 &
host_pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do
  curl -fsS "$base/health" >/dev/null 2>&1 && break
  kill -0 "$host_pid" 2>/dev/null || { cat "$scratch/host.log"; fail "the unpacked host exited"; }
  sleep 0.1
done
curl -fsS "$base/health" >"$scratch/health.json" || { cat "$scratch/host.log"; fail "GET /health"; }
curl -fsS "$base/ready" >/dev/null || fail "GET /ready"
# The console is in the binary: the installed host serves what it installed.
curl -fsS "$base/console/console.js" | cmp -s - "$root/usr/share/agenthost/console/console.js" ||
  fail "GET /console/console.js differs from /usr/share/agenthost/console/console.js"
curl -fsS "$base/plugins" >"$scratch/plugins.json" || fail "GET /plugins"
python3 - "$scratch/plugins.json" "$root/etc/agenthost/agenthost.json" "$root/usr/lib/agenthost/plugins" <<'PY' ||
import json, os, sys
plugins = {p["name"]: p for p in json.load(open(sys.argv[1]))["plugins"]}
config = json.load(open(sys.argv[2]))
installed = os.path.realpath(sys.argv[3])
enabled = [n for n, a in config["agents"].items() if a.get("enabled")]
assert enabled, "the example config enables no agent"
for name in enabled:
    plugin = plugins.get(name)
    assert plugin, f"{name} not found: {sorted(plugins)}"
    assert plugin["state"] == "loaded", f"{name}: {plugin['state']} ({plugin.get('reason')})"
    assert os.path.realpath(plugin["manifest_path"]).startswith(installed + "/"), plugin["manifest_path"]
print(f"{len(enabled)} agents loaded from {installed}")
PY
  { cat "$scratch/plugins.json"; fail "GET /plugins"; }
curl -fsS -X POST "$base/agent/invoke" -H 'Content-Type: application/json' \
  -d '{"task": "I love this product, it works great", "agent_name": "sentiment"}' >"$scratch/invoke.json" ||
  { cat "$scratch/host.log"; fail "POST /agent/invoke"; }
python3 - "$scratch/invoke.json" <<'PY' || { cat "$scratch/invoke.json"; fail "sentiment invoke"; }
import json, sys
body = json.load(open(sys.argv[1]))
assert body["status"] == "success", body
assert body["agent_used"] == "sentiment", body
print("sentiment:", json.dumps(body["result"])[:200])
PY
[ "$(readlink -f /proc/$host_pid/exe)" = "$(readlink -f "$root/usr/bin/agenthost")" ] || fail "not the unpacked binary"
echo "deb_install_test: ok"
