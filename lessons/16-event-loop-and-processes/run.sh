#!/usr/bin/env bash
# run.sh BIN PROGRAM [ARGS...] - how make lesson-16 runs a program of this
# lesson (BIN: the folder of the built programs). Its two servers run as
# lesson 11's run.sh runs lesson 11's: on a free port, threaded_client
# against it, then SIGTERM (with ARGS: the server alone, until Ctrl-C).
# The other programs run alone.
set -u
case $2 in
    event_server | prefork_server) exec "$(dirname "$0")/../11-socket-server/run.sh" "$@" ;;
esac
bin=$1 prog=$2
shift 2
# shellcheck disable=SC2086  # RUN_WITH is split into words on purpose
exec ${RUN_WITH:-} "$bin/$prog" "$@"
