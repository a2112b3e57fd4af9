#!/usr/bin/env bash
# Installs what a fresh Debian machine with Java 17 and Maven lacks for the tests and the demo.
# Idempotent: it only installs what is missing. Kafka and Flink come from Maven Central through the
# build itself, so today this checks the toolchain; Prometheus and Alertmanager (Debian packages)
# are added here when the jobs that need them land.
set -euo pipefail

missing=()
command -v java >/dev/null || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || missing+=(maven)

if ((${#missing[@]})); then
  echo "install-prerequisites: installing ${missing[*]}" >&2
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}"
fi

java_major=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
if [[ "${java_major%%.*}" -lt 17 ]]; then
  echo "install-prerequisites: Java 17 or newer is needed, found $java_major" >&2
  exit 1
fi
