#!/usr/bin/env bash
# Bring up a local Docker Engine for the live-state tests.
#
#   - installs Debian's docker.io (20.10), busybox-static, docker-compose (v1),
#     curl and iproute2 when missing (apt only; no registry pulls are needed);
#   - starts dockerd in the background unless the API socket already answers;
#   - waits for GET /_ping (up to PORTLINT_DOCKER_WAIT seconds, default 60);
#   - builds the image portlint-busybox:latest with `docker import` from a
#     tarball holding the static busybox binary (skipped if it exists);
#   - prints one summary line.
#
# Idempotent: safe to run again (and concurrently; a lock serialises runs).
# Must run as root. Whatever `docker` client is first on PATH is used; it
# negotiates the API version down to the engine's (1.41 for 20.10).
#
# Environment:
#   PORTLINT_DOCKER_WAIT      seconds to wait for /_ping (default 60)
#   PORTLINT_DOCKERD_LOG      daemon log file (default /tmp/portlint-dockerd.log)
#   PORTLINT_DOCKERD_OPTS     extra dockerd options (default: none)
#   PORTLINT_DOCKERD_BIN      daemon binary (default /usr/sbin/dockerd)
#   PORTLINT_DOCKER_COMPOSE   set to 0 to skip installing docker-compose
#   PORTLINT_DOCKER_IMAGE     image name (default portlint-busybox:latest)
set -euo pipefail

SOCK=/var/run/docker.sock
export DOCKER_HOST="unix://${SOCK}"   # the engine we start, whatever the context says
unset DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH || true

WAIT="${PORTLINT_DOCKER_WAIT:-60}"
LOG="${PORTLINT_DOCKERD_LOG:-/tmp/portlint-dockerd.log}"
PIDFILE=/tmp/portlint-dockerd.pid
IMAGE="${PORTLINT_DOCKER_IMAGE:-portlint-busybox:latest}"
LOCK=/tmp/portlint-docker-up.lock
DOCKERD="${PORTLINT_DOCKERD_BIN:-/usr/sbin/dockerd}"

log() { printf 'docker-up: %s\n' "$*" >&2; }
die() { printf 'docker-up: ERROR: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root"

# Serialise concurrent invocations.
exec 9>"$LOCK"
flock -w 300 9 || die "could not take lock $LOCK"

# ---------------------------------------------------------------- packages
pkg_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'
}

install_packages() {
  local want=(docker.io busybox-static curl iproute2)
  [ "${PORTLINT_DOCKER_COMPOSE:-1}" = 0 ] || want+=(docker-compose)
  local missing=() p
  for p in "${want[@]}"; do pkg_installed "$p" || missing+=("$p"); done
  [ "${#missing[@]}" -gt 0 ] || return 0

  log "installing: ${missing[*]}"
  # Keep the package's init script from starting a daemon with options we do
  # not control (there is normally no systemd here; invoke-rc.d would fall
  # back to /etc/init.d/docker). Only added if no policy exists already.
  local policy=/usr/sbin/policy-rc.d added_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 0755 "$policy"
    added_policy=1
  fi
  local rc=0
  {
    export DEBIAN_FRONTEND=noninteractive
    # A failing third-party source must not stop us; install decides.
    apt-get update -qq >/tmp/portlint-apt.log 2>&1 ||
      log "apt-get update reported errors (continuing; see /tmp/portlint-apt.log)"
    apt-get install -y -qq --no-install-recommends \
      -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
      "${missing[@]}" >>/tmp/portlint-apt.log 2>&1
  } || rc=$?
  [ "$added_policy" = 0 ] || rm -f "$policy"
  if [ "$rc" -ne 0 ]; then
    tail -n 30 /tmp/portlint-apt.log >&2 || true
    die "apt-get failed (rc=$rc), full log in /tmp/portlint-apt.log"
  fi
}

# ---------------------------------------------------------------- daemon
ping_ok() {
  [ -S "$SOCK" ] &&
    [ "$(curl -s --max-time 3 --unix-socket "$SOCK" http://localhost/_ping 2>/dev/null || true)" = OK ]
}

ensure_cgroups() {
  # dockerd needs a cgroup hierarchy. Mount cgroup v2 if nothing is mounted.
  if ! awk '$2 ~ "^/sys/fs/cgroup" && ($3 == "cgroup" || $3 == "cgroup2") {f=1} END {exit !f}' /proc/mounts; then
    log "no cgroup filesystem mounted; mounting cgroup2 on /sys/fs/cgroup"
    mkdir -p /sys/fs/cgroup
    mount -t cgroup2 -o nsdelegate cgroup2 /sys/fs/cgroup || log "mounting cgroup2 failed"
  fi
}

daemon_pid() {
  # pid of a running dockerd (ours or anyone's), empty if none
  local pid=""
  if [ -s "$PIDFILE" ]; then pid="$(cat "$PIDFILE")"; fi
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then echo "$pid"; return; fi
  pgrep -x dockerd | head -n 1 || true
}

start_daemon() {
  # $@: extra options
  log "starting dockerd${PORTLINT_DOCKERD_OPTS:+ $PORTLINT_DOCKERD_OPTS}${*:+ $*} (log: $LOG)"
  # setsid: the daemon must outlive this script and its process group.
  # 9>&-: the daemon must not inherit (and hold forever) the lock.
  # shellcheck disable=SC2086
  setsid "$DOCKERD" --host="unix://${SOCK}" ${PORTLINT_DOCKERD_OPTS:-} "$@" \
    </dev/null >>"$LOG" 2>&1 9>&- &
  echo $! >"$PIDFILE"
}

wait_ping() {
  # $1: deadline (epoch seconds); returns 0 on OK, 1 on timeout, 2 if the daemon died
  local deadline="$1" pid
  while :; do
    if ping_ok; then return 0; fi
    pid="$(daemon_pid)"
    [ -n "$pid" ] || return 2
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.5
  done
}

ensure_daemon() {
  ping_ok && return 0
  local deadline=$(($(date +%s) + WAIT)) rc=0
  if [ -n "$(daemon_pid)" ]; then
    log "dockerd already running, waiting for the API"
  else
    ensure_cgroups
    : >>"$LOG"
    start_daemon
  fi
  wait_ping "$deadline" || rc=$?
  if [ "$rc" -eq 2 ] && [ -z "${PORTLINT_DOCKERD_OPTS:-}" ]; then
    # Defaults did not work (the daemon exited). Fall back to settings that
    # work in restricted sandboxes, in order of increasing intrusiveness.
    # Tests relying on default behaviour should check `docker info`.
    local fb
    for fb in "--storage-driver=vfs" "--storage-driver=vfs --iptables=false --ip6tables=false"; do
      log "dockerd exited; last log lines:"; tail -n 5 "$LOG" >&2 || true
      rm -f /var/run/docker.pid
      # shellcheck disable=SC2086
      start_daemon $fb
      rc=0
      wait_ping "$deadline" || rc=$?
      [ "$rc" -eq 2 ] || break
    done
  fi
  if [ "$rc" -ne 0 ]; then
    if [ "$rc" -eq 2 ]; then
      log "dockerd exited before the Engine API answered on $SOCK; daemon log tail:"
    else
      log "the Engine API did not answer on $SOCK within ${WAIT}s; daemon log tail:"
    fi
    tail -n 40 "$LOG" >&2 || true
    die "dockerd not available"
  fi
}

# ---------------------------------------------------------------- image
ensure_image() {
  if docker image inspect "$IMAGE" >/dev/null 2>&1; then return 0; fi
  local bb
  bb="$(dpkg -L busybox-static 2>/dev/null | grep -E '/bin/busybox$' | head -n 1 || true)"
  [ -n "$bb" ] && [ -x "$bb" ] || bb=/bin/busybox
  [ -x "$bb" ] || die "busybox binary not found"
  local root
  root="$(mktemp -d /tmp/portlint-rootfs.XXXXXX)"
  mkdir -p "$root/bin" "$root/tmp" "$root/www" "$root/etc"
  chmod 1777 "$root/tmp"
  cp "$bb" "$root/bin/busybox"
  local a
  for a in sh nc httpd sleep cat echo ls true wget env; do
    ln -s busybox "$root/bin/$a"
  done
  printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  printf 'portlint\n' >"$root/www/index.html"
  log "importing $IMAGE"
  tar --numeric-owner --owner=0 --group=0 -C "$root" -cf - . |
    docker import --change 'CMD ["/bin/sh"]' --change 'WORKDIR /www' \
      --message 'portlint test image (busybox-static)' - "$IMAGE" >/dev/null
  rm -rf "$root"
}

# ---------------------------------------------------------------- main
install_packages
command -v docker >/dev/null || die "no docker client on PATH"
ensure_daemon
ensure_image

ver="$(docker version --format '{{.Server.Version}} api {{.Server.APIVersion}}' 2>/dev/null || echo '?')"
drv="$(docker info --format '{{.Driver}}' 2>/dev/null || echo '?')"
echo "docker-up: engine ${ver}, storage ${drv}, image ${IMAGE}, client $(command -v docker), socket ${SOCK}"
