#!/usr/bin/env bash
# The ICU job on a real local cluster, end to end, with a TaskManager killed mid-stream (LocalClusterITCase):
# kafka-local.sh starts a broker process, flink-local.sh a JobManager and two TaskManagers; the test creates the
# topics, submits the shaded job jar with Flink's client, produces a seeded simulated cohort, kill -9s a TaskManager
# halfway, starts a replacement, waits for the restore from the latest checkpoint, and checks the read_committed
# outputs: one prediction per valid vital, one dead letter per bad record, no duplicates. Then it stops everything.
#
# Usage: pipelines/scripts/cluster-check.sh [extra Maven arguments, e.g. -o]
#
# Builds what it needs (mvn -pl pipelines -am verify, unit tests skipped) and takes a few minutes on two cores; not
# part of `mvn verify`. Ports: Kafka 19192/19193, Flink REST 18091, RPC 16133, Prometheus 19270-19289.
# Prints the run's timeline; logs stay in pipelines/target/local-cluster-it/ (flink/log/, kafka/, scripts.log).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUN="$ROOT/pipelines/target/local-cluster-it"

status=0
mvn -B -q -f "$ROOT/pom.xml" -pl pipelines -am verify \
    -Dvigil.it.local-cluster=true -Dit.test=LocalClusterITCase -Dfailsafe.failIfNoSpecifiedTests=false \
    -Dtest=skip -Dsurefire.failIfNoSpecifiedTests=false "$@" || status=$?

[ -f "$RUN/summary.txt" ] && cat "$RUN/summary.txt"
if [ "$status" -ne 0 ]; then
    echo "cluster-check: FAILED (exit $status); see pipelines/target/failsafe-reports/ and the logs in $RUN/" >&2
    exit "$status"
fi
echo "cluster-check: passed"
