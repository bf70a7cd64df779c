#!/usr/bin/env bash
# `npm run test:install`: what a user gets from the package, checked end to end. Packs the
# project (a clean build), installs the tarball globally into a temporary prefix without dev
# dependencies, and runs the installed `readout` from another folder: search and check, the
# bundled sample with its index saved in the user's cache folder, npx from the tarball, and
# serve (health, a compressed page, 304). Not part of `npm test`: it takes a minute or two and
# installs the runtime dependencies from the registry.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/readout-install.XXXXXX")"
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
  echo "install-check: FAILED: $*" >&2
  exit 1
}
step() { echo "== $*"; }

step "npm pack (runs prepack: a clean build of dist/, and the manifest without scripts)"
(cd "$root" && npm pack --silent --pack-destination "$tmp" >/dev/null)
tgz="$(ls "$tmp"/readout-archive-*.tgz)"
echo "$(basename "$tgz"): $(du -k "$tgz" | cut -f1) KB packed"
tar -tzf "$tgz" >"$tmp/files"
for needed in package/bin/readout.js package/dist/cli.js package/dist/runtime/launcher.js \
  package/views/search.ejs package/public/style.css package/README.md package/package.json; do
  grep -qx "$needed" "$tmp/files" || fail "$needed is not in the package"
done
if grep -E '^package/(src|tests|scripts|node_modules)/|\.readout-cache|\.tsbuildinfo' "$tmp/files"; then
  fail "the package holds files it should not (above)"
fi
echo "$(wc -l <"$tmp/files") files, none from src/, tests/ or caches"
tar -xzOf "$tgz" package/package.json >"$tmp/manifest.json"
node -e '
const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const extra = ["scripts", "devDependencies"].filter((k) => k in m);
if (extra.length || m.dependencies.typescript) {
  console.error("install-check: FAILED: the packed package.json has " + (extra.join(", ") || "typescript"));
  process.exit(1);
}' "$tmp/manifest.json"
[ -e "$root/package.json.unpacked" ] && fail "postpack did not put the clone's package.json back"
echo "the packed package.json has no scripts, dev dependencies or TypeScript"

step "npm install -g into $tmp/prefix (no dev dependencies), with no warning about scripts"
npm install --global --prefix "$tmp/prefix" --omit=dev --no-audit --no-fund "$tgz" 2>"$tmp/install.err" >/dev/null ||
  { cat "$tmp/install.err"; fail "the global install failed"; }
grep -i "script" "$tmp/install.err" && fail "npm warned about scripts (above)"
installed="$tmp/prefix/lib/node_modules/readout-archive"
for dev in typescript tsx vitest; do
  [ -e "$installed/node_modules/$dev" ] && fail "the dev dependency $dev was installed"
done
export PATH="$tmp/prefix/bin:$PATH"
export XDG_CACHE_HOME="$tmp/cache"
mkdir -p "$tmp/elsewhere" && cd "$tmp/elsewhere"
command -v readout | grep -q "^$tmp/prefix/bin/readout$" || fail "readout is not the installed command"

step "readout search, from another folder"
readout search harbour --data "$root/tests/fixtures/data" --no-cache | tee "$tmp/out"
grep -q "^2 statements match: harbour" "$tmp/out" || fail "search found the wrong statements"

step "readout check (exit code 1: the folder has problems)"
set +e
readout check "$root/tests/fixtures/bad-data" >"$tmp/out" 2>&1
code=$?
set -e
tail -1 "$tmp/out"
[ "$code" = 1 ] || fail "check exited with $code, not 1"
grep -q "problems in" "$tmp/out" || fail "check printed no summary"

step "the bundled sample archive, its index saved in \$XDG_CACHE_HOME/readout/sample"
readout search the --limit 1 >/dev/null 2>"$tmp/err" || { cat "$tmp/err"; fail "search of the sample failed"; }
[ -f "$tmp/cache/readout/sample/manifest.json" ] || { cat "$tmp/err"; fail "no saved index in the user's cache folder"; }
[ -e "$installed/data/.readout-cache" ] && fail "the index was written into the installed package"
echo "saved index: $(du -sk "$tmp/cache/readout/sample" | cut -f1) KB"

step "npx from the tarball"
npx --yes --package "$tgz" readout search harbour --data "$root/tests/fixtures/data" --no-cache |
  grep -q "^2 statements match: harbour" || fail "npx --package $tgz readout did not work"

step "readout serve: health, compression, 304"
readout serve --data "$root/tests/fixtures/data" --no-cache --port 0 >"$tmp/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do
  grep -q "^Ready at" "$tmp/serve.log" && break
  sleep 0.1
done
url="$(grep -o 'http://[^ ]*/' "$tmp/serve.log" | tail -1)"
[ -n "$url" ] || { cat "$tmp/serve.log"; fail "serve did not start"; }
node - "$url" <<'EOF'
const base = process.argv[2];
const check = (ok, what) => { if (!ok) { console.error("install-check: FAILED: " + what); process.exit(1); } };
const health = await fetch(base + "-/health");
check(health.status === 200 && (await health.json()).status === "ready", "/-/health is not ready");
const page = await fetch(base + "search?q=harbour", { headers: { "Accept-Encoding": "br" } });
check(page.headers.get("content-encoding") === "br", "the results page is not compressed");
check(/Accept-Encoding/.test(page.headers.get("vary") ?? ""), "no Vary: Accept-Encoding");
const etag = page.headers.get("etag");
// fetch adds "Cache-Control: no-cache" to a conditional request unless told otherwise, and
// that asks the server for a full answer; a browser revalidating sends none or max-age=0.
const again = await fetch(base + "search?q=harbour", {
  headers: { "If-None-Match": etag, "Cache-Control": "max-age=0" },
});
check(again.status === 304, `a repeated request got ${again.status}, not 304`);
console.log(`health ready; results page br-compressed; ETag ${etag} → 304`);
EOF
kill "$server"
wait "$server" || true
server=""

step "a clone's production install: npm ci --omit=dev builds dist/ without dev dependencies"
mkdir "$tmp/clone"
(cd "$root" && git ls-files -z | xargs -0 tar -cf -) | (cd "$tmp/clone" && tar -xf -)
(cd "$tmp/clone" && npm ci --omit=dev --no-audit --no-fund --silent) ||
  fail "npm ci --omit=dev failed in a clone"
[ -e "$tmp/clone/node_modules/@types" ] && fail "a dev dependency was installed in the clone"
node "$tmp/clone/bin/readout.js" search harbour --data "$root/tests/fixtures/data" --no-cache |
  grep -q "^2 statements match: harbour" || fail "the clone's readout did not search"
echo "built without dev dependencies; readout searches"

step "as the container runs it: settings from READOUT_*, the health check script"
port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
health() { READOUT_PORT="$port" node "$root/deploy/healthcheck.js"; }
health >/dev/null && fail "the health check passed with nothing listening"
READOUT_HOST=0.0.0.0 READOUT_READ_ONLY=1 READOUT_PORT="$port" READOUT_DATA="$root/tests/fixtures/data" \
  READOUT_CACHE="$tmp/container-cache" NODE_ENV=production readout >"$tmp/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do
  grep -q "^Ready at" "$tmp/serve.log" && break
  sleep 0.1
done
health || { cat "$tmp/serve.log"; fail "the health check failed on a ready server"; }
kill -TERM "$server"
wait "$server" || fail "readout did not exit 0 on SIGTERM"
server=""
[ -f "$tmp/container-cache/manifest.json" ] || fail "no index saved in READOUT_CACHE"
grep -q "SIGTERM: stopping" "$tmp/serve.log" || fail "SIGTERM did not stop readout cleanly"
echo "healthy when ready; stopped cleanly on SIGTERM; index saved in READOUT_CACHE"
echo "install-check: all passed"
