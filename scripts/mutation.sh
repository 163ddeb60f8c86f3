#!/usr/bin/env bash
# Mutation testing with mutmut over the modules that decide money and advice ([tool.mutmut] in pyproject.toml).
# Slow (every mutant reruns the tests that cover it), so it is not part of CI. Run it per module on a quiet
# machine, for example:
#   bash scripts/mutation.sh 'advisor.capacity*'          # one module
#   bash scripts/mutation.sh 'advisor.costs*' 'advisor.choices*'
#   bash scripts/mutation.sh                              # everything configured (hours on 2 cores)
# It prints killed / survived / total and the score; `python -m mutmut results` lists the survivors and
# `python -m mutmut show NAME` shows one.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m mutmut run "$@" >/dev/null 2>mutants-run.log || { tail -20 mutants-run.log; exit 1; }
python -m mutmut export-cicd-stats >/dev/null
python - <<'PY'
import json
stats = json.load(open("mutants/mutmut-cicd-stats.json"))
killed = stats["killed"] + stats.get("timeout", 0)
judged = killed + stats["survived"]
print(f"killed {killed} / survived {stats['survived']} / total {stats['total']} (no tests: {stats.get('no_tests', 0)})")
print(f"score {100 * killed / judged:.1f}% of mutants with covering tests" if judged else "no mutant judged")
PY
