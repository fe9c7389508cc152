# Process handling shared by run-stack and replay (sourced, not run): start children in the
# background with their output in $logs/<name>.log, wait until they are ready, and stop them all,
# by PID and in reverse order, on exit or on a signal. Needs $logs set by the caller.
pids=()
names=()
stopping=0
stop_all() {
  [ "$stopping" = 1 ] && return
  stopping=1
  echo
  echo "Stopping what $(basename "$0") started…"
  # Stop in reverse start order: services first, then the emulator, then the data stores.
  for ((i=${#pids[@]}-1; i>=0; i--)); do
    kill -TERM "${pids[$i]}" 2>/dev/null
  done
  for ((i=${#pids[@]}-1; i>=0; i--)); do
    pid=${pids[$i]}
    for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "  ${names[$i]} (pid $pid) did not stop within 30 s; killing it"
      kill -KILL "$pid" 2>/dev/null
    fi
    wait "$pid" 2>/dev/null
    echo "  ${names[$i]} stopped"
  done
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap 'stop_all' EXIT

start() {
  local name=$1; shift
  "$@" >"$logs/$name.log" 2>&1 &
  pids+=($!)
  names+=("$name")
}

# Waits until $2 succeeds (a command), failing when process $1 died or 180 s passed.
await() {
  local name=$1 probe=$2 pid=$3
  for _ in $(seq 1 900); do
    if eval "$probe" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$(basename "$0"): $name exited during start-up; last lines of $logs/$name.log:" >&2
      tail -n 30 "$logs/$name.log" >&2
      exit 1
    fi
    sleep 0.2
  done
  echo "$(basename "$0"): $name was not ready within 180 s; see $logs/$name.log" >&2
  exit 1
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
healthy() { curl -sfk "$1/actuator/health" | grep -q '"status":"UP"'; }

# PostgreSQL: embedded (data in $local_dir/postgres, port 15432; sets pg_pid) unless DATABASE_URL
# points elsewhere (jdbc:postgresql://… or postgres://user:pass@host:port/db). Exports JDBC_DATABASE_URL.
start_database() {
  if [ -n "${DATABASE_URL:-}" ]; then
    case "$DATABASE_URL" in
      jdbc:*) export JDBC_DATABASE_URL="$DATABASE_URL" ;;
      postgres://*|postgresql://*)
        rest=${DATABASE_URL#*://}
        if [[ "$rest" == *@* ]]; then
          creds=${rest%%@*}; rest=${rest#*@}
          export DATABASE_USER=${creds%%:*}
          [[ "$creds" == *:* ]] && export DATABASE_PASSWORD=${creds#*:}
        fi
        export JDBC_DATABASE_URL="jdbc:postgresql://$rest" ;;
      *) echo "$(basename "$0"): DATABASE_URL must be jdbc:postgresql://… or postgres://…" >&2; exit 1 ;;
    esac
    echo "PostgreSQL: using $JDBC_DATABASE_URL"
  else
    export JDBC_DATABASE_URL=jdbc:postgresql://127.0.0.1:15432/callstream
    start postgres env DATA_DIR="$local_dir/postgres" LOG_DIR="$logs/postgres-server" PORT=15432 "$java" -Xmx256m \
      -cp "infra/postgres/target/local-postgres-$version.jar:$(cat infra/postgres/target/classpath.txt)" io.callstream.postgres.LocalPostgres
    pg_pid=${pids[-1]}
  fi
}
