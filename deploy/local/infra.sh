#!/usr/bin/env bash
# Local infrastructure for Baton without Docker: a single-node Kafka broker (KRaft) resolved
# from Maven Central, a Redis server from Debian's packages and the Arize Phoenix trace
# viewer from PyPI (in its own virtualenv), all on loopback only.
#
#   infra.sh up       start what is not running (reuses a running instance)
#   infra.sh down     stop what this script started
#   infra.sh status   say what runs
#   infra.sh env      print the connection variables (eval-able)
#   infra.sh kafka-up | redis-up                 start one of them (as `up` does)
#   infra.sh kafka-stop [KILL] | redis-stop [KILL]  stop one (SIGTERM, or SIGKILL as in a crash);
#                     its data stays, so the next *-up restarts it on the same data (chaos runs)
#
# KAFKA_BROKERS / REDIS_URL set in the environment mean "use that one": nothing is started.
# BATON_TRACE_VIEWER=none skips Phoenix; BATON_PHOENIX_PORT moves it (default 6006).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
state=${BATON_STATE_DIR:-$root/.baton}
kafka_port=${BATON_KAFKA_PORT:-9092}
controller_port=${BATON_KAFKA_CONTROLLER_PORT:-9093}
redis_port=${BATON_REDIS_PORT:-6399}
kafka_dir=$state/kafka
redis_dir=$state/redis
phoenix_port=${BATON_PHOENIX_PORT:-6006}
phoenix_grpc_port=${BATON_PHOENIX_GRPC_PORT:-4317}
phoenix_dir=$state/phoenix
# The Phoenix release the local setup and the trace tests are checked against.
phoenix_version=20.26.1

log() { printf '[infra] %s\n' "$*" >&2; }
die() { printf '[infra] error: %s\n' "$*" >&2; exit 1; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

kafka_classpath() {
  local cp_file=$kafka_dir/classpath.txt pom=$here/kafka/pom.xml
  if [ ! -s "$cp_file" ] || [ "$pom" -nt "$cp_file" ]; then
    command -v mvn >/dev/null || die "Maven (mvn) is needed to resolve the Kafka broker from Maven Central; install it (apt-get install maven) or set KAFKA_BROKERS to an existing broker."
    log "resolving the Kafka broker from Maven Central (cached in ~/.m2 after the first run)"
    mvn -q -B -f "$pom" dependency:build-classpath -Dmdep.outputFile="$cp_file" >"$kafka_dir/maven.log" 2>&1 \
      || { tail -20 "$kafka_dir/maven.log" >&2; die "Maven could not resolve the Kafka broker (see $kafka_dir/maven.log)"; }
  fi
  cat "$cp_file"
}

kafka_up() {
  if [ -n "${KAFKA_BROKERS:-}" ]; then log "KAFKA_BROKERS=$KAFKA_BROKERS is set: not starting a broker"; return; fi
  if port_open "$kafka_port"; then log "Kafka already answers on 127.0.0.1:$kafka_port: reusing it"; return; fi
  command -v java >/dev/null || die "Java 17+ is needed to run the Kafka broker; install it (apt-get install openjdk-17-jre-headless) or set KAFKA_BROKERS."
  mkdir -p "$kafka_dir/data"
  local cp; cp=$(kafka_classpath)
  cat >"$kafka_dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$kafka_port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$kafka_port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$kafka_dir/data
# Topics are created explicitly by the services; a typo must fail, not create a topic.
auto.create.topics.enable=false
num.partitions=3
offsets.topic.replication.factor=1
# Fewer offset partitions: the first consumer group joins in well under a second on 2 cores.
offsets.topic.num.partitions=6
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
# Consumers join at once instead of waiting 3 s for others: essential for fast tests.
group.initial.rebalance.delay.ms=0
log.retention.hours=168
PROPS
  cat >"$kafka_dir/log4j.properties" <<'PROPS'
log4j.rootLogger=WARN, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File=${kafka.logs.dir}/server.log
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.server.KafkaServer=INFO
log4j.logger.kafka.server.KafkaRaftServer=INFO
log4j.logger.kafka.Kafka$=INFO
PROPS
  # A random base64url id, as Kafka's own; like Kafka, never one that begins with '-' (the
  # storage tool would read it as an option). The '=' form also takes an older stored one.
  [ -s "$kafka_dir/cluster-id" ] || node -e "
    let id; do id = require('crypto').randomBytes(16).toString('base64url'); while (id.startsWith('-'));
    process.stdout.write(id)" >"$kafka_dir/cluster-id"
  java -cp "$cp" kafka.tools.StorageTool format --cluster-id="$(cat "$kafka_dir/cluster-id")" -c "$kafka_dir/server.properties" --ignore-formatted >"$kafka_dir/format.log" 2>&1 \
    || { cat "$kafka_dir/format.log" >&2; die "formatting Kafka storage failed"; }
  : >"$kafka_dir/server.log"
  log "starting Kafka on 127.0.0.1:$kafka_port"
  nohup java -Xms256m -Xmx768m -Dkafka.logs.dir="$kafka_dir" -Dlog4j.configuration="file:$kafka_dir/log4j.properties" \
    -cp "$cp" kafka.Kafka "$kafka_dir/server.properties" >"$kafka_dir/kafka.out" 2>&1 &
  echo $! >"$kafka_dir/kafka.pid"
  local deadline=$((SECONDS + ${BATON_KAFKA_START_TIMEOUT:-120}))
  until port_open "$kafka_port" && grep -q "Kafka Server started" "$kafka_dir/server.log" "$kafka_dir/kafka.out" 2>/dev/null; do
    pid_alive "$kafka_dir/kafka.pid" || { tail -30 "$kafka_dir/kafka.out" "$kafka_dir/server.log" >&2; die "Kafka exited during start-up"; }
    [ $SECONDS -lt $deadline ] || die "Kafka did not start in time (see $kafka_dir/server.log)"
    sleep 0.5
  done
  log "Kafka is up (pid $(cat "$kafka_dir/kafka.pid"))"
}

redis_up() {
  if [ -n "${REDIS_URL:-}" ]; then log "REDIS_URL is set: not starting Redis"; return; fi
  if port_open "$redis_port"; then log "Redis already answers on 127.0.0.1:$redis_port: reusing it"; return; fi
  if ! command -v redis-server >/dev/null; then
    command -v apt-get >/dev/null || die "redis-server is missing and apt-get is not available: install Redis 7 or set REDIS_URL."
    [ "$(id -u)" = 0 ] || die "redis-server is missing; install it (sudo apt-get install redis-server) or set REDIS_URL."
    log "installing redis-server from Debian's packages"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server) >"$state/apt.log" 2>&1 \
      || { tail -20 "$state/apt.log" >&2; die "apt-get could not install redis-server"; }
  fi
  mkdir -p "$redis_dir"
  log "starting Redis on 127.0.0.1:$redis_port (AOF on)"
  # AOF: budgets and task state must survive a restart.
  redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$redis_dir" --appendonly yes --appendfsync everysec \
    --daemonize yes --pidfile "$redis_dir/redis.pid" --logfile "$redis_dir/redis.log" --save ""
  local deadline=$((SECONDS + 30))
  until [ "$(redis-cli -p "$redis_port" ping 2>/dev/null)" = PONG ]; do
    [ $SECONDS -lt $deadline ] || die "Redis did not start (see $redis_dir/redis.log)"
    sleep 0.2
  done
  log "Redis is up"
}

phoenix_wanted() { [ "${BATON_TRACE_VIEWER:-phoenix}" != none ]; }

# Starts Phoenix in the background (installing it first if needed); phoenix_wait waits for it.
phoenix_start() {
  phoenix_wanted || { log "BATON_TRACE_VIEWER=none: not starting the trace viewer"; return; }
  if port_open "$phoenix_port"; then log "Phoenix already answers on 127.0.0.1:$phoenix_port: reusing it"; return; fi
  local venv=$phoenix_dir/venv
  mkdir -p "$phoenix_dir/data"
  if [ ! -x "$venv/bin/phoenix" ] || [ "$(cat "$venv/.baton-version" 2>/dev/null)" != "$phoenix_version" ]; then
    command -v python3 >/dev/null || die "python3 is needed for the Phoenix trace viewer; install it or set BATON_TRACE_VIEWER=none."
    log "installing Arize Phoenix $phoenix_version from PyPI into $venv (once; about a minute)"
    { python3 -m venv "$venv" && "$venv/bin/pip" install -q --disable-pip-version-check "arize-phoenix==$phoenix_version"; } >"$phoenix_dir/pip.log" 2>&1 \
      || { tail -20 "$phoenix_dir/pip.log" >&2; die "could not install Arize Phoenix (see $phoenix_dir/pip.log); set BATON_TRACE_VIEWER=none to go without"; }
    echo "$phoenix_version" >"$venv/.baton-version"
  fi
  log "starting Phoenix on 127.0.0.1:$phoenix_port (OTLP/HTTP at /v1/traces)"
  # Offline: no CDN assets, no usage reporting; data in SQLite under the state folder.
  PHOENIX_HOST=127.0.0.1 PHOENIX_PORT=$phoenix_port PHOENIX_GRPC_PORT=$phoenix_grpc_port \
    PHOENIX_WORKING_DIR=$phoenix_dir/data PHOENIX_ALLOW_EXTERNAL_RESOURCES=false PHOENIX_TELEMETRY_ENABLED=false \
    nohup "$venv/bin/phoenix" serve >"$phoenix_dir/phoenix.log" 2>&1 &
  echo $! >"$phoenix_dir/phoenix.pid"
}

phoenix_wait() {
  phoenix_wanted || return 0
  [ -f "$phoenix_dir/phoenix.pid" ] || return 0
  local deadline=$((SECONDS + 120))
  until curl -sf "http://127.0.0.1:$phoenix_port/healthz" >/dev/null 2>&1; do
    pid_alive "$phoenix_dir/phoenix.pid" || { tail -20 "$phoenix_dir/phoenix.log" >&2; die "Phoenix exited (see $phoenix_dir/phoenix.log)"; }
    [ $SECONDS -lt $deadline ] || die "Phoenix did not answer within 120 s (see $phoenix_dir/phoenix.log)"
    sleep 0.5
  done
  log "Phoenix is up: http://127.0.0.1:$phoenix_port"
}

stop_pid() {
  local name=$1 pidfile=$2 signal=${3:-TERM}
  if [ "$signal" = KILL ] && pid_alive "$pidfile"; then
    local pid; pid=$(cat "$pidfile")
    log "killing $name (pid $pid)"
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  fi
  if pid_alive "$pidfile"; then
    local pid; pid=$(cat "$pidfile")
    log "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && { log "$name did not stop in 30 s; killing it"; kill -KILL "$pid" 2>/dev/null || true; }
  fi
  rm -f "$pidfile"
}

cmd=${1:-up}
mkdir -p "$state"
case "$cmd" in
  up) phoenix_start; redis_up; kafka_up; phoenix_wait ;;
  down) stop_pid Kafka "$kafka_dir/kafka.pid"; stop_pid Redis "$redis_dir/redis.pid"; stop_pid Phoenix "$phoenix_dir/phoenix.pid" ;;
  kafka-up) kafka_up ;;
  redis-up) redis_up ;;
  kafka-stop) stop_pid Kafka "$kafka_dir/kafka.pid" "${2:-TERM}" ;;
  redis-stop) stop_pid Redis "$redis_dir/redis.pid" "${2:-TERM}" ;;
  status)
    if port_open "$kafka_port"; then echo "kafka: up on 127.0.0.1:$kafka_port"; else echo "kafka: down"; fi
    if port_open "$redis_port"; then echo "redis: up on 127.0.0.1:$redis_port"; else echo "redis: down"; fi
    if port_open "$phoenix_port"; then echo "phoenix: up on 127.0.0.1:$phoenix_port"; else echo "phoenix: down"; fi ;;
  env)
    echo "KAFKA_BROKERS=${KAFKA_BROKERS:-127.0.0.1:$kafka_port}"
    echo "REDIS_URL=${REDIS_URL:-redis://127.0.0.1:$redis_port}"
    if phoenix_wanted; then echo "BATON_TRACE_URL=${BATON_TRACE_URL:-http://127.0.0.1:$phoenix_port}"; fi ;;
  *) die "usage: infra.sh up|down|status|env|kafka-up|redis-up|kafka-stop [KILL]|redis-stop [KILL]" ;;
esac
