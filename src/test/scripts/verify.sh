#!/usr/bin/env bash
# The project's test command: installs what the tests need where it can (Debian packages, as root),
# says what is missing where it cannot, then runs `mvn verify` with any arguments given.
#   bash src/test/scripts/verify.sh            # everything
#   bash src/test/scripts/verify.sh -Dit.test=GatewayIT
set -euo pipefail
cd "$(dirname "$0")/../../.."

need=()
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
# The browser tests drive Debian's Chromium through its ChromeDriver.
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
# The TypeScript declarations are type-checked with tsc, installed by npm.
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
# The proxy test runs nginx in front of two gateway nodes.
[ -x /usr/sbin/nginx ] || need+=(nginx-light)

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    # Packages must not start daemons (nginx would take port 80): the tests start what they need.
    created_policy=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
      chmod +x /usr/sbin/policy-rc.d
      created_policy=1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
    if [ "$created_policy" = 1 ]; then
      rm -f /usr/sbin/policy-rc.d
    fi
  else
    echo "The tests need these Debian packages, which only root can install: ${need[*]}" >&2
    echo "  sudo apt-get install ${need[*]}" >&2
    echo "then run this command again." >&2
    exit 1
  fi
fi

java -version 2>&1 | sed -n 1p
mvn -B -v | sed -n 1p
exec mvn -B verify "$@"
