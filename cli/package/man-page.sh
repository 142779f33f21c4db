#!/usr/bin/env bash
# Writes upkeep(1) from the command's own --help texts: help2man turns `upkeep --help` into the page and
# each `upkeep COMMAND --help` becomes a subsection of COMMANDS, so the page says what --help says.
#   man-page.sh UPKEEP OUTPUT.1
set -euo pipefail
upkeep=$1
out=$2
include=$(mktemp)
trap 'rm -f "$include"' EXIT

roff_text() { sed -e 's/\\/\\e/g' -e "s/^\([.']\)/\\\\\&\1/"; }

{
  echo '[COMMANDS]'
  "$upkeep" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p' | while read -r command; do
    echo ".SS $command"
    echo '.nf'
    "$upkeep" "$command" --help | roff_text
    echo '.fi'
  done
  echo '[FILES]'
  echo '.TP'
  echo '.I /usr/lib/systemd/system/upkeep-sync@.service, upkeep-sync@.timer'
  echo 'a daily sync of one project as the user "upkeep": the instance is the project'"'"'s identifier, with'
  echo 'Redmine'"'"'s address in /etc/upkeep/PROJECT.conf and the API key in /etc/upkeep/PROJECT.key.'
  echo '.TP'
  echo '.I /usr/share/doc/upkeep/examples/'
  echo 'the same for cron (upkeep-sync.cron) and a sample PROJECT.conf.'
} >"$include"

help2man --no-info --no-discard-stderr --section 1 --source "Upkeep" \
  --name "keep an ISO/IEC 27001 ISMS alive between audits" --include "$include" --output "$out" "$upkeep"
