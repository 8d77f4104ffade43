#!/usr/bin/env bash
# run.sh BIN PROGRAM [ARGS...] - how make lesson-11 runs a program of this
# lesson (BIN: the folder of the built programs).
#
# With ARGS, the program alone, as asked: a server then serves until Ctrl-C.
# Without, each program with its partner, as the seed runs them in two
# terminals, on a free port:
#   server, pool_server    the server on port 0 (lesson 16's event_server and
#                          prefork_server too); its first line says the
#                          port; then threaded_client on that port
#                          (pool_server: after two connections that never
#                          speak, to show what a pool of two risks);
#   client, threaded_client  `server` on port 0, then the client on its port;
#   conn_bench             itself (it starts its own servers);
# then SIGTERM to the server, as Ctrl-C would. The status is the client's if
# it failed, else the server's. RUN_WITH (words, may be empty) goes in front
# of PROGRAM, not of its partner (make helgrind's valgrind).
set -u
bin=$1 prog=$2
shift 2
# shellcheck disable=SC2086  # RUN_WITH is split into words on purpose
if [ $# -gt 0 ] || [ "$prog" = conn_bench ]; then exec ${RUN_WITH:-} "$bin/$prog" "$@"; fi
case $prog in
    server | pool_server | event_server | prefork_server) server=$prog clients=threaded_client server_with=${RUN_WITH:-} clients_with='' ;;
    # (the partner server at full time: a client slowed by valgrind is still served)
    client | threaded_client) server=server clients=$prog server_with='env -u WORKBOOK_TIME_SCALE' clients_with=${RUN_WITH:-} ;;
    *) echo "error: lesson 11 has no program '$prog'" >&2; exit 2 ;;
esac

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
mkfifo "$tmp/out" || exit 2
# shellcheck disable=SC2086
$server_with "$bin/$server" 0 >"$tmp/out" &
pid=$!
exec {out}<"$tmp/out"
port='' address=''
while IFS= read -r line <&"$out"; do
    printf '%s\n' "$line"
    case $line in "Listening on "*) address=${line#Listening on }; port=${address##*:}; break ;; esac
done
if [ -z "$port" ]; then     # it ended, and said why
    wait "$pid"
    exit $?
fi
cat <&"$out" &              # the rest of the server's log, as it comes
relay=$!
exec {out}<&-

silent=()
if [ "$prog" = pool_server ]; then
    address=${address%:*}
    [ "$address" != 0.0.0.0 ] || address=127.0.0.1
    for _ in 1 2; do exec {fd}<>"/dev/tcp/$address/$port" && silent+=("$fd"); done
fi
# shellcheck disable=SC2086
$clients_with "$bin/$clients" "$port"
status=$?
kill -TERM "$pid"
wait "$pid"
server_status=$?
for fd in "${silent[@]}"; do exec {fd}>&-; done
wait "$relay"
[ "$status" -ne 0 ] || status=$server_status
exit "$status"
