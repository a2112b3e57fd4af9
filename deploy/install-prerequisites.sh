#!/usr/bin/env bash
# Installs what a fresh Debian machine with Java 17 and Maven lacks for the tests and the demo.
# Idempotent: it only installs what is missing. Kafka and Flink come from Maven Central through the
# build itself. Prometheus and Alertmanager come from Debian (`prometheus` 2.42,
# `prometheus-alertmanager` 0.25): the tests start the binaries themselves, on free loopback ports
# (io.telemetrysuite.services.PrometheusServer / AlertmanagerServer), so the system services the
# packages ship must not run: they would hold the default ports 9090/9093 and scrape for nothing.
set -euo pipefail

SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"

missing=()
command -v java >/dev/null || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || missing+=(maven)
[[ -x /usr/bin/prometheus ]] || missing+=(prometheus)
[[ -x /usr/bin/prometheus-alertmanager ]] || missing+=(prometheus-alertmanager)

# Stops a package's service if installing it started one anyway (systemd, or sysvinit ignoring the
# policy). Only the package's own service is touched, through the service manager.
stop_service() {
  local name=$1
  if command -v systemctl >/dev/null && [[ -d /run/systemd/system ]]; then
    $SUDO systemctl disable --now "$name" >/dev/null 2>&1 || true
  elif [[ -x /etc/init.d/$name ]]; then
    $SUDO /etc/init.d/"$name" stop >/dev/null 2>&1 || true
  fi
}

if ((${#missing[@]})); then
  echo "install-prerequisites: installing ${missing[*]}" >&2
  # policy-rc.d exiting 101 tells invoke-rc.d (and deb-systemd-invoke) not to start services while
  # packages install. Put one in place only for this run when the machine has none (containers
  # usually do), and remove it afterwards, whatever happens.
  policy_added=""
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\n# Temporary, from telemetry-suite deploy/install-prerequisites.sh\nexit 101\n' \
      | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod 755 /usr/sbin/policy-rc.d
    policy_added=1
    trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  $SUDO apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  [[ -n $policy_added ]] && { $SUDO rm -f /usr/sbin/policy-rc.d; trap - EXIT; }
  for m in "${missing[@]}"; do
    case $m in
      prometheus) stop_service prometheus ;;
      prometheus-alertmanager) stop_service prometheus-alertmanager ;;
    esac
  done
fi

java_major=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
if [[ "${java_major%%.*}" -lt 17 ]]; then
  echo "install-prerequisites: Java 17 or newer is needed, found $java_major" >&2
  exit 1
fi

# The binaries the services module starts; a broken install should fail here, not in a test.
for bin in /usr/bin/prometheus /usr/bin/prometheus-alertmanager; do
  if ! "$bin" --version >/dev/null 2>&1; then
    echo "install-prerequisites: $bin --version failed; reinstall its Debian package" >&2
    exit 1
  fi
done
