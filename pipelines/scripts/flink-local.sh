#!/usr/bin/env bash
# A standalone Flink session cluster as separate processes on this machine: one JobManager
# (StandaloneSessionClusterEntrypoint) and N TaskManagers (TaskManagerRunner), each its own JVM, started from the
# Maven-resolved Flink module jars (flink-dist is not published to Maven repositories; the jars come from
# pipelines/scripts/cluster/pom.xml, so the cluster runs the Flink version the job is compiled against).
#
# Usage: pipelines/scripts/flink-local.sh
#          start [--taskmanagers N] [-D key=value]...   JobManager + N TaskManagers (default 2), wait until ready
#          add-taskmanager                              one more TaskManager (e.g. to replace a dead one)
#          submit JAR [PROGRAM ARGS]...                 `flink run --detached JAR ARGS`: prints the job id
#          stop                                         TaskManagers, then the JobManager
#          status                                       processes and jobs (exit 3 when stopped)
#
# Configuration: flink-conf/config.yaml (the file the Kubernetes deployments use) plus the local overrides below,
# plus `start -D key=value`, merged by Flink's own BashJavaUtils into <run dir>/conf/config.yaml; every process
# and the submitting client read that file. The JVM options come from it as in Flink's bin/ scripts: memory from
# the *.memory.process.size options, then env.java.opts.all/.jobmanager/.taskmanager/.client, and the
# containerized.master.env.* / containerized.taskmanager.env.* variables are exported to the JobManager /
# TaskManagers (ORT_DISABLE_TELEMETRY=1 for both, see docs/DEPLOYMENT.md). ONNX Runtime is on the processes' class
# path, so the job jar's ai.onnxruntime references resolve parent-first (classloader.parent-first-patterns).
#
# Needs Java 17, Maven (the class path is resolved once into <run dir>/lib.classpath, offline first), curl and jq.
# Submitting the ICU job needs the shaded job jar (mvn -DskipTests package: pipelines/target/vigil-pipelines-*-job.jar).
#
# State lives in <run dir> (default <repo>/run/flink, gitignored): conf/, log/<process>.log and .out,
# <process>.pid, checkpoints/, savepoints/, tmp/, plugins/ (empty: the reporter and RocksDB are on the class path).
# `start` clears log/ and tmp/; checkpoints and savepoints survive stop/start (delete the directory to start afresh).
# There is no web UI (flink-runtime-web is not on the class path); the REST API answers on the REST port.
#
# Environment (defaults):
#   FLINK_RUN_DIR=<repo>/run/flink  FLINK_REST_PORT=18081  FLINK_RPC_PORT=16123  FLINK_PROM_PORTS=19250-19269
#   FLINK_JM_MEMORY=1024m  FLINK_TM_MEMORY=1280m  FLINK_TM_SLOTS=1  FLINK_CONF_SOURCE=<repo>/flink-conf
#   FLINK_START_TIMEOUT=90 (s)  FLINK_STOP_TIMEOUT=30 (s)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CLUSTER_POM="$ROOT/pipelines/scripts/cluster/pom.xml"
RUN_DIR="${FLINK_RUN_DIR:-$ROOT/run/flink}"
REST_PORT="${FLINK_REST_PORT:-18081}"
RPC_PORT="${FLINK_RPC_PORT:-16123}"
PROM_PORTS="${FLINK_PROM_PORTS:-19250-19269}"
JM_MEMORY="${FLINK_JM_MEMORY:-1024m}"
TM_MEMORY="${FLINK_TM_MEMORY:-1280m}"
TM_SLOTS="${FLINK_TM_SLOTS:-1}"
CONF_SOURCE="${FLINK_CONF_SOURCE:-$ROOT/flink-conf}"
START_TIMEOUT="${FLINK_START_TIMEOUT:-90}"
STOP_TIMEOUT="${FLINK_STOP_TIMEOUT:-30}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

CONF_DIR="$RUN_DIR/conf"
LOG_DIR="$RUN_DIR/log"
CP_FILE="$RUN_DIR/lib.classpath"
JM_MAIN=org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint
TM_MAIN=org.apache.flink.runtime.taskexecutor.TaskManagerRunner
BASH_JAVA_UTILS=org.apache.flink.runtime.util.bash.BashJavaUtils
REST="http://localhost:$REST_PORT"

# What a distribution's config.yaml sets as env.java.default-opts.all for Java 17 (Kryo, the RPC system and
# connectors reflect into these packages).
JAVA_DEFAULT_OPTS=(
    --add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
    --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
    --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED
    --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
    --add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED
    --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
    --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
    --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
)

log() { echo "flink-local: $*" >&2; }
die() {
    log "$*"
    exit 1
}

# ---------------------------------------------------------------------------------------------------------------
# Class path and configuration

# Resolves the cluster's class path with Maven (offline first, so a warm ~/.m2 needs no network) when it is missing
# or older than the poms that define it.
classpath() {
    if [ ! -s "$CP_FILE" ] || [ "$CLUSTER_POM" -nt "$CP_FILE" ] || [ "$ROOT/pom.xml" -nt "$CP_FILE" ]; then
        mkdir -p "$RUN_DIR"
        log "resolving the cluster class path ($CLUSTER_POM)"
        local args=(-B -q -f "$CLUSTER_POM" dependency:build-classpath "-Dmdep.outputFile=$CP_FILE")
        mvn -o "${args[@]}" >"$RUN_DIR/mvn.log" 2>&1 || mvn "${args[@]}" >"$RUN_DIR/mvn.log" 2>&1 ||
            die "resolving the class path failed, see $RUN_DIR/mvn.log"
    fi
    cat "$CP_FILE"
}

# Runs Flink's BashJavaUtils (the helper behind Flink's bin/ scripts) and prints its result lines.
bash_java_utils() {
    local out
    out="$("$JAVA" -Dlog4j.configurationFile="file:$CONF_SOURCE/log4j-cli.properties" -cp "$(classpath)" \
        "$BASH_JAVA_UTILS" "$@" 2>&1)" || {
        echo "$out" >&2
        die "BashJavaUtils $1 failed"
    }
    echo "$out" | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p'
}

# Writes <run dir>/conf/config.yaml (flink-conf/config.yaml + local overrides + the caller's -D options) and, beside
# it, what the processes are started with: the flattened configuration and the JVM memory parameters per role.
write_config() {
    local overrides=(
        -D "jobmanager.rpc.address=localhost" -D "jobmanager.rpc.port=$RPC_PORT"
        -D "jobmanager.bind-host=localhost" -D "taskmanager.bind-host=localhost" -D "taskmanager.host=localhost"
        -D "rest.address=localhost" -D "rest.bind-address=localhost" -D "rest.port=$REST_PORT"
        -D "jobmanager.memory.process.size=$JM_MEMORY" -D "taskmanager.memory.process.size=$TM_MEMORY"
        -D "taskmanager.memory.managed.fraction=0.25" -D "taskmanager.numberOfTaskSlots=$TM_SLOTS"
        -D "metrics.reporter.prom.port=$PROM_PORTS"
        -D "execution.checkpointing.dir=file://$RUN_DIR/checkpoints"
        -D "execution.checkpointing.savepoint-dir=file://$RUN_DIR/savepoints"
        -D "io.tmp.dirs=$RUN_DIR/tmp" -D "web.tmpdir=$RUN_DIR/tmp"
        -D "vigil.registry.root=file://$RUN_DIR/registry"
    )
    mkdir -p "$CONF_DIR" "$LOG_DIR" "$RUN_DIR/tmp" "$RUN_DIR/checkpoints" "$RUN_DIR/savepoints" "$RUN_DIR/plugins"
    local merged
    merged="$(bash_java_utils UPDATE_AND_GET_FLINK_CONFIGURATION --configDir "$CONF_SOURCE" \
        "${overrides[@]}" "$@")"
    {
        echo "# Written by pipelines/scripts/flink-local.sh on every start from $CONF_SOURCE/config.yaml,"
        echo "# its local overrides and 'start -D' options: edit those, not this file."
        echo "$merged"
    } >"$CONF_DIR/config.yaml"
    # Processes log to their file only; their stdout (<process>.out) keeps what the JVM itself prints.
    grep -v '^rootLogger.appenderRef.console.ref' "$CONF_SOURCE/log4j-console.properties" \
        >"$CONF_DIR/log4j.properties"
    cp "$CONF_SOURCE/log4j-cli.properties" "$CONF_DIR/log4j-cli.properties"
    bash_java_utils UPDATE_AND_GET_FLINK_CONFIGURATION --configDir "$CONF_DIR" -flatten >"$RUN_DIR/config.flat"
    # Line 1: JVM memory options; line 2: the derived memory sizes as dynamic properties (as bin/taskmanager.sh).
    bash_java_utils GET_JM_RESOURCE_PARAMS --configDir "$CONF_DIR" >"$RUN_DIR/jobmanager.params"
    bash_java_utils GET_TM_RESOURCE_PARAMS --configDir "$CONF_DIR" >"$RUN_DIR/taskmanager.params"
}

unquote() {
    sed "s/^'\(.*\)'\$/\1/; s/^\"\(.*\)\"\$/\1/"
}

# The value of KEY in the effective configuration, without YAML quotes; empty when not set.
conf_value() {
    sed -n "s/^$(sed 's/[.]/[.]/g' <<<"$1"): //p" "$RUN_DIR/config.flat" | unquote
}

# containerized.<ROLE>.env.NAME: VALUE entries of the configuration, as NAME=VALUE lines.
conf_env() {
    local name value
    sed -n "s/^containerized[.]$1[.]env[.]\([A-Za-z_][A-Za-z0-9_]*\): \(.*\)/\1 \2/p" "$RUN_DIR/config.flat" |
        while read -r name value; do
            echo "$name=$(unquote <<<"$value")"
        done
}

# ---------------------------------------------------------------------------------------------------------------
# Processes

# The pid of a process of this cluster if it is alive (pid files outlive processes and pids get reused).
running_pid() {
    local pid_file="$RUN_DIR/$1.pid" pid
    [ -f "$pid_file" ] || return 1
    pid="$(cat "$pid_file")"
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "--configDir $CONF_DIR" || return 1
    echo "$pid"
}

taskmanager_names() {
    local f
    for f in "$RUN_DIR"/taskmanager-*.pid; do
        [ -e "$f" ] && basename "$f" .pid
    done | sort -t- -k2 -n
}

port_answers() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

rest_get() {
    curl -sf --max-time 5 "$REST$1"
}

# Starts one Flink process in the background: launch NAME ROLE MAIN_CLASS [ARGS...]; ROLE is jobmanager or
# taskmanager (memory, java opts and environment of that role).
launch() {
    local name="$1" role="$2" main="$3"
    shift 3
    local cp jvm_mem dynamic opts_all opts_role env_role=taskmanager
    cp="$(classpath)"
    [ "$role" = jobmanager ] && env_role=master
    jvm_mem="$(sed -n 1p "$RUN_DIR/$role.params")"
    dynamic="$(sed -n 2p "$RUN_DIR/$role.params")"
    opts_all="$(conf_value env.java.opts.all)"
    opts_role="$(conf_value "env.java.opts.$role")"
    local env_vars=(ORT_DISABLE_TELEMETRY=1) line
    while IFS= read -r line; do
        [ -n "$line" ] && env_vars+=("$line")
    done < <(conf_env "$env_role")
    : >"$LOG_DIR/$name.log"
    # shellcheck disable=SC2086 # option strings are split into words, as Flink's scripts do
    env FLINK_PLUGINS_DIR="$RUN_DIR/plugins" "${env_vars[@]}" \
        nohup "$JAVA" $jvm_mem "${JAVA_DEFAULT_OPTS[@]}" $opts_all $opts_role \
        -Dlog.file="$LOG_DIR/$name.log" -Dlog4j.configurationFile="file:$CONF_DIR/log4j.properties" \
        -cp "$cp" "$main" --configDir "$CONF_DIR" $dynamic "$@" \
        >"$LOG_DIR/$name.out" 2>&1 </dev/null &
    echo $! >"$RUN_DIR/$name.pid"
}

# Waits until CONDITION (a command) succeeds while the process NAME is alive.
await() {
    local name="$1" what="$2" began=$SECONDS pid
    shift 2
    pid="$(cat "$RUN_DIR/$name.pid")"
    until "$@"; do
        if ! kill -0 "$pid" 2>/dev/null; then
            rm -f "$RUN_DIR/$name.pid"
            log "$name exited during startup, see $LOG_DIR/$name.log and .out:"
            tail -n 20 "$LOG_DIR/$name.out" "$LOG_DIR/$name.log" >&2
            exit 1
        fi
        if [ $((SECONDS - began)) -ge "$START_TIMEOUT" ]; then
            die "$name: no $what after ${START_TIMEOUT}s (pid $pid still running), see $LOG_DIR/$name.log"
        fi
        sleep 0.5
    done
}

# Whether the ResourceManager lists TaskManager NAME (its resource id): registered, with its slots.
registered() {
    rest_get /taskmanagers | jq -e --arg id "$1" '.taskmanagers | any(.id == $id)' >/dev/null 2>&1
}

jobmanager_ready() {
    rest_get /overview >/dev/null
}

start_taskmanager() {
    local n=1 name
    while [ -e "$RUN_DIR/taskmanager-$n.pid" ] || [ -e "$LOG_DIR/taskmanager-$n.log" ]; do
        n=$((n + 1))
    done
    name="taskmanager-$n"
    launch "$name" taskmanager "$TM_MAIN" -D "taskmanager.resource-id=$name"
    log "$name starting (pid $(cat "$RUN_DIR/$name.pid")), log in $LOG_DIR/$name.log"
}

start() {
    local taskmanagers=2 dynamic=()
    while [ $# -gt 0 ]; do
        case "$1" in
            --taskmanagers)
                taskmanagers="${2:?--taskmanagers needs a number}"
                shift 2
                ;;
            -D)
                dynamic+=(-D "${2:?-D needs key=value}")
                shift 2
                ;;
            -D*)
                dynamic+=(-D "${1#-D}")
                shift
                ;;
            *) die "start: unknown argument $1" ;;
        esac
    done
    [[ "$taskmanagers" =~ ^[0-9]+$ ]] || die "--taskmanagers must be a number: $taskmanagers"
    command -v curl >/dev/null && command -v jq >/dev/null || die "needs curl and jq"
    local pid
    if pid="$(running_pid jobmanager)"; then
        log "already running (JobManager pid $pid), REST on $REST; stop first to change its settings"
        return 0
    fi
    local port
    for port in "$REST_PORT" "$RPC_PORT"; do
        port_answers "$port" && die "port $port is taken by another process; set FLINK_REST_PORT / FLINK_RPC_PORT"
    done
    local name
    for name in $(taskmanager_names); do
        if running_pid "$name" >/dev/null; then
            log "TaskManagers of a previous start are still running without their JobManager: stopping them"
            stop
            break
        fi
    done
    local began=$SECONDS
    # A fresh start: forget the previous run's processes and logs (checkpoints and savepoints stay).
    rm -f "$RUN_DIR"/*.pid
    rm -rf "$LOG_DIR" "$RUN_DIR/tmp"
    write_config "${dynamic[@]}"
    launch jobmanager jobmanager "$JM_MAIN"
    log "jobmanager starting (pid $(cat "$RUN_DIR/jobmanager.pid")), log in $LOG_DIR/jobmanager.log"
    local i
    for ((i = 0; i < taskmanagers; i++)); do
        start_taskmanager
    done
    await jobmanager "REST endpoint on $REST" jobmanager_ready
    for name in $(taskmanager_names); do
        await "$name" "registration at the ResourceManager" registered "$name"
    done
    log "started in $((SECONDS - began))s: JobManager (REST $REST, RPC localhost:$RPC_PORT) and $taskmanagers" \
        "TaskManager(s) of $TM_SLOTS slot(s); run dir $RUN_DIR"
}

add_taskmanager() {
    running_pid jobmanager >/dev/null || die "not running: start first"
    jobmanager_ready || die "the JobManager does not answer on $REST"
    local began=$SECONDS name
    start_taskmanager
    name="$(taskmanager_names | tail -n 1)"
    await "$name" "registration at the ResourceManager" registered "$name"
    log "$name registered in $((SECONDS - began))s"
}

submit() {
    [ $# -ge 1 ] || die "usage: submit JAR [PROGRAM ARGS]..."
    local jar="$1"
    shift
    [ -f "$jar" ] || die "no such jar: $jar (build it with mvn -DskipTests package)"
    running_pid jobmanager >/dev/null || die "not running: start first"
    local cp opts_all opts_client out
    cp="$(classpath)"
    opts_all="$(conf_value env.java.opts.all)"
    opts_client="$(conf_value env.java.opts.client)"
    # shellcheck disable=SC2086
    out="$(FLINK_CONF_DIR="$CONF_DIR" FLINK_PLUGINS_DIR="$RUN_DIR/plugins" ORT_DISABLE_TELEMETRY=1 \
        "$JAVA" "${JAVA_DEFAULT_OPTS[@]}" $opts_all $opts_client \
        -Dlog4j.configurationFile="file:$CONF_DIR/log4j-cli.properties" \
        -cp "$cp" org.apache.flink.client.cli.CliFrontend run --detached "$jar" "$@" 2>&1)" || {
        echo "$out" >&2
        die "submission failed"
    }
    local job
    job="$(echo "$out" | sed -n 's/.*Job has been submitted with JobID \([0-9a-f]\{32\}\).*/\1/p' | head -n 1)"
    [ -n "$job" ] || {
        echo "$out" >&2
        die "submitted, but the client printed no job id"
    }
    log "submitted job $job; follow it at $REST/jobs/$job"
    echo "$job"
}

stop_process() {
    local name="$1" pid
    if ! pid="$(running_pid "$name")"; then
        rm -f "$RUN_DIR/$name.pid"
        return 0
    fi
    kill "$pid" 2>/dev/null || true
    echo "$pid"
}

stop() {
    local began=$SECONDS pids=() name pid
    # TaskManagers first (as bin/stop-cluster.sh), then the JobManager; all of them before waiting.
    for name in $(taskmanager_names) jobmanager; do
        pid="$(stop_process "$name")"
        [ -n "$pid" ] && pids+=("$pid")
    done
    if [ ${#pids[@]} -eq 0 ]; then
        log "not running"
        return 0
    fi
    for pid in "${pids[@]}"; do
        while kill -0 "$pid" 2>/dev/null; do
            if [ $((SECONDS - began)) -ge "$STOP_TIMEOUT" ]; then
                log "pid $pid still running after ${STOP_TIMEOUT}s, killing it"
                kill -9 "$pid" 2>/dev/null || true
                break
            fi
            sleep 0.2
        done
    done
    rm -f "$RUN_DIR"/*.pid
    log "stopped ${#pids[@]} process(es) in $((SECONDS - began))s"
}

status() {
    local pid name any=1
    for name in jobmanager $(taskmanager_names); do
        if pid="$(running_pid "$name")"; then
            echo "$name: running (pid $pid)"
            any=0
        else
            echo "$name: not running"
        fi
    done
    if [ "$any" -ne 0 ]; then
        echo "stopped"
        return 3
    fi
    local overview
    if overview="$(rest_get /overview)"; then
        jq -r --arg rest "$REST" '"REST \($rest): \(.taskmanagers) TaskManager(s), \(."slots-available") of'\
' \(."slots-total") slots free; jobs: \(."jobs-running") running, \(."jobs-finished") finished,'\
' \(."jobs-cancelled") cancelled, \(."jobs-failed") failed"' <<<"$overview"
        rest_get /jobs/overview | jq -r '.jobs[] | "job \(.jid) \(.state) \(.name)"'
    else
        echo "REST $REST does not answer (starting or unhealthy), see $LOG_DIR/jobmanager.log"
    fi
}

case "${1:-}" in
    start)
        shift
        start "$@"
        ;;
    add-taskmanager) add_taskmanager ;;
    submit)
        shift
        submit "$@"
        ;;
    stop) stop ;;
    status) status ;;
    *)
        echo "usage: $0 start [--taskmanagers N] [-D key=value]... | add-taskmanager | submit JAR [ARGS]..." \
            "| stop | status" >&2
        exit 2
        ;;
esac
