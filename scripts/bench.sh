#!/usr/bin/env bash
# `npm run bench`: builds, then runs the bench phases (bench/*.ts, built to out/bench/*.js) one
# process each inside a fresh network namespace whose only interface is loopback, so no Tox
# packet (toxync's or toxic's) can leave this machine. The Tox phases refuse to run anywhere else.
# Knobs (environment): messaging (bench/messaging.ts): BENCH_MESSAGES (200), BENCH_GAP_MIN_MS (0),
# BENCH_GAP_MAX_MS (2000), BENCH_IDLE_S (60), BENCH_SETTLE_S (5); files (bench/fileSpeed.ts):
# BENCH_FILE_BYTES (50000000), BENCH_FILE_RUNS (3), BENCH_BIG_FILE_BYTES (400000000; 0 skips),
# BENCH_BIG_FILE_RUNS (1), BENCH_RUN_PAUSE_MS (3000), BENCH_TOXIC_IDLE_S (30; 0 skips toxic's
# reference idle figure), BENCH_SETTLE_S (5); webview (bench/webviewOpen.ts): BENCH_WEBVIEW_MESSAGES (10000),
# BENCH_WEBVIEW_RUNS (5), BENCH_WEBVIEW_PICTURES (200 inline pictures); store (bench/storeOpen.ts): BENCH_STORE_MESSAGES (100000), BENCH_STORE_RUNS (5);
# footprint (bench/footprint.ts): BENCH_FOOTPRINT_SETTLE_S (5), BENCH_EXT_RUNS (9);
# pager (bench/pagerRate.ts): BENCH_PAGER_LATENCY (200), BENCH_PAGER_GAP_MAX_MS (200), BENCH_PAGER_ALERTS (1000),
# BENCH_PAGER_CONCURRENCY (8); GIFs (bench/gif.ts): BENCH_GIF_RUNS (5); inline-picture checks (bench/imageCheck.ts): BENCH_IMAGE_RUNS (5);
# group fan-out (bench/groupFanout.ts):
# BENCH_GROUP_MEMBERS (20), BENCH_GROUP_MESSAGES (50), BENCH_GROUP_GAP_MS (200), BENCH_GROUP_BURST (200), BENCH_GROUP_WINDOW (10);
# sender at scale (bench/senderScale.ts):
# BENCH_SENDER_SIZES (100; e.g. 100,300,1000), BENCH_SENDER_HOSTS (2 processes hosting the recipients),
# BENCH_SENDER_IDLE_S (20), BENCH_SENDER_ROUNDS (2 alerts per recipient in the burst), BENCH_SENDER_LATENCY (100),
# BENCH_SENDER_GAP_MS (100), BENCH_SENDER_ONLINE_TIMEOUT_S (600), BENCH_SENDER_BASE_PORT (40000),
# BENCH_SENDER_NODE_OPTIONS (for the sender process alone, e.g. --require FILE; --cpu-prof is refused there).
set -euo pipefail
cd "$(dirname "$0")/.."
node scripts/build.mjs
# The GIF figure compares with ImageMagick's convert (Debian's imagemagick), installed here
# if missing: the namespace below has no network.
if [ ! -x /usr/bin/convert ] && [ "$(id -u)" -eq 0 ]; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq imagemagick) >/dev/null || echo "bench: imagemagick not installed; the GIF figure runs without it" >&2
fi
ns=(unshare -n)
[ "$(id -u)" -eq 0 ] || ns=(unshare -rn)
# The GIF figure (~1 min with ImageMagick), the inline-picture check (~30 s), the store figure (~10 s), the footprint (Argon2id, idle node RSS, extension load; ~25 s), the webview figure (Chromium, ~20 s), the pager (~30 s), the sender at scale (~1.5 min at N=100), then the Tox figures: messaging (idle CPU, latency), group fan-out (21 toxync nodes, ~2 min), then files (toxync against toxic).
exec "${ns[@]}" bash -c 'ip link set lo up && node out/bench/gif.js && node out/bench/imageCheck.js && node out/bench/storeOpen.js && node out/bench/footprint.js && node out/bench/webviewOpen.js && node out/bench/pagerRate.js && node out/bench/senderScale.js && node out/bench/messaging.js && node out/bench/groupFanout.js && exec node out/bench/fileSpeed.js'
