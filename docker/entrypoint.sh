#!/bin/sh
# The role is the command: api | worker | migrate | seed | create-admin | verify-credential |
# backup DIR | restore DIR | event-log COMMAND.
# Anything else runs as given (e.g. `node -v`).
set -e
cd /app
role="$1"
[ $# -gt 0 ] && shift
case "$role" in
  api) exec node dist/src/main.js "$@" ;;
  worker) exec node dist/src/worker.js "$@" ;;
  migrate) exec node dist/src/infrastructure/database/typeorm-cli.js run "$@" ;;
  seed) exec node dist/seeds/run-seeds.js "$@" ;;
  create-admin) exec node dist/src/modules/identity/cli/create-admin.js "$@" ;;
  verify-credential) exec node dist/src/modules/certification/cli/verify-credential.js "$@" ;;
  backup) exec node dist/src/infrastructure/backup/cli/backup.js "$@" ;;
  restore) exec node dist/src/infrastructure/backup/cli/restore.js "$@" ;;
  event-log) exec node dist/src/modules/learning/cli/event-log.js "$@" ;;
  *) exec "$role" "$@" ;;
esac
