# shellcheck shell=bash
# Shared helpers for the project's scripts: Odoo source, venv, PostgreSQL (embedded or external).
# Sourced, never run. Every failure ends in one clear message (die), never a bare traceback.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ODOO_SRC=${ODOO_SRC:-/opt/odoo18}
VENV=${VENV:-$ROOT/.venv}
PY=$VENV/bin/python
STATE=${CRM_VERTRIEB_STATE:-$ROOT/.local}
PG_BIN=${PG_BIN:-}
LOGDIR=$STATE/log
mkdir -p "$STATE" "$LOGDIR"

say() { printf '[crm_vertrieb] %s\n' "$*" >&2; }
die() { printf '\n[crm_vertrieb] ERROR: %s\n' "$*" >&2; exit 2; }

# --- Odoo source -------------------------------------------------------------------------------
ensure_odoo() {
    if [ ! -f "$ODOO_SRC/odoo-bin" ] || [ ! -f "$ODOO_SRC/odoo/release.py" ]; then
        local clone=$ROOT/.local/odoo
        if [ -f "$clone/odoo-bin" ]; then
            ODOO_SRC=$clone
        else
            say "No Odoo source at $ODOO_SRC; trying a shallow clone of Odoo 18.0 into $clone"
            if ! git clone -q --depth 1 --branch 18.0 https://github.com/odoo/odoo.git "$clone" 2>"$LOGDIR/clone.log"; then
                rm -rf "$clone"
                die "No Odoo 18.0 source found and it could not be downloaded.
    Set ODOO_SRC to an Odoo 18.0 tree (a folder with odoo-bin and odoo/), e.g.
    ODOO_SRC=/opt/odoo18 make test"
            fi
            ODOO_SRC=$clone
        fi
    fi
    local version
    version=$(sed -n "s/^version_info = (\([0-9]*\), *\([0-9]*\).*/\1.\2/p" "$ODOO_SRC/odoo/release.py")
    [ "$version" = "18.0" ] || die "ODOO_SRC=$ODOO_SRC holds Odoo '$version', not 18.0. Point ODOO_SRC at an Odoo 18.0 tree."
    export ODOO_SRC
}

# Addons path: the project's addons, Odoo's own odoo/addons, and a git clone's top-level addons/.
addons_path() {
    local paths="$ROOT"
    [ -d "$ODOO_SRC/addons" ] && paths="$paths,$ODOO_SRC/addons"
    paths="$paths,$ODOO_SRC/odoo/addons"
    printf '%s' "$paths"
}

# --- Python venv -------------------------------------------------------------------------------
ensure_venv() {
    local stamp=$VENV/.requirements.sha
    local want
    want=$(cat "$ROOT/requirements.txt" "$ROOT/requirements-dev.txt" | sha1sum | cut -d' ' -f1)
    if [ -x "$PY" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return 0
    fi
    command -v python3 >/dev/null || die "python3 is missing: install Python 3.11 or 3.12."
    say "Installing Odoo's Python requirements into $VENV (once; later runs reuse it)"
    [ -x "$PY" ] || python3 -m venv "$VENV" || die "Could not create a venv at $VENV (python3-venv missing?)."
    if ! { "$PY" -m pip install -q --upgrade pip wheel setuptools &&
           "$PY" -m pip install -q -r "$ROOT/requirements.txt" -r "$ROOT/requirements-dev.txt"; } \
           >"$LOGDIR/pip.log" 2>&1; then
        tail -20 "$LOGDIR/pip.log" >&2
        die "pip could not install the requirements (full log: $LOGDIR/pip.log)."
    fi
    echo "$want" >"$stamp"
}

# --- PostgreSQL --------------------------------------------------------------------------------
# External server: set PGHOST (and PGPORT, PGUSER, PGPASSWORD). Otherwise an embedded cluster is
# created and started on a free port, run by the 'postgres' OS user when we are root.
#   ensure_pg          the scratch cluster in $STATE/pg for tests, i18n and benchmarks: throw-away
#                      databases, so it runs with fsync=off, full_page_writes=off for speed
#   ensure_pg durable  the cluster of `make run` in $STATE/pg-run: your data, so PostgreSQL's safe
#                      defaults (fsync, full-page writes, synchronous commit); a crash loses nothing
#                      that was committed. Its own data directory, never shared with the scratch one.
find_pg_bin() {
    if [ -z "$PG_BIN" ]; then
        local d
        for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && PG_BIN=$d; done
    fi
    if [ -z "$PG_BIN" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "Installing Debian's postgresql package"
        { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql postgresql-contrib; } \
            >"$LOGDIR/apt-pg.log" 2>&1 || die "Could not install PostgreSQL (log: $LOGDIR/apt-pg.log)."
        local d
        for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && PG_BIN=$d; done
    fi
    [ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ] || die "No PostgreSQL binaries (initdb, pg_ctl) found.
    Install PostgreSQL 15+ (Debian: apt-get install postgresql) or set PG_BIN, or use an existing
    server with PGHOST/PGPORT/PGUSER/PGPASSWORD."
}

free_port() {
    "$PY" - "${1:-0}" <<'PY'
import socket, sys
want = int(sys.argv[1])
for port in ([want] if want else []) + [0]:
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    print(s.getsockname()[1]); s.close(); break
PY
}

port_in_use() {
    "$PY" -c "import socket,sys; s=socket.socket(); sys.exit(0 if s.connect_ex(('127.0.0.1', int(sys.argv[1]))) == 0 else 1)" "$1"
}

as_pg_owner() {
    if [ "$(id -u)" = 0 ]; then
        su postgres -s /bin/bash -c "$(printf '%q ' "$@")"
    else
        "$@"
    fi
}

PG_EMBEDDED=0
PG_STARTED=0
ensure_pg() {
    if [ -n "${PGHOST:-}" ]; then
        export PGHOST PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-odoo}
        command -v psql >/dev/null || find_pg_bin
        psql_ -d postgres -Atc 'select 1' >/dev/null 2>&1 ||
            die "Cannot connect to the PostgreSQL server at $PGHOST:$PGPORT as $PGUSER (check PGPASSWORD)."
        return 0
    fi
    find_pg_bin
    PG_EMBEDDED=1
    local kind=${1:-scratch} dir=pg
    local opts="-c fsync=off -c full_page_writes=off -c synchronous_commit=off"
    if [ "$kind" = durable ]; then
        dir=pg-run
        opts="-c fsync=on -c full_page_writes=on -c synchronous_commit=on"
    fi
    local data=$STATE/$dir/data run=$STATE/$dir/run
    if [ "$(id -u)" = 0 ]; then
        # the cluster must be reachable by the postgres user; fall back to /var/tmp if it is not
        # (a durable cluster there would not survive a reboot that clears /var/tmp: say so)
        if ! su postgres -s /bin/sh -c "test -x '$STATE'" 2>/dev/null; then
            local alt
            alt=/var/tmp/crm_vertrieb-$(printf '%s' "$ROOT" | sha1sum | cut -c1-10)
            [ "$kind" = durable ] && alt=$alt-run &&
                say "The postgres user cannot reach $STATE: the database of make run lives in $alt/data"
            data=$alt/data run=$alt/run
        fi
    fi
    mkdir -p "$(dirname "$data")" "$run"
    [ "$(id -u)" = 0 ] && chown postgres: "$(dirname "$data")" "$run"
    if [ ! -f "$data/PG_VERSION" ]; then
        say "Creating an embedded PostgreSQL cluster in $data"
        as_pg_owner "$PG_BIN/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
            >"$LOGDIR/initdb.log" 2>&1 || die "initdb failed (log: $LOGDIR/initdb.log)."
    fi
    export PGHOST=$run PGUSER=odoo
    if [ -f "$run/port" ] && as_pg_owner "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        PGPORT=$(cat "$run/port")
    else
        PGPORT=$(free_port "${CRM_VERTRIEB_PGPORT:-0}")
        as_pg_owner "$PG_BIN/pg_ctl" -D "$data" -l "$run/postgres.log" -w -t 60 start \
            -o "-k $run -p $PGPORT -c listen_addresses='' $opts -c max_connections=200" \
            >/dev/null 2>&1 || { tail -5 "$run/postgres.log" >&2; die "PostgreSQL did not start (log: $run/postgres.log)."; }
        echo "$PGPORT" >"$run/port"
        PG_STARTED=1
    fi
    export PGPORT
    PG_DATA=$data
    if ! "$PG_BIN/psql" -U postgres -d postgres -Atc "select 1 from pg_roles where rolname='odoo'" | grep -q 1; then
        "$PG_BIN/psql" -q -U postgres -d postgres -c "create role odoo login createdb" >/dev/null
    fi
}

# Stops the embedded cluster, but only if this script started it (another run may be using it).
stop_pg() {
    [ "$PG_EMBEDDED" = 1 ] && [ "$PG_STARTED" = 1 ] && [ -z "${KEEP_PG:-}" ] || return 0
    as_pg_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true
    rm -f "$(dirname "$PG_DATA")/run/port"
}

psql_() {
    local p=psql
    [ -n "$PG_BIN" ] && p=$PG_BIN/psql
    "$p" -v ON_ERROR_STOP=1 -X -q "$@"
}

# --- Odoo --------------------------------------------------------------------------------------
odoo_() {
    "$PY" "$ODOO_SRC/odoo-bin" --addons-path="$(addons_path)" \
        --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$PGUSER" \
        ${PGPASSWORD:+--db_password="$PGPASSWORD"} --data-dir="$STATE/filestore" "$@"
}

ensure_chromium() {
    local c
    for c in chromium chromium-browser google-chrome; do command -v $c >/dev/null && return 0; done
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "Installing Debian's chromium for the browser tours"
        { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; } \
            >"$LOGDIR/apt-chromium.log" 2>&1 || die "Could not install chromium (log: $LOGDIR/apt-chromium.log)."
        return 0
    fi
    die "No Chromium found: the browser tours need it. Install it (Debian: apt-get install chromium)."
}

# PDF reports (access export, records of processing) need wkhtmltopdf; Odoo still runs without it.
ensure_wkhtmltopdf() {
    command -v wkhtmltopdf >/dev/null && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "Installing Debian's wkhtmltopdf for PDF reports"
        { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wkhtmltopdf; } \
            >"$LOGDIR/apt-wkhtmltopdf.log" 2>&1 && return 0
    fi
    say "wkhtmltopdf is missing: Odoo runs, but PDF reports print as HTML. Install it (Debian: apt-get install wkhtmltopdf)."
}
