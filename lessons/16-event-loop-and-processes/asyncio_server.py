# asyncio_server.py - lesson 16: the seed's server (seed 003) with asyncio:
# one thread, one event loop, a coroutine per client where the seed has a
# thread (python3 asyncio_server.py PORT; default 2727). Standard library
# only. Like the seed it serves until stopped (Ctrl-C). A parent may hand
# it a listening socket instead, as fd 3 with LISTEN_FDS=1 (the tests do).
import asyncio
import os
import pickle
import socket
import sys

# We'll pickle a list of numbers:
someList = [1, 2, 7, 9, 0]
pickledList = pickle.dumps(someList)


# The seed's ClientThread.run(), as a coroutine: each await lets the loop
# serve the other clients meanwhile.
async def client_coroutine(reader, writer):
    details = writer.get_extra_info('peername')
    print('Received connection:', details[0], flush=True)
    try:
        writer.write(pickledList)
        await writer.drain()
        for x in range(10):
            line = await reader.readline()  # a whole line, however the bytes came
            if not line:
                break
            print(line, flush=True)
        writer.close()
        await writer.wait_closed()
    except ConnectionError as e:            # a client that left: this coroutine ends, the server goes on
        print(details[0], e, flush=True)
    print('Closed connection:', details[0], flush=True)


async def main():
    if os.environ.get('LISTEN_FDS') == '1':
        server = await asyncio.start_server(client_coroutine, sock=socket.socket(fileno=3))
    else:
        port = int(sys.argv[1]) if len(sys.argv) > 1 else 2727
        server = await asyncio.start_server(client_coroutine, '127.0.0.1', port, reuse_address=True)
    # Have the server serve "forever":
    async with server:
        await server.serve_forever()


try:
    asyncio.run(main())
except KeyboardInterrupt:
    pass
