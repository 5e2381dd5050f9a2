#!/usr/bin/env bash
# A local single-node Kafka broker (KRaft, combined broker + controller) as a background process, for runs that
# outlive one JVM. Same broker version as the embedded one (org.apache.kafka:kafka_2.13 from the Maven build).
#
# Usage: pipelines/scripts/kafka-local.sh start|stop|status
#
# Needs pipelines/target/launcher.classpath (written by `mvn -DskipTests package`, also by ./vigil on first run).
# State lives in <repo>/run/kafka/ (gitignored): server.properties, data/, kafka.log, kafka.pid. Data survives
# stop/start; delete run/kafka/ to start from an empty broker.
#
# Environment (defaults):
#   KAFKA_HOST=127.0.0.1  KAFKA_PORT=9092  KAFKA_CONTROLLER_PORT=9093  KAFKA_RUN_DIR=<repo>/run/kafka
#   KAFKA_HEAP_OPTS="-Xms256m -Xmx1g"  KAFKA_LOG_LEVEL=WARN  KAFKA_START_TIMEOUT=60 (s)  KAFKA_STOP_TIMEOUT=30 (s)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CP_FILE="$ROOT/pipelines/target/launcher.classpath"
HOST="${KAFKA_HOST:-127.0.0.1}"
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
RUN_DIR="${KAFKA_RUN_DIR:-$ROOT/run/kafka}"
HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx1g}"
LOG_LEVEL="${KAFKA_LOG_LEVEL:-WARN}"
START_TIMEOUT="${KAFKA_START_TIMEOUT:-60}"
STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

DATA_DIR="$RUN_DIR/data"
CONF="$RUN_DIR/server.properties"
LOG4J_CONF="$RUN_DIR/log4j2.properties"
LOG_FILE="$RUN_DIR/kafka.log"
PID_FILE="$RUN_DIR/kafka.pid"
# Logged by kafka.server.KafkaRaftServer once the broker and controller are up.
READY_LINE="Kafka Server started"

log() { echo "kafka-local: $*" >&2; }

# The pid from the pid file if that process is alive and is our broker (pids get reused).
running_pid() {
    [ -f "$PID_FILE" ] || return 1
    local pid
    pid="$(cat "$PID_FILE")"
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "kafka.Kafka $CONF" || return 1
    echo "$pid"
}

port_answers() {
    (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null
}

classpath() {
    if [ ! -f "$CP_FILE" ]; then
        log "$CP_FILE not found: build first (mvn -q -DskipTests package, or ./vigil --help)"
        exit 1
    fi
    cat "$CP_FILE"
}

write_config() {
    mkdir -p "$DATA_DIR"
    cat >"$CONF" <<EOF
# Written by pipelines/scripts/kafka-local.sh on every start; edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=$HOST:$CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$DATA_DIR
num.partitions=1
auto.create.topics.enable=false
# Exactly-once on one broker; few coordinator partitions so the first transaction and group start fast.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.max.timeout.ms=900000
group.initial.rebalance.delay.ms=0
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
EOF
    cat >"$LOG4J_CONF" <<EOF
rootLogger.level = $LOG_LEVEL
rootLogger.appenderRef.console.ref = Console
logger.started.name = kafka.server.KafkaRaftServer
logger.started.level = INFO
appender.console.name = Console
appender.console.type = Console
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
EOF
}

# What `kafka-storage.sh random-uuid` prints (base64url of 16 random bytes, not starting with '-'), without a JVM.
random_cluster_id() {
    local id="-"
    while [ "${id:0:1}" = "-" ]; do
        id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    done
    echo "$id"
}

format_storage() {
    [ -f "$DATA_DIR/meta.properties" ] && return 0
    local cp cluster_id
    cp="$(classpath)"
    cluster_id="$(random_cluster_id)"
    log "formatting $DATA_DIR (cluster id $cluster_id)"
    "$JAVA" -Dlog4j.configurationFile="$LOG4J_CONF" -cp "$cp" \
        kafka.tools.StorageTool format -t "$cluster_id" -c "$CONF" --standalone >>"$LOG_FILE" 2>&1 || {
        log "format failed, see $LOG_FILE"
        exit 1
    }
}

start() {
    local pid
    if pid="$(running_pid)"; then
        log "already running (pid $pid) on $HOST:$PORT"
        return 0
    fi
    if port_answers; then
        log "$HOST:$PORT is taken by another process; set KAFKA_PORT"
        exit 1
    fi
    local began=$SECONDS cp
    cp="$(classpath)"
    write_config
    : >"$LOG_FILE"
    format_storage
    nohup "$JAVA" $HEAP_OPTS -XX:+UseG1GC -Djava.awt.headless=true \
        -Dlog4j.configurationFile="$LOG4J_CONF" \
        -cp "$cp" kafka.Kafka "$CONF" >>"$LOG_FILE" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$PID_FILE"
    while ! { port_answers && grep -q "$READY_LINE" "$LOG_FILE"; }; do
        if ! kill -0 "$pid" 2>/dev/null; then
            rm -f "$PID_FILE"
            log "broker exited during startup, see $LOG_FILE:"
            tail -n 20 "$LOG_FILE" >&2
            exit 1
        fi
        if [ $((SECONDS - began)) -ge "$START_TIMEOUT" ]; then
            log "not ready after ${START_TIMEOUT}s (pid $pid still running), see $LOG_FILE"
            exit 1
        fi
        sleep 0.2
    done
    log "started (pid $pid) on $HOST:$PORT in $((SECONDS - began))s; data in $DATA_DIR, log in $LOG_FILE"
}

stop() {
    local pid
    if ! pid="$(running_pid)"; then
        log "not running"
        rm -f "$PID_FILE"
        return 0
    fi
    kill "$pid"
    local began=$SECONDS
    while kill -0 "$pid" 2>/dev/null; do
        if [ $((SECONDS - began)) -ge "$STOP_TIMEOUT" ]; then
            log "still running after ${STOP_TIMEOUT}s, killing pid $pid"
            kill -9 "$pid" 2>/dev/null || true
            break
        fi
        sleep 0.2
    done
    rm -f "$PID_FILE"
    log "stopped (pid $pid) in $((SECONDS - began))s"
}

status() {
    local pid
    if pid="$(running_pid)"; then
        if port_answers; then
            echo "running (pid $pid) on $HOST:$PORT, data in $DATA_DIR"
        else
            echo "starting or unhealthy (pid $pid): $HOST:$PORT does not answer, see $LOG_FILE"
        fi
        return 0
    fi
    echo "stopped"
    return 3
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *)
        echo "usage: $0 start|stop|status" >&2
        exit 2
        ;;
esac
