#!/usr/bin/env bash
# Makes sure the services Tally needs answer: MariaDB/MySQL at DATABASE_URL and Redis at
# REDIS_URL (or 127.0.0.1:6379 for the tests). When one does not answer, it is started locally with
# its data under .data/, after installing Debian's package when it is missing and we are root.
# Also installs Chromium for the browser tests (test/browser), unless called with --skip-chromium (the demo).
# Says what it did; exits non-zero with a clear message when it cannot.
set -euo pipefail
skip_chromium=0
for arg in "$@"; do
  case "$arg" in
    --skip-chromium) skip_chromium=1 ;;
    *) printf '[ensure-services] ERROR: unknown option %s (known: --skip-chromium)\n' "$arg" >&2; exit 2 ;;
  esac
done
cd "$(dirname "$0")/.."
root_dir=$(pwd)
data_dir="$root_dir/.data"

log() { printf '[ensure-services] %s\n' "$*"; }
fail() { printf '[ensure-services] ERROR: %s\n' "$*" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

wait_for_port() {
  local host=$1 port=$2 what=$3
  for _ in $(seq 1 60); do
    port_open "$host" "$port" && return 0
    sleep 0.5
  done
  fail "$what did not start listening on $host:$port within 30 s"
}

apt_updated=0
install_package() {
  local pkg=$1
  if [ "$(id -u)" != 0 ]; then fail "$pkg is not installed and we are not root: install it (apt-get install $pkg) or point the URL at a running server"; fi
  command -v apt-get >/dev/null || fail "$pkg is not installed and apt-get is not available"
  if [ $apt_updated = 0 ]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    apt_updated=1
  fi
  log "installing $pkg"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null
}

# --- MariaDB -------------------------------------------------------------------------------
db_url=${DATABASE_URL:-mysql://root@127.0.0.1:3306/tally}
db_hostport=$(printf '%s' "$db_url" | sed -E 's#^[a-z]+://([^@/]*@)?([^/:]+)(:([0-9]+))?.*#\2 \4#')
db_host=$(printf '%s' "$db_hostport" | cut -d' ' -f1)
db_port=$(printf '%s' "$db_hostport" | cut -d' ' -f2)
db_port=${db_port:-3306}
[ "$db_host" = localhost ] && db_host=127.0.0.1

if port_open "$db_host" "$db_port"; then
  log "database answers at $db_host:$db_port"
else
  case "$db_host" in 127.*|::1) ;; *) fail "no database answers at $db_host:$db_port (DATABASE_URL), and it is not local: start it or fix DATABASE_URL";; esac
  if ! command -v mariadbd >/dev/null && ! [ -x /usr/sbin/mariadbd ]; then install_package mariadb-server; fi
  mariadbd_bin=$(command -v mariadbd || echo /usr/sbin/mariadbd)
  mkdir -p "$data_dir"
  if [ ! -d "$data_dir/mariadb/mysql" ]; then
    log "initialising a MariaDB data directory in .data/mariadb"
    mariadb-install-db --no-defaults --user="$(id -un)" --datadir="$data_dir/mariadb" --auth-root-authentication-method=normal \
      --skip-test-db >"$data_dir/mariadb-install.log" 2>&1 || fail "mariadb-install-db failed; see .data/mariadb-install.log"
  fi
  log "starting MariaDB on 127.0.0.1:$db_port with data in .data/mariadb"
  nohup "$mariadbd_bin" --no-defaults --user="$(id -un)" --datadir="$data_dir/mariadb" --port="$db_port" \
    --bind-address=127.0.0.1 --socket="$data_dir/mariadb.sock" --pid-file="$data_dir/mariadb.pid" \
    --skip-name-resolve=0 --innodb-buffer-pool-size=1G --innodb-flush-log-at-trx-commit=2 \
    --max-connections=500 --log-error="$data_dir/mariadb.err" >/dev/null 2>&1 &
  wait_for_port 127.0.0.1 "$db_port" MariaDB
  log "MariaDB is up (log: .data/mariadb.err)"
fi

# --- Redis ---------------------------------------------------------------------------------
redis_url=${REDIS_URL:-redis://127.0.0.1:6379}
redis_hostport=$(printf '%s' "$redis_url" | sed -E 's#^[a-z]+://([^@/]*@)?([^/:]+)(:([0-9]+))?.*#\2 \4#')
redis_host=$(printf '%s' "$redis_hostport" | cut -d' ' -f1)
redis_port=$(printf '%s' "$redis_hostport" | cut -d' ' -f2)
redis_port=${redis_port:-6379}
[ "$redis_host" = localhost ] && redis_host=127.0.0.1

if port_open "$redis_host" "$redis_port"; then
  log "redis answers at $redis_host:$redis_port"
else
  case "$redis_host" in 127.*|::1) ;; *) fail "no Redis answers at $redis_host:$redis_port (REDIS_URL)";; esac
  command -v redis-server >/dev/null || install_package redis-server
  mkdir -p "$data_dir"
  log "starting Redis on 127.0.0.1:$redis_port (nothing kept on disk)"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no \
    --dir "$data_dir" --logfile "$data_dir/redis.log"
  wait_for_port 127.0.0.1 "$redis_port" Redis
  log "Redis is up"
fi

# --- Chromium (browser tests of the console) -----------------------------------------------------
# Debian's chromium drives test/browser through playwright-core; installed only when absent and root.
if [ $skip_chromium = 1 ]; then
  :
elif [ -x /usr/bin/chromium ]; then
  log "chromium is installed"
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  install_package chromium
else
  log "WARNING: /usr/bin/chromium is missing and we are not root: the browser tests (test/browser) will fail"
fi
