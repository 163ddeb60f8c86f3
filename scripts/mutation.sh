#!/usr/bin/env bash
# Mutation testing with mutmut over the modules that decide money and advice ([tool.mutmut] in pyproject.toml).
# Slow (every mutant reruns the tests that cover it), so it is not part of CI. One mutant at a time
# (--max-children 1: the machines are shared). Examples:
#   bash scripts/mutation.sh 'advisor.capacity.*'                    # every mutant of one module
#   bash scripts/mutation.sh --sample 200 --seed 12 'advisor.costs.*' # a seeded random sample, with a 95% interval
#   bash scripts/mutation.sh --list 'advisor.choices.*'              # the mutant names only, nothing run
#   bash scripts/mutation.sh --report 'advisor.costs.*'              # the last results again, nothing run
# It prints killed / survived per module, the score (95% Wilson interval) and the survivors; `python -m mutmut
# show NAME` shows one. mutmut's own output goes to mutants-run.log.
set -euo pipefail
cd "$(dirname "$0")/.."
exec python scripts/mutation.py "$@"
