#!/usr/bin/env bash
# Builds, once, the Debian bookworm root filesystem that the systemd-host test fixture
# (src-main/test-support/systemd-host.ts) boots with `systemd-nspawn -b`, and prints its path.
#
# Cache: ${STX_LAB_CACHE:-/var/cache/stx-lab}/rootfs-<first 12 hex of sha256(this script)>, so a
# change to this script builds a new rootfs and CI on one machine reuses the old one otherwise.
# The cached tree is never booted directly: the fixture boots an overlayfs (or a copy) over it.
# Concurrent callers serialise on a lock; a half-built tree is never published (built in a
# temporary directory, renamed when complete).
#
# What is in it: debootstrap minbase + systemd, systemd-sysv, dbus, openssh-server, python3,
# iproute2, sudo, procps; the mirror is the one apt is configured with. No ssh host keys (the
# fixture injects fresh ones per run and pins them), a `sysadmin` user with password-less sudo
# (StarlingX's admin account), apt timers masked, hostname controller-0.
# Needs root, debootstrap. Takes about 1-3 minutes with a nearby mirror.
set -euo pipefail
script=$(readlink -f "$0")
cache=${STX_LAB_CACHE:-/var/cache/stx-lab}
hash=$(sha256sum "$script" | cut -c1-12)
dest=$cache/rootfs-$hash
ready() { [ -f "$dest/.stx-lab-ready" ]; }
if ready; then echo "$dest"; exit 0; fi
if [ "$(id -u)" -ne 0 ]; then echo "build-rootfs: needs root" >&2; exit 1; fi
command -v debootstrap >/dev/null || { echo "build-rootfs: needs debootstrap (apt-get install debootstrap)" >&2; exit 1; }
mkdir -p "$cache"
exec 9>"$cache/.build.lock"
flock 9
if ready; then echo "$dest"; exit 0; fi

# The Debian mirror apt uses (deb822 .sources first, then one-line sources.list).
mirror=$(
  { cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ {print $2}'
    cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '$1 == "deb" {print $2}'
  } | grep -v -- '-security' | grep -m1 '/debian/\?$' || true
)
mirror=${mirror:-http://deb.debian.org/debian}

started=$(date +%s)
tmp=$(mktemp -d "$cache/.rootfs-$hash.XXXXXX")
trap 'rm -rf --one-file-system "$tmp"' EXIT
echo "build-rootfs: debootstrap bookworm from $mirror into $tmp" >&2
debootstrap --variant=minbase \
  --include=systemd,systemd-sysv,dbus,openssh-server,python3,iproute2,sudo,procps \
  bookworm "$tmp" "$mirror" >&2

# No host keys in the image: each boot gets its own, pinned by the test.
rm -f "$tmp"/etc/ssh/ssh_host_*
echo controller-0 > "$tmp/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 controller-0\n' > "$tmp/etc/hosts"
# Nothing periodic that could surprise a test.
for t in apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer; do
  ln -sf /dev/null "$tmp/etc/systemd/system/$t"
done
# StarlingX's admin account, password locked (key only), sudo without a password.
chroot "$tmp" useradd --create-home --shell /bin/bash sysadmin
echo 'sysadmin ALL=(ALL) NOPASSWD: ALL' > "$tmp/etc/sudoers.d/sysadmin"
chmod 440 "$tmp/etc/sudoers.d/sysadmin"
# Where the fixture puts the Flock test services and their per-run settings.
mkdir -p "$tmp/opt/flock" "$tmp/etc/flock"
chroot "$tmp" apt-get clean
rm -rf "$tmp"/var/lib/apt/lists/* "$tmp"/var/log/*.log
date -u +%FT%TZ > "$tmp/.stx-lab-ready"
mv "$tmp" "$dest"
trap - EXIT
echo "build-rootfs: built $dest in $(( $(date +%s) - started ))s" >&2
echo "$dest"
