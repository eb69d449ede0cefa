#!/usr/bin/env bash
# Routing decisions per second against a 1,000-rule policy (JMH, one thread, one fork).
#
#   bench/routing-decisions.sh                 # the standard run (about 1 minute per benchmark)
#   bench/routing-decisions.sh -prof gc        # extra JMH options are passed through
#   bench/routing-decisions.sh -i 10 -r 5s     # later options override the defaults below
#
# Results: bench/jmh/target/router.json (JMH JSON), and one line per benchmark on stdout.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

mvn -q -Pbench -DskipTests package -pl bench/jmh -am

result=bench/jmh/target/router.json
java -jar bench/jmh/target/benchmarks.jar RouterBenchmark \
  -f 1 -wi 3 -w 2s -i 5 -r 2s -tu s -rf json -rff "$result" "$@"

echo
if command -v python3 >/dev/null 2>&1; then
  python3 - "$result" <<'PY'
import json, sys

for run in json.load(open(sys.argv[1])):
    name = run["benchmark"].rsplit(".", 1)[-1]
    metric = run["primaryMetric"]
    error = metric.get("scoreError")
    error = f" (± {error:,.0f})" if isinstance(error, (int, float)) and error == error else ""
    print(f"{name}: {metric['score']:,.0f} decisions/s{error}")
PY
else
  # No python3: pull "benchmark" and the first "score" after it out of the JSON by hand.
  grep -oE '"benchmark" *: *"[^"]+"|"score" *: *[0-9.eE+-]+' "$result" |
    awk -F'"' '
      function commas(n,   s, out) {
        s = sprintf("%d", n + 0.5)
        while (length(s) > 3) { out = "," substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) }
        return s out
      }
      /"benchmark"/ { n = split($4, parts, "."); name = parts[n]; next }
      name != "" { split($0, kv, ":"); print name ": " commas(kv[2]) " decisions/s"; name = "" }'
fi
