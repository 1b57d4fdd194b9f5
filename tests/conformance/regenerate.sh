#!/bin/sh
# Regenerate (default) or verify (--check) the CPython traces of every
# scenario: NN_topic.expected (plain trace) and NN_topic.owners (--owners
# trace).  Needs python3 3.11 (stdlib only).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
runner="$here/cpython_runner.py"
mode=${1:-write}
status=0
for wrs in "$here"/scenarios/*.wrs; do
    base=${wrs%.wrs}
    if [ "$mode" = "--check" ]; then
        python3 "$runner" "$wrs" | cmp -s - "$base.expected" \
            || { echo "DIFFERS: $base.expected"; status=1; }
        python3 "$runner" --owners "$wrs" | cmp -s - "$base.owners" \
            || { echo "DIFFERS: $base.owners"; status=1; }
    else
        python3 "$runner" "$wrs" > "$base.expected"
        python3 "$runner" --owners "$wrs" > "$base.owners"
    fi
done
exit $status
