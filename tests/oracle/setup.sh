#!/usr/bin/env bash
# Sets up the Python venv that runs Open edX's own CAPA grader (xblocks-contrib) as a test oracle
# for xblock-compat's differential test (xblock-compat/tests/it/differential.rs), and Open edX's OLX
# validator olxcleaner for tests/oracle/olxcheck.py (lms/tests/it/olx_validation.rs), and the Python
# iCalendar parser for tests/oracle/icscheck.py (office-plugin/tests/it/ical.rs). The CAPA oracle
# script itself lives outside the repo (../shared/capa/oracle/oracle.py: AGPL, a test tool, never shipped).
#
#   tests/oracle/setup.sh            # venv at ${SZPON_ORACLE_VENV:-$HOME/.cache/szpon-oracle-venv}
#
# Idempotent: when the venv exists and was built from the current requirements.txt (its sha256 is
# stamped inside the venv), it does nothing. Otherwise it rebuilds the venv from scratch with the
# exact pins of requirements.txt (PyPI; about 30 s). Needs Python >= 3.11 (numpy 2.4, xblocks-contrib);
# set PYTHON to choose the interpreter. Concurrent runs wait for each other (flock, where available).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
req="$here/requirements.txt"
venv="${SZPON_ORACLE_VENV:-$HOME/.cache/szpon-oracle-venv}"
stamp="$venv/.szpon-requirements.sha256"

sha256() {
    if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1
    else shasum -a 256 "$1" | cut -d' ' -f1; fi
}
want="$(sha256 "$req")"

up_to_date() { [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null || true)" = "$want" ]; }

up_to_date && exit 0

mkdir -p "$(dirname "$venv")"
if command -v flock >/dev/null 2>&1; then
    exec 9>"$venv.lock"
    flock 9
    up_to_date && exit 0 # another run finished it while we waited
fi

python="${PYTHON:-python3}"
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "setup.sh: $python is $("$python" --version 2>&1); the oracle needs Python >= 3.11 (set PYTHON=...)" >&2
    exit 1
fi

echo "setup.sh: building the oracle venv at $venv" >&2
start=$SECONDS
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$req"
# The oracle's imports, so a broken install fails here rather than as 1,000 oracle errors.
"$venv/bin/python" - >&2 <<'PY'
import django
from django.conf import settings
settings.configure(USE_I18N=False, INSTALLED_APPS=[])
django.setup()
import fs.osfs
from xblocks_contrib.problem.capa.capa_problem import LoncapaProblem
import olxcleaner
from olxcleaner.exceptions import ErrorLevel
import icalendar
PY
echo "$want" >"$stamp"
echo "setup.sh: oracle venv ready in $((SECONDS - start)) s" >&2
